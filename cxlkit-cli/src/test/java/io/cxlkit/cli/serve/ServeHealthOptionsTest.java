package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.CriticalThresholds;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.server.PlatformConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The event log size and the critical alert thresholds as {@code serve} options and config file
 * keys (docs/events-and-health.md "Device settings"): defaults, flags for every device, entries
 * over flags, and one line with exit 2 for a value out of range.
 */
class ServeHealthOptionsTest extends ServeOptionsTestBase {

    @Test
    void defaults_8RecordsPerLog_and75_85_0() {
        DeviceConfig d = config().devices().get(0);
        assertThat(d.eventLogSize()).isEqualTo(8);
        assertThat(d.criticalThresholds()).isEqualTo(new CriticalThresholds(75, 85, 0));
    }

    @Test
    void flagsSetEveryDevice() {
        PlatformConfig c = config("--devices", "2", "--event-log-size", "1024", "--life-used-critical", "90",
                "--over-temp-critical", "100", "--under-temp-critical", "-20");
        for (DeviceConfig d : c.devices()) {
            assertThat(d.eventLogSize()).isEqualTo(1024);
            assertThat(d.criticalThresholds()).isEqualTo(new CriticalThresholds(90, 100, -20));
        }
    }

    @Test
    void configEntriesOverrideTheFlags_keyByKey() throws Exception {
        Path file = yaml("""
                devices:
                  - name: mem0
                    event_log_size: 1
                    life_used_critical: 50
                    under_temp_critical: -40
                  - name: mem1
                    over_temp_critical: 120
                """);
        PlatformConfig c = config("--config", file.toString(), "--event-log-size", "16", "--over-temp-critical", "90");
        assertThat(c.devices().get(0).eventLogSize()).isEqualTo(1);
        assertThat(c.devices().get(0).criticalThresholds()).isEqualTo(new CriticalThresholds(50, 90, -40));
        assertThat(c.devices().get(1).eventLogSize()).isEqualTo(16);
        assertThat(c.devices().get(1).criticalThresholds()).isEqualTo(new CriticalThresholds(75, 120, 0));
    }

    @Test
    void aValueOutOfRangeIsOneLineAndExit2() throws Exception {
        String[][] bad = {
                {"--event-log-size", "0", "event-log-size must be 1..1024, not 0"},
                {"--event-log-size", "1025", "event-log-size must be 1..1024, not 1025"},
                {"--life-used-critical", "40", "life-used-critical must be 41..100 (above the life used warning's "
                        + "default, 40), not 40"},
                {"--life-used-critical", "101", "life-used-critical must be 41..100 (above the life used warning's "
                        + "default, 40), not 101"},
                {"--over-temp-critical", "75", "over-temp-critical must be 76..32767 (above the over-temperature "
                        + "warning's default, 75), not 75"},
                {"--under-temp-critical", "5", "under-temp-critical must be -32768..4 (below the under-temperature "
                        + "warning's default, 5), not 5"},
        };
        for (String[] b : bad) {
            Run r = run(b[0], b[1]);
            assertThat(r.exit()).as(b[0] + " " + b[1]).isEqualTo(2);
            assertThat(r.err().lines()).as(b[0]).containsExactly("cxlkit: serve: " + b[2]
                    + " (try 'cxlkit serve --help')");
        }
        // a range is checked as for every other setting, once the entry and the flags are merged
        Run range = run("--config", yaml("devices:\n  - name: mem0\n    event_log_size: 2000\n").toString());
        assertThat(range.exit()).isEqualTo(2);
        assertThat(range.err().lines()).containsExactly("cxlkit: serve: event-log-size must be 1..1024, not 2000"
                + " (try 'cxlkit serve --help')");
        for (String[] b : new String[][] {
                {"    over_temp_critical: hot\n", "'over_temp_critical' has a bad value: \"hot\""},
                {"    under_temp_critical: 1.5\n", "'under_temp_critical' has a bad value: 1.5"}}) {
            Path file = yaml("devices:\n  - name: mem0\n" + b[0]);
            Run r = run("--config", file.toString());
            assertThat(r.exit()).as(b[0]).isEqualTo(2);
            assertThat(r.err().lines()).as(b[0]).containsExactly("cxlkit: serve: " + file + ": devices[0]: " + b[1]
                    + " (try 'cxlkit serve --help')");
        }
        assertThat(dir.resolve("state")).doesNotExist();
    }
}
