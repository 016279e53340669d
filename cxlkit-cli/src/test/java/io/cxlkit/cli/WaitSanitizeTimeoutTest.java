package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wait-sanitize -t} as ndctl v81 has it (memdev-commands.md §15.5): -1, its default, is no
 * limit, and a timeout too long for a nanosecond deadline is no limit either instead of an
 * overflow that gave up at once. The Sanitize runs for a second and a half of real time.
 */
class WaitSanitizeTimeoutTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private void waitsUntilDone(String timeout) throws Exception {
        DeviceConfig slow = DeviceConfig.defaults(0).toBuilder()
                .timing(Timing.instant().withSanitizeTime(Duration.ofMillis(1500))).build();
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), slow)) {
            assertThat(d.run("sanitize-memdev", "mem0").exit()).isZero();

            Cli.Run w = d.run("wait-sanitize", "mem0", "-t", timeout);

            assertThat(w).isEqualTo(new Cli.Run(0, "", "cxlkit: wait-sanitize: wait sanitize completed on 1 mem device"
                    + NL));
            assertThat(d.run("sanitize-memdev", "mem0", "-e").exit()).as("it had ended").isZero();
        }
    }

    @Test
    void minusOneWaitsWithoutLimit() throws Exception {
        waitsUntilDone("-1");
    }

    @Test
    void aHugeTimeoutWaitsWithoutLimit() throws Exception {
        waitsUntilDone(Long.toString(Long.MAX_VALUE));
    }

    @Test
    void theLongestFiniteTimeoutWaits() throws Exception {
        waitsUntilDone(Long.toString(WaitSanitizeCommand.UNLIMITED_MS - 1));
    }
}
