package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.PlatformConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cold reset through the control API while a Sanitize runs (memdev-commands.md §13.3, §14): the
 * reset's answer comes after the host's state is settled, so the very next request sees
 * {@code disabled} with {@code last_sanitize} 0018h Interrupted, and a new Sanitize is not a 409.
 */
class SanitizeResetApiTest {

    @TempDir
    Path dir;
    private Daemon daemon;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        // the Sanitize runs for ten minutes: only the reset ends it here
        DeviceConfig slow = DeviceConfig.defaults(0).toBuilder()
                .timing(Timing.instant().withSanitizeTime(Duration.ofMinutes(10))).build();
        daemon = Daemon.start(new PlatformConfig(dir.resolve("state"), List.of(slow), List.of("127.0.0.1:0"),
                Optional.empty(), "127.0.0.1:0", 256), w -> { });
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(daemon.info().http() + path))
                .header("Authorization", "Bearer " + daemon.info().token())
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void afterAColdResetTheNextRequestsSeeTheSanitizeEnded() throws Exception {
        String interrupted = "{\n  \"memdev\":\"mem0\",\n  \"security_state\":\"disabled\",\n  \"last_sanitize\":{\n"
                + "    \"return_code\":\"0018h\",\n    \"return_code_name\":\"Interrupted\"\n  }\n}\n";
        assertThat(send("POST", "/v1/memdevs/mem0/sanitize").statusCode()).isEqualTo(202);
        for (int round = 0; round < 20; round++) {
            assertThat(send("POST", "/v1/memdevs/mem0/reset").statusCode()).isEqualTo(200);

            // no wait_ms: the state must already be settled when the reset answered
            assertThat(send("GET", "/v1/memdevs/mem0/security").body()).as("round " + round).isEqualTo(interrupted);
            HttpResponse<String> again = send("POST", "/v1/memdevs/mem0/sanitize");
            assertThat(again.statusCode()).as("round " + round + ": " + again.body()).isEqualTo(202);
        }
    }
}
