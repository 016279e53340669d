package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.server.PlatformConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Scan Media time and the poison limits as {@code serve} options and config file keys
 * (docs/media-and-poison.md "Device settings"): defaults, flags for every device, entries over
 * flags, and one line with exit 2 for a value out of range.
 */
class ServeMediaOptionsTest extends ServeOptionsTestBase {

    private static final long MS = 1_000_000L;

    @Test
    void defaults_256Records_noInjectLimit_scanTimeByThePreset() {
        DeviceConfig d = config().devices().get(0);
        assertThat(d.poisonMaxRecords()).isEqualTo(256);
        assertThat(d.injectPoisonLimit()).isZero();
        assertThat(d.timing().scanMediaNanos(8L << 30)).as("realistic: 10 ms + 1 s").isEqualTo(1010 * MS);
    }

    @Test
    void flagsSetEveryDevice_andTheScanTimeOverridesAnyPreset() {
        PlatformConfig c = config("--devices", "2", "--timing", "qemu", "--scan-media-time", "25ms",
                "--poison-max-records", "3", "--inject-poison-limit", "65535");
        for (DeviceConfig d : c.devices()) {
            assertThat(d.poisonMaxRecords()).isEqualTo(3);
            assertThat(d.injectPoisonLimit()).isEqualTo(65535);
            assertThat(d.timing().scanMediaNanos(1L << 30)).isEqualTo(25 * MS);
            assertThat(d.timing().partNanos(128)).as("the rest of the preset stays").isEqualTo(2_000 * MS);
        }
    }

    @Test
    void configEntriesOverrideTheFlags_keyByKey() throws Exception {
        Path file = yaml("""
                devices:
                  - name: mem0
                    scan_media_time: 1s
                    poison_max_records: 16777215
                  - name: mem1
                    inject_poison_limit: 0
                """);
        PlatformConfig c = config("--config", file.toString(), "--scan-media-time", "5ms", "--inject-poison-limit",
                "4");
        assertThat(c.devices().get(0).timing().scanMediaNanos(64)).isEqualTo(1000 * MS);
        assertThat(c.devices().get(0).poisonMaxRecords()).isEqualTo(16777215);
        assertThat(c.devices().get(0).injectPoisonLimit()).isEqualTo(4);
        assertThat(c.devices().get(1).timing().scanMediaNanos(64)).isEqualTo(5 * MS);
        assertThat(c.devices().get(1).poisonMaxRecords()).isEqualTo(256);
        assertThat(c.devices().get(1).injectPoisonLimit()).isZero();
    }

    @Test
    void aValueOutOfRangeIsOneLineAndExit2() throws Exception {
        String[][] bad = {
                {"--poison-max-records", "0", "poison-max-records must be 1..16777215, not 0"},
                {"--poison-max-records", "16777216", "poison-max-records must be 1..16777215, not 16777216"},
                {"--inject-poison-limit", "-1", "inject-poison-limit must be 0..65535 (0: no limit), not -1"},
                {"--inject-poison-limit", "65536", "inject-poison-limit must be 0..65535 (0: no limit), not 65536"},
        };
        for (String[] b : bad) {
            Run r = run(b[0], b[1]);
            assertThat(r.exit()).as(b[0] + " " + b[1]).isEqualTo(2);
            assertThat(r.err().lines()).as(b[0]).containsExactly("cxlkit: serve: " + b[2]
                    + " (try 'cxlkit serve --help')");
        }
        Run time = run("--scan-media-time", "soon");
        assertThat(time.exit()).isEqualTo(2);
        assertThat(time.err().lines()).hasSize(1).allMatch(l -> l.startsWith("cxlkit: serve: "));
        Run range = run("--config", yaml("devices:\n  - name: mem0\n    poison_max_records: 0\n").toString());
        assertThat(range.exit()).isEqualTo(2);
        assertThat(range.err().lines()).containsExactly("cxlkit: serve: poison-max-records must be 1..16777215, not 0"
                + " (try 'cxlkit serve --help')");
        Path file = yaml("devices:\n  - name: mem0\n    scan_media_time: 5\n");
        Run number = run("--config", file.toString());
        assertThat(number.exit()).isEqualTo(2);
        assertThat(number.err().lines()).hasSize(1).allMatch(l -> l.startsWith("cxlkit: serve: " + file
                + ": devices[0]: 'scan_media_time' must be a duration"));
        assertThat(dir.resolve("state")).doesNotExist();
    }
}
