package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.KeyIds;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.PlatformConfig;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device's reason for a failed verification reaches every control API client: the memdev's
 * {@code cxlkit.upload.reason} and the {@code upload} event, the activate route's 422, and the
 * reset route's answer and {@code reset} event (docs/verification-log.md).
 */
class VerificationReasonsApiTest {

    private static final KeyPair TRUSTED = keyPair();
    private static final KeyPair STRANGER = keyPair();

    @TempDir
    Path dir;
    private Daemon daemon;
    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private InputStream eventStream;

    private static KeyPair keyPair() {
        return io.cxlkit.protocol.fwpkg.SigningKeys.newPair();
    }

    @BeforeEach
    void start() throws Exception {
        DeviceConfig dev = DeviceConfig.defaults(0).toBuilder().timing(Timing.instant())
                .verifyPolicy(VerifyPolicy.SIGNED).trustedKeys(List.of(TRUSTED.getPublic())).build();
        daemon = Daemon.start(new PlatformConfig(dir.resolve("state"), List.of(dev), List.of("127.0.0.1:0"),
                Optional.empty(), "127.0.0.1:0", 256), w -> { });
        HttpResponse<InputStream> r = http.send(request("/v1/events").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        eventStream = r.body();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(eventStream, StandardCharsets.UTF_8))) {
                String type = null;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event: ")) {
                        type = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        events.add(type + " " + line.substring(6));
                    }
                }
            } catch (java.io.IOException e) {
                // the stream closed
            }
        }, "test-events");
        reader.setDaemon(true);
        reader.start();
    }

    @AfterEach
    void stop() throws Exception {
        eventStream.close();
        daemon.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(daemon.info().http() + path))
                .header("Authorization", "Bearer " + daemon.info().token());
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] signed(String revision, long securityVersion, KeyPair key) {
        return FirmwarePackage.builder().revision(revision).securityVersion(securityVersion).body(new byte[2000])
                .sign(key.getPrivate(), key.getPublic()).build().toByteArray();
    }

    private JsonNode memdev() throws Exception {
        return ControlApi.JSON.readTree(send(request("/v1/memdevs/mem0").GET().build()).body());
    }

    /** PUTs {@code image} and waits until the upload is idle again; the memdev then. */
    private JsonNode upload(byte[] image) throws Exception {
        assertThat(send(request("/v1/memdevs/mem0/firmware").PUT(HttpRequest.BodyPublishers.ofByteArray(image))
                .build()).statusCode()).isEqualTo(202);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            JsonNode m = memdev();
            if (m.path("cxlkit").path("upload").path("status").asText().equals("idle")) {
                return m;
            }
            assertThat(System.nanoTime()).as("the upload never ended").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** The data of the next event of {@code type} that contains {@code text}. */
    private String nextEvent(String type, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("no %s event with %s", type, text).isNotNull();
            if (e.startsWith(type + " ") && e.contains(text)) {
                return e.substring(type.length() + 1);
            }
        }
    }

    private HttpResponse<String> activate(int slot, boolean online) throws Exception {
        return send(request("/v1/memdevs/mem0/firmware/activate").POST(HttpRequest.BodyPublishers.ofString(
                "{\"slot\":" + slot + ",\"online\":" + online + "}")).build());
    }

    @Test
    void anUntrustedKeysUploadCarriesTheReasonInTheMemdevAndInTheUploadEvent() throws Exception {
        String reason = "signed by key " + KeyIds.of(STRANGER.getPublic()) + ", which is not trusted by this device";

        JsonNode m = upload(signed("STRANGER", 0, STRANGER));

        JsonNode u = m.path("cxlkit").path("upload");
        assertThat(u.path("error").asText()).isEqualTo("transferring:firmware-invalid");
        assertThat(u.path("reason").asText()).isEqualTo(reason);
        assertThat(u.path("return_code").asText()).isEqualTo("000Ah");
        List<String> keys = new java.util.ArrayList<>();
        u.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsSubsequence("status", "error", "reason", "opcode", "return_code");
        assertThat(m.path("firmware").has("reason")).as("nothing added to ndctl's object").isFalse();
        assertThat(m.path("firmware").has("fw_update_error")).as("the error is cxlkit's: cxlkit.upload").isFalse();

        String event = nextEvent("upload", "\"status\":\"idle\"");
        JsonNode e = ControlApi.JSON.readTree(event);
        assertThat(e.path("error").asText()).isEqualTo("transferring:firmware-invalid");
        assertThat(e.path("reason").asText()).isEqualTo(reason);
        assertThat(event).endsWith(",\"reason\":\"" + reason + "\"}");

        // the next upload, a good one, has neither
        JsonNode ok = upload(signed("GOOD", 0, TRUSTED));
        assertThat(ok.path("cxlkit").path("upload").has("reason")).isFalse();
        assertThat(ok.path("cxlkit").path("upload").has("error")).isFalse();
    }

    @Test
    void aRefusedOnlineActivationSaysWhyIn422_andARejectingResetInItsAnswerAndAnEvent() throws Exception {
        assertThat(upload(signed("SV 2", 2, TRUSTED)).path("cxlkit").path("upload").has("error")).isFalse();
        assertThat(activate(2, true).statusCode()).isEqualTo(200); // the floor is 2 now

        HttpResponse<String> refused = activate(1, true); // the factory package, security version 0
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode error = ControlApi.JSON.readTree(refused.body());
        assertThat(error.path("error").asText()).isEqualTo("device-error");
        assertThat(error.path("message").asText()).isEqualTo("mem0: security version 0 is below the device's floor 2 "
                + "(Activate FW: Activation Failed, FW Rolled Back, 000Ch)");
        assertThat(error.path("return_code").asText()).isEqualTo("000Ch");
        assertThat(error.path("reason").asText()).isEqualTo("security version 0 is below the device's floor 2");

        // a refusal no verification caused has no reason
        HttpResponse<String> noSlot = activate(4, true);
        assertThat(noSlot.statusCode()).isEqualTo(422);
        assertThat(ControlApi.JSON.readTree(noSlot.body()).has("reason")).isFalse();

        assertThat(activate(1, false).statusCode()).isEqualTo(200);
        HttpResponse<String> reset = send(request("/v1/memdevs/mem0/reset").POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(reset.statusCode()).isEqualTo(200);
        JsonNode answer = ControlApi.JSON.readTree(reset.body());
        assertThat(answer.path("cxlkit").path("reset").path("staged_slot").asInt()).isEqualTo(1);
        assertThat(answer.path("cxlkit").path("reset").path("reason").asText())
                .isEqualTo("security version 0 is below the device's floor 2");
        assertThat(answer.path("firmware").path("active_slot").asInt()).isEqualTo(2);
        assertThat(answer.path("firmware").has("staged_slot")).isFalse();
        assertThat(nextEvent("reset", "mem0")).isEqualTo(
                "{\"memdev\":\"mem0\",\"staged_slot\":1,\"reason\":\"security version 0 is below the device's floor 2\"}");

        // the next reset has nothing staged: nothing to report, and a plain GET never has it
        JsonNode again = ControlApi.JSON.readTree(send(request("/v1/memdevs/mem0/reset")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).body());
        assertThat(again.path("cxlkit").has("reset")).isFalse();
        assertThat(memdev().path("cxlkit").has("reset")).isFalse();
    }
}
