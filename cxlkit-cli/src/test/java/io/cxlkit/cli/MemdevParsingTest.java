package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlkit.host.json.JsonC;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.json.MemdevView.CxlkitView;
import io.cxlkit.host.json.MemdevView.FirmwareView;
import io.cxlkit.host.json.MemdevView.UploadView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** MemdevParsing is the exact inverse of MemdevJson's plain rendering with firmware and cxlkit. */
class MemdevParsingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static String render(MemdevView v) {
        return JsonC.document(MemdevJson.object(v, false, true, true));
    }

    static MemdevView parse(String json) throws Exception {
        return MemdevParsing.memdev(JSON.readTree(json));
    }

    static MemdevView factory() {
        return MemdevView.of("mem0", 1L << 30, 0, 0, "0000:0d:00.0").withFirmwareVersion("BWFW VERSION 0")
                .withFirmware(new FirmwareView(2, 1, 0, true, List.of("BWFW VERSION 0"), false, 0))
                .withCxlkit(new CxlkitView(32L << 20, "package", 0, List.of(), UploadView.IDLE));
    }

    @Test
    void theFactoryMemdevRoundTrips() throws Exception {
        MemdevView v = factory();
        assertThat(parse(render(v))).isEqualTo(v);
    }

    @Test
    void everyOptionalKeyRoundTrips() throws Exception {
        MemdevView v = new MemdevView("mem3", 2L << 30, 512L << 20, -2, "0001:0e:00.0",
                Optional.of("rev/\"x\"\\é\t"),
                Optional.of(new FirmwareView(4, 2, 3, false, List.of("a", "", "c", "d"), true, 4096)),
                Optional.of(new CxlkitView(Long.MAX_VALUE, "signed", 7, List.of("media-disabled", "late-part"),
                        new UploadView("transferring", Optional.of("transferring:device-busy"),
                                Optional.of("the package is not signed"), Optional.of("0201h"),
                                Optional.of("0006h"), Optional.of("Busy"), 1234, 5,
                                Optional.of(Instant.parse("2024-05-01T12:00:00.123Z")),
                                Optional.of(Instant.parse("2024-05-01T12:00:01Z"))),
                        Optional.of(new MemdevView.ResetView(3, "bad magic")))));
        assertThat(parse(render(v))).isEqualTo(v);
    }

    @Test
    void aFailedUploadRoundTrips() throws Exception {
        UploadView failed = new UploadView("idle", Optional.of("transferring:firmware-invalid"),
                Optional.of("bad magic"), Optional.of("0201h"), Optional.of("000Ah"),
                Optional.of("FW Verification Failed"), 3968, 1, Optional.of(Instant.parse("2024-05-01T12:00:00Z")),
                Optional.of(Instant.parse("2024-05-01T12:00:01Z")));
        MemdevView v = factory().withCxlkit(new CxlkitView(32L << 20, "package", 0, List.of(), failed));
        assertThat(parse(render(v))).isEqualTo(v);
    }

    @Test
    void mediaErrorsRoundTripWithTheirFlagsAndOverflowTimestamps() throws Exception {
        List<MemdevView.MediaError> errors = List.of(new MemdevView.MediaError(0, 128, 2, 1, 0),
                new MemdevView.MediaError(0x40000, 8L << 20, 1, 0, 0),
                new MemdevView.MediaError(0x3FFFFFC0L, 64, 7, 0x07, 0x1234abcdL),
                new MemdevView.MediaError(0x1000, 64, 3, 0x02, -1),
                new MemdevView.MediaError(0x2000, 64, 4, 0x08, 0));
        MemdevView v = factory().withMediaErrors(errors);
        String plain = JsonC.document(MemdevJson.object(v, false, java.util.EnumSet.allOf(MemdevJson.Include.class)));

        MemdevView back = MemdevParsing.memdev(JSON.readTree(plain));

        assertThat(back.mediaErrors()).isEqualTo(errors);
        for (boolean human : new boolean[] {false, true}) {
            assertThat(MemdevJson.list(List.of(back), human, java.util.EnumSet.allOf(MemdevJson.Include.class)))
                    .isEqualTo(MemdevJson.list(List.of(v), human, java.util.EnumSet.allOf(MemdevJson.Include.class)));
        }
    }

    @Test
    void aMediaErrorThatIsNotOneIsRefused() {
        assertThatThrownBy(() -> MemdevParsing.mediaErrors(JSON.readTree(
                "[{\"offset\":0,\"length\":64,\"source\":\"Cosmic\"}]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemdevParsing.mediaErrors(JSON.readTree(
                "[{\"offset\":0,\"length\":64,\"source\":\"Internal\",\"overflow_t\":5}]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overflow_t");
        assertThatThrownBy(() -> MemdevParsing.mediaErrors(JSON.readTree("{}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingObjectsStayMissing() throws Exception {
        MemdevView v = MemdevView.of("mem0", 0, 0, 5, "h");
        MemdevView back = parse(render(v));
        assertThat(back).isEqualTo(v);
        assertThat(back.firmware()).isEmpty();
        assertThat(back.cxlkit()).isEmpty();
        assertThat(back.firmwareVersion()).isEmpty();
    }

    @Test
    void aListRoundTripsInOrder() throws Exception {
        List<MemdevView> views = List.of(factory(), MemdevView.of("mem1", 0, 1L << 30, 1, "0000:0e:00.0"));
        JsonNode array = JSON.readTree(MemdevJson.list(views, false, true, true));
        assertThat(MemdevParsing.list(array)).isEqualTo(views);
        assertThat(MemdevParsing.list(JSON.readTree("[]"))).isEmpty();
    }

    @Test
    void renderingTheParsedObjectGivesTheSameBytes() throws Exception {
        String json = render(factory());
        assertThat(render(parse(json))).isEqualTo(json);
    }

    @Test
    void anythingElseIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse("{\"serial\":0,\"host\":\"h\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'memdev'");
        assertThatThrownBy(() -> parse("{\"memdev\":\"mem0\",\"pmem_size\":\"1024.00 MiB (1073.74 MB)\","
                + "\"serial\":0,\"host\":\"h\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pmem_size'");
        assertThatThrownBy(() -> parse("{\"memdev\":\"mem0\",\"serial\":0,\"host\":\"h\",\"firmware\":[]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("firmware");
        assertThatThrownBy(() -> parse("{\"memdev\":\"mem0\",\"serial\":0,\"host\":\"h\",\"firmware\":"
                + "{\"num_slots\":2,\"active_slot\":1,\"online_activate_capable\":\"yes\",\"fw_update_in_progress\":false}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'online_activate_capable'");
        assertThatThrownBy(() -> parse("{\"memdev\":\"mem0\",\"serial\":0,\"host\":\"h\",\"cxlkit\":{\"fw_max_size\":1,"
                + "\"fw_verify\":\"none\",\"security_version_floor\":0,\"faults\":[],\"upload\":{\"status\":\"idle\","
                + "\"bytes_sent\":0,\"parts_sent\":0,\"started\":\"yesterday\"}}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'started'");
        assertThatThrownBy(() -> parse("{\"memdev\":\"mem0\",\"serial\":18446744073709551615,\"host\":\"h\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'serial'");
        assertThatThrownBy(() -> MemdevParsing.list(JSON.createObjectNode()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code health}, {@code alert_config} and {@code partition_info} print again byte for byte, plain and human. */
    @Test
    void theIncludedObjectsPrintAgainByteForByte() throws Exception {
        java.util.Set<MemdevJson.Include> all = java.util.EnumSet.allOf(MemdevJson.Include.class);
        io.cxlkit.protocol.payload.IdentifyMemoryDevice identify = new io.cxlkit.protocol.payload.IdentifyMemoryDevice(
                "BWFW VERSION 0", 8, 1, 1, 1, 8, 8, 8, 8, 131072, 256, 0, 1, 0, 0);
        List<MemdevView> views = List.of(
                factory().withHealth(new io.cxlkit.protocol.payload.HealthInfo(0, 0,
                                io.cxlkit.protocol.payload.HealthInfo.AdditionalStatus.ALL_NORMAL, 0, 25, 0, 0, 0))
                        .withAlertConfig(new io.cxlkit.protocol.payload.AlertConfig(7, 0x1F, 75, 40, 85, 0, 75, 5, 100, 100))
                        .withPartitionInfo(MemdevView.PartitionView.from(identify, Optional.empty())),
                factory().withHealth(new io.cxlkit.protocol.payload.HealthInfo(0x0F, 0x0A,
                                new io.cxlkit.protocol.payload.HealthInfo.AdditionalStatus(3, 2, true, false), 255, -1,
                                0xFFFFFFFFL, 1, 2))
                        .withAlertConfig(new io.cxlkit.protocol.payload.AlertConfig(0x1A, 0x05, 100, 0, -1, -40, 32767,
                                -5, 65535, 0))
                        .withPartitionInfo(MemdevView.PartitionView.from(identify,
                                Optional.of(new io.cxlkit.protocol.payload.PartitionInfo(3, 5, 4, 4)))),
                factory().withHealth(new io.cxlkit.protocol.payload.HealthInfo(0, 9,
                        io.cxlkit.protocol.payload.HealthInfo.AdditionalStatus.ALL_NORMAL, 254, -5, 3, 0, 0)));
        for (MemdevView v : views) {
            String plain = JsonC.document(MemdevJson.object(v, false, all));
            MemdevView back = parse(plain);
            assertThat(JsonC.document(MemdevJson.object(back, false, all))).isEqualTo(plain);
            assertThat(JsonC.document(MemdevJson.object(back, true, all)))
                    .isEqualTo(JsonC.document(MemdevJson.object(v, true, all)));
        }
        assertThat(parse(JsonC.document(MemdevJson.object(views.get(1), false, all))).health().orElseThrow().temperature())
                .isEqualTo(-1);
    }

    @Test
    void aHealthObjectWithAWordOrNumberItCannotHaveIsRefused() {
        String good = JsonC.document(MemdevJson.object(factory().withHealth(new io.cxlkit.protocol.payload.HealthInfo(0, 0,
                io.cxlkit.protocol.payload.HealthInfo.AdditionalStatus.ALL_NORMAL, 0, 25, 0, 0, 0)), false,
                java.util.EnumSet.of(MemdevJson.Include.HEALTH)));
        assertThatThrownBy(() -> parse(good.replace("\"ext_temperature\":\"normal\"", "\"ext_temperature\":\"hot\"")))
                .hasMessageContaining("ext_temperature");
        assertThatThrownBy(() -> parse(good.replace("\"temperature\":25", "\"temperature\":65535")))
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> parse(good.replace("\"life_used_percent\":0", "\"life_used_percent\":-1")))
                .hasMessageContaining("life_used_percent");
        assertThatThrownBy(() -> parse(good.replace("\"ext_corrected_volatile\":\"normal\"",
                "\"ext_corrected_volatile\":\"critical\""))).hasMessageContaining("ext_corrected_volatile");
    }
}
