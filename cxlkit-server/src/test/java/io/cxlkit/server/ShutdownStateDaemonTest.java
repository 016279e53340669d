package io.cxlkit.server;

import static io.cxlkit.server.OneMemdevDaemon.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the daemon powers its devices off and on (docs/events-and-health.md "Shutdown state"):
 * stopping it ({@link Daemon#close()}, what SIGINT/SIGTERM run) is a graceful power-off that makes
 * the shutdown state clean, or dirty with {@code gpf-fail}; the control API's reset powers off and
 * on; a start counts a dirty state. After every power-on the host driver attaches and arms the state
 * dirty again (memdev-commands.md §13.1), so that a crash from then on counts.
 */
class ShutdownStateDaemonTest {

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private static CxlDevice device(Daemon d) {
        return d.platform().memdev("mem0").orElseThrow().device();
    }

    private static void arm(Daemon d) {
        OneMemdevDaemon.setShutdownState(device(d), true);
    }

    private static boolean dirty(Daemon d) {
        return OneMemdevDaemon.dirty(device(d));
    }

    private HttpResponse<String> post(Daemon d, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(d.info().http() + path))
                .header("Authorization", "Bearer " + d.info().token())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String shutdownFile() throws Exception {
        return Files.readString(dir.resolve("state").resolve("mem0").resolve("shutdown.properties"));
    }

    @Test
    void aStopIsAGracefulPowerOff_theNextStartCountsNothing() throws Exception {
        try (Daemon d = start(dir)) {
            arm(d);
            assertThat(dirty(d)).isTrue();
        }
        assertThat(shutdownFile()).isEqualTo("dirty=false\ndirty_shutdown_count=0\n");
        try (Daemon d = start(dir)) {
            assertThat(device(d).healthInfo().dirtyShutdownCount()).isZero();
        }
    }

    @Test
    void aStopWithGpfFailLeavesItDirty_theNextStartCountsIt() throws Exception {
        try (Daemon d = start(dir)) {
            assertThat(post(d, "/v1/memdevs/mem0/faults", "{\"fault\":\"gpf-fail\"}").statusCode()).isEqualTo(200);
        }
        assertThat(shutdownFile()).isEqualTo("dirty=true\ndirty_shutdown_count=0\n");
        try (Daemon d = start(dir)) {
            assertThat(device(d).healthInfo().dirtyShutdownCount()).isEqualTo(1);
            assertThat(dirty(d)).as("the power-on made it clean, then the host driver armed it").isTrue();
        }
    }

    @Test
    void theControlApisReset_powersOffAndOn() throws Exception {
        try (Daemon d = start(dir)) {
            arm(d);
            assertThat(post(d, "/v1/memdevs/mem0/reset", "").statusCode()).isEqualTo(200);
            assertThat(dirty(d)).as("clean at the power-off, armed again by the host driver's attach").isTrue();
            assertThat(device(d).healthInfo().dirtyShutdownCount()).isZero();
            assertThat(post(d, "/v1/memdevs/mem0/faults", "{\"fault\":\"gpf-fail\"}").statusCode()).isEqualTo(200);
            assertThat(post(d, "/v1/memdevs/mem0/reset", "").statusCode()).isEqualTo(200);
            assertThat(device(d).healthInfo().dirtyShutdownCount()).isEqualTo(1);
            assertThat(device(d).faults()).isEmpty();
        }
    }
}
