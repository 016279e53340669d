package io.cxlkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.host.driver.MemdevDriver;
import io.cxlkit.host.driver.SecurityStatus;
import io.cxlkit.server.state.StateDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the platform closes its host drivers after the devices: a Sanitize's watcher stops and
 * a client waiting for the security state ({@code GET .../security?wait_ms=600000}) is let go.
 * The device's close already drops the Sanitize, which the watcher reads as its end; the driver's
 * close after it must neither hang nor fail, and stops a watcher the device did not wake.
 */
class PlatformCloseSanitizeTest {

    @TempDir
    Path dir;

    @Test
    void closeLetsSecurityWaitersGoAndStopsTheWatcher() throws Exception {
        DeviceConfig slow = DeviceConfig.defaults(0).toBuilder()
                .timing(Timing.instant().withSanitizeTime(Duration.ofMinutes(10))).build();
        try (StateDirectory state = StateDirectory.acquire(dir.resolve("state"), w -> { })) {
            Platform platform = Platform.open(state, List.of(slow), (name, status) -> { });
            MemdevDriver driver = platform.memdev("mem0").orElseThrow().driver();
            assertThat(driver.sanitize(false)).isTrue();
            CompletableFuture<SecurityStatus> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return driver.awaitSanitize(Duration.ofMinutes(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            platform.close();

            waiter.get(10, TimeUnit.SECONDS);
            Thread watcher = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("mem0-sanitize")).findFirst().orElse(null);
            if (watcher != null) {
                watcher.join(10_000);
                assertThat(watcher.isAlive()).as("the watcher stopped").isFalse();
            }
        }
    }
}
