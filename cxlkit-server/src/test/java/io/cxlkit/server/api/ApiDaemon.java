package io.cxlkit.server.api;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.persist.FileTrees;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.Platform;
import io.cxlkit.server.PlatformConfig;
import io.cxlkit.server.state.DaemonInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real daemon for each test of a control API test class ({@code @RegisterExtension}): one
 * memdev per configuration, mem0 first, on loopback ports the system picks, with a state
 * directory of its own that goes with it; and an HTTP client whose requests carry its token.
 */
final class ApiDaemon implements BeforeEachCallback, AfterEachCallback {

    private final List<DeviceConfig> devices;
    private final HttpClient http = HttpClient.newHttpClient();
    private Path dir;
    private Daemon daemon;

    ApiDaemon(DeviceConfig... devices) {
        this.devices = List.of(devices);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("cxlkit-api-");
        daemon = Daemon.start(new PlatformConfig(stateDir(), devices, List.of("127.0.0.1:0"), Optional.empty(),
                "127.0.0.1:0", 256), w -> { });
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            FileTrees.delete(dir);
        }
    }

    Path stateDir() {
        return dir.resolve("state");
    }

    DaemonInfo info() {
        return daemon.info();
    }

    Platform platform() {
        return daemon.platform();
    }

    /** A request to {@code path} (from {@code /v1}) with the daemon's token. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(daemon.info().http() + path))
                .header("Authorization", "Bearer " + daemon.info().token());
    }

    /** Sends {@code r}; the body as text. */
    HttpResponse<String> send(HttpRequest r) throws Exception {
        return send(r, HttpResponse.BodyHandlers.ofString());
    }

    <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> body) throws Exception {
        return http.send(r, body);
    }
}
