package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * memdev-commands.md §14: each {@code include} object is built at request time through the host
 * driver, and a failed command leaves it out (the others stay); §15.1: {@code partition_info}
 * keeps its four base keys when Get Partition Info fails. Failures are injected with the
 * {@code fail-opcode} fault on the mailbox, the host driver's CCI.
 */
class IncludeFailuresApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Partitionable, so that partition_info has its active and next sizes when Get Partition Info answers. */
    private static final DeviceConfig MEM0 = DeviceConfig.defaults(0).toBuilder().timing(Timing.instant())
            .partitionableCapacity(1L << 30).partitionAlignment(256L << 20).build();

    @RegisterExtension
    final ApiDaemon daemon = new ApiDaemon(MEM0);

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return daemon.send(daemon.request(path)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private JsonNode memdev(String include) throws Exception {
        HttpResponse<String> r = send("GET", "/v1/memdevs/mem0?include=" + include, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private void failOnce(String opcode) throws Exception {
        failOnce(opcode, "0004h");
    }

    private void failOnce(String opcode, String rc) throws Exception {
        assertThat(send("POST", "/v1/memdevs/mem0/faults", "{\"fault\":\"fail-opcode\",\"opcode\":\"" + opcode
                + "\",\"rc\":\"" + rc + "\",\"cci\":\"mailbox\",\"count\":1}").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailedGetHealthInfoLeavesHealthOutAndTheOthersIn() throws Exception {
        assertThat(keys(memdev("health,alert_config"))).contains("health", "alert_config");
        failOnce("4200h");
        JsonNode m = memdev("health,alert_config");
        assertThat(keys(m)).doesNotContain("health").contains("alert_config");
        assertThat(keys(memdev("health"))).as("one failure only").contains("health");
    }

    @Test
    void aFailedGetAlertConfigurationLeavesAlertConfigOut() throws Exception {
        failOnce("4201h");
        assertThat(keys(memdev("health,alert_config"))).contains("health").doesNotContain("alert_config");
    }

    @Test
    void aFailedGetPartitionInfoKeepsOnlyTheFourBaseSizes() throws Exception {
        assertThat(keys(memdev("partition_info").path("partition_info"))).containsExactly("total_size",
                "volatile_only_size", "persistent_only_size", "partition_alignment_size", "active_volatile_size",
                "active_persistent_size", "next_volatile_size", "next_persistent_size");
        failOnce("4100h");
        assertThat(keys(memdev("partition_info").path("partition_info"))).containsExactly("total_size",
                "volatile_only_size", "persistent_only_size", "partition_alignment_size");
    }

    @Test
    void aFailedGetPoisonListLeavesMediaErrorsOut() throws Exception {
        assertThat(send("POST", "/v1/memdevs/mem0/poison", "{\"dpa\":4096}").statusCode()).isEqualTo(200);
        assertThat(keys(memdev("media_errors"))).contains("media_errors");
        failOnce("4300h");
        assertThat(keys(memdev("media_errors"))).doesNotContain("media_errors");
    }

    /** §14: a device error on sanitize, 0006h included, is a 422 (409 is only for a Sanitize the host runs). */
    @Test
    void aSanitizeTheDeviceAnswers0006hIsA422() throws Exception {
        failOnce("4400h", "0006h");
        HttpResponse<String> r = send("POST", "/v1/memdevs/mem0/sanitize", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.path("error").asText()).isEqualTo("device-error");
        assertThat(error.path("return_code").asText()).isEqualTo("0006h");
        assertThat(JSON.readTree(send("GET", "/v1/memdevs/mem0/security", null).body()).path("security_state")
                .asText()).isEqualTo("disabled");
    }
}
