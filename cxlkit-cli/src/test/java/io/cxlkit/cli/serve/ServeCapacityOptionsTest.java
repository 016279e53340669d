package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --partitionable-capacity}, {@code --partition-align} and {@code --lsa-size}, and the
 * config file's {@code partitionable_capacity}, {@code partition_align} and {@code lsa_size}
 * (docs/capacity-and-labels.md): defaults, flags for every device, entries over flags, and one line
 * naming the device with exit 2 for a value the device cannot take.
 */
class ServeCapacityOptionsTest extends ServeOptionsTestBase {

    private static final long MIB = 1L << 20;

    @Test
    void defaults_nothingPartitionable_a128KiBLsa() {
        DeviceConfig c = config().devices().get(0);
        assertThat(c.partitionableCapacity()).isZero();
        assertThat(c.partitionAlignment()).isZero();
        assertThat(c.lsaSize()).isEqualTo(128 * 1024);
    }

    @Test
    void partitionableCapacity_defaultsTheAlignmentTo256MiB() {
        DeviceConfig c = config("--partitionable-capacity", "2GiB", "--devices", "2").devices().get(1);
        assertThat(c.partitionableCapacity()).isEqualTo(2048 * MIB);
        assertThat(c.partitionAlignment()).isEqualTo(256 * MIB);
        DeviceConfig aligned = config("--partitionable-capacity", "2G", "--partition-align", "1G").devices().get(0);
        assertThat(aligned.partitionAlignment()).isEqualTo(1024 * MIB);
    }

    @Test
    void lsaSize_takesSizes() {
        assertThat(config("--lsa-size", "1280").devices().get(0).lsaSize()).isEqualTo(1280);
        assertThat(config("--lsa-size", "16MiB").devices().get(0).lsaSize()).isEqualTo(16 << 20);
        assertThat(config("--lsa-size", "4k").devices().get(0).lsaSize()).isEqualTo(4096);
    }

    @Test
    void configFileEntriesOverrideTheFlags() throws Exception {
        Path file = yaml("""
                devices:
                  - name: mem0
                    partitionable_capacity: 1GiB
                    partition_align: 512MiB
                    lsa_size: 2048
                  - name: mem1
                  - name: mem2
                    partitionable_capacity: 0
                """);
        List<DeviceConfig> d = config("--config", file.toString(), "--lsa-size", "64KiB",
                "--partitionable-capacity", "512MiB").devices();
        assertThat(d.get(0).partitionableCapacity()).isEqualTo(1024 * MIB);
        assertThat(d.get(0).partitionAlignment()).isEqualTo(512 * MIB);
        assertThat(d.get(0).lsaSize()).isEqualTo(2048);
        assertThat(d.get(1).partitionableCapacity()).isEqualTo(512 * MIB);
        assertThat(d.get(1).partitionAlignment()).isEqualTo(256 * MIB);
        assertThat(d.get(1).lsaSize()).isEqualTo(64 * 1024);
        assertThat(d.get(2).partitionableCapacity()).isZero();
        assertThat(d.get(2).partitionAlignment()).isZero();
    }

    @Test
    void aValueTheDeviceCannotTake_isOneLineNamingTheDevice_exit2() throws Exception {
        String[][] bad = {
                {"--partitionable-capacity", "300MiB",
                        "mem0: partitionable capacity must be a multiple of 256 MiB, not 314572800 B"},
                {"--partitionable-capacity", "768MiB --partition-align 512MiB",
                        "mem0: partitionable capacity 768 MiB is not a multiple of the partition alignment 512 MiB"},
                {"--partitionable-capacity", "1GiB --partition-align 0",
                        "mem0: partitionable capacity 1024 MiB needs a partition alignment, not 0"},
                {"--partition-align", "100MiB",
                        "mem0: partition alignment must be a multiple of 256 MiB, not 104857600 B"},
                {"--lsa-size", "1279", "mem0: lsa-size must be 1280 B..16 MiB, not 1279 B"},
                {"--lsa-size", "32MiB", "mem0: lsa-size must be 1280 B..16 MiB, not 32 MiB"},
                {"--lsa-size", "8GiB", "mem0: lsa-size must be 1280 B..16 MiB, not 8 GiB"},
        };
        for (String[] b : bad) {
            List<String> args = new ArrayList<>(List.of(b[0]));
            args.addAll(List.of(b[1].split(" ")));
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exit()).as(b[1]).isEqualTo(2);
            assertThat(r.err().lines()).as(b[1]).containsExactly("cxlkit: serve: " + b[2]
                    + " (try 'cxlkit serve --help')");
        }
        Path file = yaml("""
                devices:
                  - name: mem0
                  - name: pool7
                    partitionable_capacity: 1GiB
                    partition_align: 768MiB
                """);
        Run r = run("--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("cxlkit: serve: pool7: partitionable capacity 1024 MiB is not a "
                + "multiple of the partition alignment 768 MiB (try 'cxlkit serve --help')");
        Run badKey = run("--config", yaml("devices:\n  - name: mem0\n    lsa_size: big\n").toString());
        assertThat(badKey.err()).contains("devices[0]: 'big' is not a size");
        assertThat(dir.resolve("state")).doesNotExist();
    }
}
