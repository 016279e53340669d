package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.server.PlatformConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --sanitize-time DURATION} and the config file's {@code sanitize_time}: they replace
 * the timing preset's Sanitize duration, as {@code --fw-activate-time} does for activation.
 */
class ServeSanitizeOptionsTest extends ServeOptionsTestBase {

    private static final long S = 1_000_000_000L;
    private static final long GIB = 1L << 30;

    @Test
    void byDefault_thePresetDecides_realistic1sPlusCOver1GiBPerSecond() {
        DeviceConfig d = config().devices().get(0);
        assertThat(d.timing().sanitizeNanos(d.totalCapacity())).isEqualTo(S + d.totalCapacity() * S / GIB);
        DeviceConfig q = config("--timing", "qemu").devices().get(0);
        assertThat(q.timing().sanitizeNanos(GIB)).isEqualTo(8 * S);
    }

    @Test
    void theFlagSetsEveryDevice_andAnEntryOverridesIt() throws Exception {
        PlatformConfig flags = config("--devices", "2", "--timing", "qemu", "--sanitize-time", "250ms");
        for (DeviceConfig d : flags.devices()) {
            assertThat(d.timing().sanitizeNanos(d.totalCapacity())).isEqualTo(250_000_000L);
            assertThat(d.timing().activateNanos()).isZero(); // the preset's other durations stay
        }
        Path file = yaml("""
                devices:
                  - name: mem0
                    sanitize_time: 3s
                  - name: mem1
                """);
        PlatformConfig c = config("--config", file.toString(), "--sanitize-time", "0s");
        assertThat(c.devices().get(0).timing().sanitizeNanos(GIB)).isEqualTo(3 * S);
        assertThat(c.devices().get(1).timing().sanitizeNanos(GIB)).isZero();
    }

    @Test
    void aBadDurationIsOneLineAndExit2() {
        Run r = run("--sanitize-time", "soon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("cxlkit: serve: ").contains("soon");
    }
}
