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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One DPA syntax for every route (memdev-commands.md §15: decimal or 0x-prefixed hexadecimal; in
 * JSON a number or such a string): the media-error fault takes exactly what Inject Poison takes,
 * and refuses the same, with the same words.
 */
class DpaParsingApiTest {

    @TempDir
    static Path dir;
    private static Daemon daemon;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        DeviceConfig dev = DeviceConfig.defaults(0).toBuilder().timing(Timing.instant()).build();
        daemon = Daemon.start(new PlatformConfig(dir.resolve("state"), List.of(dev), List.of("127.0.0.1:0"),
                Optional.empty(), "127.0.0.1:0", 256), w -> { });
    }

    @AfterAll
    static void stop() {
        daemon.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(daemon.info().http() + path))
                .header("Authorization", "Bearer " + daemon.info().token())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"64", "\"64\"", "\"0x40\"", "\"0X40\"", "\"0x0000000000000040\""})
    void aDpaBothRoutesTake(String dpa) throws Exception {
        assertThat(post("/v1/memdevs/mem0/poison", "{\"dpa\":" + dpa + "}").statusCode()).isEqualTo(200);
        assertThat(post("/v1/memdevs/mem0/faults", "{\"fault\":\"media-error\",\"dpa\":" + dpa + "}").statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\" 64\"", "\"64 \"", "\"+64\"", "\"0X+40\"", "\"0x+40\"", "\"0x-40\"", "\"-64\"", "-64",
            "\"ten\"", "\"0x\"", "\"\"", "64.0", "true", "null", "\"0x10000000000000000\""})
    void aDpaBothRoutesRefuseWithTheSameWords(String dpa) throws Exception {
        HttpResponse<String> poison = post("/v1/memdevs/mem0/poison", "{\"dpa\":" + dpa + "}");
        HttpResponse<String> fault = post("/v1/memdevs/mem0/faults", "{\"fault\":\"media-error\",\"dpa\":" + dpa + "}");

        assertThat(poison.statusCode()).as("poison").isEqualTo(400);
        assertThat(fault.statusCode()).as("media-error").isEqualTo(400);
        String poisonMessage = poison.body().replaceFirst("^.*\"message\":\"", "");
        assertThat(fault.body()).contains("\"message\":\"media-error: " + poisonMessage);
    }

    @Test
    void aZeroLengthSaysWhatIsWrong() throws Exception {
        for (String length : List.of("0", "-64", "\"64\"")) {
            HttpResponse<String> r = post("/v1/memdevs/mem0/faults",
                    "{\"fault\":\"media-error\",\"dpa\":0,\"length\":" + length + "}");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":\"bad-request\",\"message\":\"media-error: 'length' must be a "
                    + "positive multiple of 64, not " + length.replace("\"", "\\\"") + "\"}\n");
        }
    }
}
