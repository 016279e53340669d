package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.config.VerifyPolicy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API's memdev objects are the host's view as sysfs is for ndctl: their {@code firmware} object
 * has ndctl's keys and nothing else at every point of an upload (accepted, running, failed,
 * cancelled), and the upload's stage and outcome are in {@code cxlkit.upload}.
 */
class MemdevObjectKeysApiTest {

    /** The firmware keys ndctl v81 prints (cxl/json.c), in its order. */
    private static final List<String> NDCTL_FIRMWARE_KEYS = List.of("num_slots", "active_slot", "staged_slot",
            "online_activate_capable", "slot_1_version", "slot_2_version", "slot_3_version", "slot_4_version",
            "fw_update_in_progress", "remaining_size");

    /** 50 ms per Transfer FW part: a 200 KB image runs 2.5 s, long enough to look at while it runs. */
    @RegisterExtension
    final ApiDaemon daemon = new ApiDaemon(DeviceConfig.defaults(0).toBuilder()
            .timing(Timing.instant().withPartTime(Duration.ofMillis(50))).verifyPolicy(VerifyPolicy.PACKAGE).build());

    private HttpRequest.Builder request(String path) {
        return daemon.request(path);
    }

    private JsonNode send(HttpRequest r, int status) throws Exception {
        HttpResponse<String> answer = daemon.send(r);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return ControlApi.JSON.readTree(answer.body());
    }

    private JsonNode memdev() throws Exception {
        return send(request("/v1/memdevs/mem0").GET().build(), 200);
    }

    private static List<String> keys(JsonNode o) {
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** The firmware object's keys are ndctl's, in ndctl's order. */
    private static void assertNdctlKeysOnly(JsonNode memdev) {
        List<String> keys = keys(memdev.path("firmware"));
        assertThat(NDCTL_FIRMWARE_KEYS).as(memdev.toString()).containsSubsequence(keys);
    }

    private JsonNode awaitIdle() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            JsonNode m = memdev();
            if (m.path("cxlkit").path("upload").path("status").asText().equals("idle")) {
                return m;
            }
            assertThat(System.nanoTime()).as("the upload never ended").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aFailedUploadShowsItsStageAndErrorInTheCxlkitObjectOnly() throws Exception {
        byte[] junk = new byte[200_000]; // not a package: End fails verification after 51 parts
        JsonNode accepted = send(request("/v1/memdevs/mem0/firmware").PUT(HttpRequest.BodyPublishers.ofByteArray(junk))
                .build(), 202);
        assertNdctlKeysOnly(accepted);
        assertThat(keys(accepted.path("firmware"))).endsWith("fw_update_in_progress", "remaining_size");
        assertThat(accepted.path("firmware").path("remaining_size").asLong()).isEqualTo(junk.length);
        assertThat(accepted.path("cxlkit").path("upload").path("status").asText()).isEqualTo("receiving");

        JsonNode running = memdev();
        assertNdctlKeysOnly(running);
        assertThat(running.path("firmware").path("fw_update_in_progress").asBoolean()).isTrue();

        JsonNode failed = awaitIdle();
        assertNdctlKeysOnly(failed);
        assertThat(keys(failed.path("firmware"))).endsWith("fw_update_in_progress");
        assertThat(failed.path("cxlkit").path("upload").path("error").asText())
                .isEqualTo("transferring:firmware-invalid");
        JsonNode listed = send(request("/v1/memdevs").GET().build(), 200).get(0);
        assertThat(listed).isEqualTo(failed);
    }

    @Test
    void aCancelledUploadShowsUserAbortInTheCxlkitObjectOnly() throws Exception {
        send(request("/v1/memdevs/mem0/firmware").PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[200_000]))
                .build(), 202);
        send(request("/v1/memdevs/mem0/firmware/upload").DELETE().build(), 202);
        JsonNode cancelled = awaitIdle();
        assertNdctlKeysOnly(cancelled);
        assertThat(cancelled.path("cxlkit").path("upload").path("error").asText()).endsWith(":user-abort");
    }
}
