package io.cxlkit.host.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.RecordingTransport;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.CelEffects;
import io.cxlkit.protocol.payload.CelEntry;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.LogIds;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.PoisonSource;
import io.cxlkit.protocol.payload.SupportedLogEntry;
import io.cxlkit.protocol.payload.SupportedLogs;
import io.cxlkit.protocol.Opcode;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The poison list as the kernel reads it (memdev-commands.md §13.4): per non-empty partition,
 * volatile first, Get Poison List over it and again while More is set, at most min(M, 1024) records
 * each; and Inject/Clear Poison as the kernel's debugfs files send them (§13.5). Against scripted
 * answers.
 */
class MemdevDriverPoisonTest {

    private static final long UNIT = IdentifyMemoryDevice.CAPACITY_UNIT;

    private final RecordingTransport transport = new RecordingTransport();
    private final MemdevDriver driver = new MemdevDriver("mem0", "0000:0d:00.0", 0, transport, Clock.systemUTC(),
            s -> { });
    /** Volatile-only and persistent-only capacities in units, and M. */
    private long volatileUnits = 1;
    private long persistentUnits = 2;
    private int maxRecords = 256;
    /** Get Poison List's answers, by request. */
    private Function<GetPoisonListRequest, GetPoisonListResponse> poison = r -> GetPoisonListResponse.of(false, List.of());

    private void attach() throws Exception {
        transport.outputs(c -> {
            if (c.is(CommandId.IDENTIFY_MEMORY_DEVICE)) {
                return new IdentifyMemoryDevice("BWFW VERSION 0", volatileUnits + persistentUnits, volatileUnits,
                        persistentUnits, 0, 8, 8, 8, 8, 131072, maxRecords, 0, 1, 0, 0).encode();
            }
            if (c.is(CommandId.GET_SUPPORTED_LOGS)) {
                return new SupportedLogs(List.of(new SupportedLogEntry(LogIds.CEL_UUID, 4))).encode();
            }
            if (c.is(CommandId.GET_LOG)) {
                GetLogRequest r = GetLogRequest.decode(ByteBuffer.wrap(c.payload()));
                ByteBuffer all = ByteBuffer.allocate(4);
                new CelEntry(Opcode.of(0x4300), CelEffects.NONE).encodeTo(all);
                return Arrays.copyOfRange(all.array(), (int) r.offset(), (int) (r.offset() + r.length()));
            }
            if (c.is(CommandId.GET_POISON_LIST)) {
                return poison.apply(GetPoisonListRequest.decode(ByteBuffer.wrap(c.payload()))).encode();
            }
            return null;
        });
        assertThat(driver.attach()).isPresent();
    }

    private List<GetPoisonListRequest> listRequests() {
        return transport.commands().stream().filter(c -> c.is(CommandId.GET_POISON_LIST))
                .map(c -> GetPoisonListRequest.decode(ByteBuffer.wrap(c.payload()))).toList();
    }

    private static List<MediaErrorRecord> runs(long firstDpa, int n) {
        List<MediaErrorRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new MediaErrorRecord(firstDpa + 128L * i, PoisonSource.INJECTED, 1));
        }
        return out;
    }

    @Test
    void eachPartitionIsListedWholeVolatileFirst() throws Exception {
        attach();
        GetPoisonListResponse v = GetPoisonListResponse.of(false, runs(0x40, 1));
        GetPoisonListResponse p = new GetPoisonListResponse(false, true, false, false, 77, runs(UNIT, 2));
        poison = r -> r.range().dpa() == 0 ? v : p;

        assertThat(driver.poisonList()).contains(List.of(v, p));
        assertThat(listRequests()).containsExactly(GetPoisonListRequest.of(0, UNIT / 64),
                GetPoisonListRequest.of(UNIT, 2 * UNIT / 64));
        assertThat(listRequests()).noneMatch(GetPoisonListRequest::restartRequest);
    }

    @Test
    void anEmptyPartitionIsNotAsked() throws Exception {
        volatileUnits = 0;
        attach();

        assertThat(driver.poisonList()).hasValueSatisfying(l -> assertThat(l).hasSize(1));
        assertThat(listRequests()).containsExactly(GetPoisonListRequest.of(0, 2 * UNIT / 64));
    }

    @Test
    void moreAsksAgainWithTheSameRangeUntilItIsClear() throws Exception {
        attach();
        int[] calls = {0};
        poison = r -> r.range().dpa() != 0 ? GetPoisonListResponse.of(false, List.of())
                : GetPoisonListResponse.of(++calls[0] < 3, runs(calls[0] * 0x1000L, 2));

        List<GetPoisonListResponse> outputs = driver.poisonList().orElseThrow();

        assertThat(outputs).hasSize(4);
        assertThat(outputs).extracting(GetPoisonListResponse::more).containsExactly(true, true, false, false);
        assertThat(listRequests()).containsExactly(GetPoisonListRequest.of(0, UNIT / 64),
                GetPoisonListRequest.of(0, UNIT / 64), GetPoisonListRequest.of(0, UNIT / 64),
                GetPoisonListRequest.of(UNIT, 2 * UNIT / 64));
    }

    @Test
    void atMostMRecordsPerPartitionEvenWhileMoreStaysSet() throws Exception {
        maxRecords = 3;
        attach();
        poison = r -> GetPoisonListResponse.of(true, runs(r.range().dpa(), 2));

        List<GetPoisonListResponse> outputs = driver.poisonList().orElseThrow();

        // 2 + 1 of the second output for each partition; the second output keeps its More flag
        assertThat(outputs).extracting(o -> o.records().size()).containsExactly(2, 1, 2, 1);
        assertThat(outputs).allMatch(GetPoisonListResponse::more);
        assertThat(listRequests()).hasSize(4);
    }

    @Test
    void atMost1024RecordsWhateverMSays() throws Exception {
        maxRecords = 5000;
        persistentUnits = 0;
        attach();
        poison = r -> GetPoisonListResponse.of(true, runs(0, 250));

        List<GetPoisonListResponse> outputs = driver.poisonList().orElseThrow();

        assertThat(outputs.stream().mapToInt(o -> o.records().size()).sum()).isEqualTo(MemdevDriver.POISON_LIST_MAX);
        assertThat(listRequests()).hasSize(5);
    }

    @Test
    void anyFailureLeavesTheListOut() throws Exception {
        attach();
        transport.script(c -> c.is(CommandId.GET_POISON_LIST)
                && GetPoisonListRequest.decode(ByteBuffer.wrap(c.payload())).range().dpa() != 0 ? 0x0007 : null);

        assertThat(driver.poisonList()).isEmpty();
        assertThat(listRequests()).hasSize(2);
    }

    @Test
    void aMalformedOutputLeavesTheListOut() throws Exception {
        attach();
        transport.outputs(c -> c.is(CommandId.GET_POISON_LIST) ? new byte[0x10] : null);

        assertThat(driver.poisonList()).isEmpty();
    }

    @Test
    void withoutAnAttachNothingIsAsked() throws Exception {
        assertThat(driver.poisonList()).isEmpty();
        assertThat(transport.commands()).isEmpty();
    }

    @Test
    void injectSendsTheLinesDpa() throws Exception {
        driver.injectPoison(0x12340);

        assertThat(transport.commands()).singleElement().satisfies(c -> {
            assertThat(c.is(CommandId.INJECT_POISON)).isTrue();
            assertThat(c.payload()).isEqualTo(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(0x12340).array());
        });
    }

    @Test
    void clearSendsTheDpaAndSixtyFourZeroBytes() throws Exception {
        driver.clearPoison(0x40);

        assertThat(transport.commands()).singleElement().satisfies(c -> {
            assertThat(c.is(CommandId.CLEAR_POISON)).isTrue();
            byte[] expected = new byte[0x48];
            expected[0] = 0x40;
            assertThat(c.payload()).isEqualTo(expected);
        });
    }

    @Test
    void aDeviceRefusalIsTheCommandsReturnCode() {
        transport.script(c -> c.is(CommandId.INJECT_POISON) ? 0x0010 : c.is(CommandId.CLEAR_POISON) ? 0x000F : null);

        assertThatThrownBy(() -> driver.injectPoison(0)).isInstanceOfSatisfying(CciCommandException.class,
                e -> assertThat(e.returnCode()).isEqualTo(ReturnCode.INJECT_POISON_LIMIT_REACHED));
        assertThatThrownBy(() -> driver.clearPoison(0)).isInstanceOfSatisfying(CciCommandException.class,
                e -> assertThat(e.returnCode().value()).isEqualTo(0x000F));
    }

    @Test
    void anUnalignedDpaIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> driver.injectPoison(0x41)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.clearPoison(0x20)).isInstanceOf(IllegalArgumentException.class);
        assertThat(transport.commands()).isEmpty();
    }
}
