package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code set-partition} and {@code list -I} against an embedded daemon whose mem1 has 1 GiB of
 * partitionable capacity in 256 MiB steps and nothing else (memdev-commands.md §5, §13.1, §15.1,
 * §15.4): ndctl's arithmetic and output, the change pending until a cold reset, and the host
 * driver's sizes from Get Partition Info after it re-attaches.
 */
class SetPartitionCommandTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private EmbeddedDaemon start() throws Exception {
        DeviceConfig partitionable = EmbeddedDaemon.instant(1).toBuilder().persistentCapacity(0)
                .partitionableCapacity(1L << 30).partitionAlignment(256L << 20).build();
        return EmbeddedDaemon.start(dir.resolve("state"), EmbeddedDaemon.instant(0), partitionable);
    }

    /** mem1 as {@code list -I} prints it, its capacity split volatile/persistent now and next (MiB). */
    private static String mem1(long activeVolatile, long nextVolatile, boolean pending) {
        long mib = 1L << 20;
        long ram = activeVolatile * mib;
        long pmem = (1024 - activeVolatile) * mib;
        return "[\n  {\n    \"memdev\":\"mem1\",\n"
                + (pmem != 0 ? "    \"pmem_size\":" + pmem + ",\n" : "")
                + (ram != 0 ? "    \"ram_size\":" + ram + ",\n" : "")
                + "    \"serial\":1,\n    \"host\":\"0000:0e:00.0\",\n    \"firmware_version\":\"BWFW VERSION 0\",\n"
                + "    \"partition_info\":{\n"
                + "      \"total_size\":1073741824,\n"
                + "      \"volatile_only_size\":0,\n"
                + "      \"persistent_only_size\":0,\n"
                + "      \"partition_alignment_size\":268435456,\n"
                + "      \"active_volatile_size\":" + ram + ",\n"
                + "      \"active_persistent_size\":" + pmem + ",\n"
                + "      \"next_volatile_size\":" + (pending ? nextVolatile * mib : 0) + ",\n"
                + "      \"next_persistent_size\":" + (pending ? (1024 - nextVolatile) * mib : 0) + "\n"
                + "    }\n  }\n]\n";
    }

    @Test
    void listIShowsGetPartitionInfosSizesWhenThereIsAnAlignment() throws Exception {
        try (EmbeddedDaemon d = start()) {
            assertThat(d.run("list", "-I", "-m", "mem1").out()).isEqualTo(mem1(0, 0, false));
            assertThat(d.run("list", "-I", "-u", "-m", "mem1").out()).isEqualTo("""
                    {
                      "memdev":"mem1",
                      "pmem_size":"1024.00 MiB (1073.74 MB)",
                      "serial":"0x1",
                      "host":"0000:0e:00.0",
                      "firmware_version":"BWFW VERSION 0",
                      "partition_info":{
                        "total_size":"1024.00 MiB (1073.74 MB)",
                        "volatile_only_size":0,
                        "persistent_only_size":0,
                        "partition_alignment_size":"256.00 MiB (268.44 MB)",
                        "active_volatile_size":0,
                        "active_persistent_size":"1024.00 MiB (1073.74 MB)",
                        "next_volatile_size":0,
                        "next_persistent_size":0
                      }
                    }
                    """);
        }
    }

    @Test
    void aNewPartitioningWaitsForTheNextColdResetAndTheDriverThenSeesIt() throws Exception {
        try (EmbeddedDaemon d = start()) {
            Cli.Run r = d.run("set-partition", "mem1", "-t", "ram", "-s", "512M");
            assertThat(r.err()).isEqualTo("cxlkit: set-partition: set_partition 1 mem" + NL);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(mem1(0, 512, true));
            assertThat(d.run("list", "-I", "-m", "mem1").out()).isEqualTo(mem1(0, 512, true));

            assertThat(d.run("reset", "mem1").exit()).isZero();
            assertThat(d.run("list", "-I", "-m", "mem1").out()).isEqualTo(mem1(512, 0, false));
            assertThat(d.run("list", "-m", "mem1").out()).contains("\"pmem_size\":536870912,\n    \"ram_size\":536870912,");

            // pmem with no size: all the available capacity persistent, so nothing volatile
            Cli.Run back = d.run("set-partition", "mem1");
            assertThat(back.exit()).isZero();
            assertThat(back.out()).isEqualTo(mem1(512, 0, true));
        }
    }

    @Test
    void ndctlsArithmeticAndRefusals() throws Exception {
        try (EmbeddedDaemon d = start()) {
            Cli.Run unaligned = d.run("set-partition", "mem1", "-t", "ram", "-s", "300M");
            assertThat(unaligned.exit()).isEqualTo(1);
            assertThat(unaligned.out()).isEqualTo(Expected.EMPTY_ARRAY);
            assertThat(unaligned.err()).isEqualTo("cxlkit: set-partition: mem1: size 314572800 is not partition aligned "
                    + "268435456" + NL + Expected.NO_MATCHING_DEVICES + "cxlkit: set-partition: set_partition 0 mem" + NL);

            assertThat(d.run("set-partition", "mem1", "-t", "ram", "-s", "300M", "-a").out()).isEqualTo(mem1(0, 512, true));
            // pmem 300M: the volatile share 724 MiB aligned down to 512 MiB
            assertThat(d.run("set-partition", "mem1", "-t", "pmem", "-s", "300M", "--align").out())
                    .isEqualTo(mem1(0, 512, true));
            assertThat(d.run("set-partition", "mem1", "-t", "volatile", "-s", "0x40000000").out())
                    .isEqualTo(mem1(0, 1024, true));

            Cli.Run tooMuch = d.run("set-partition", "mem1", "-t", "ram", "-s", "2G");
            assertThat(tooMuch.exit()).isEqualTo(1);
            assertThat(tooMuch.errLines()).first().isEqualTo(
                    "cxlkit: set-partition: mem1: 2147483648 exceeds available capacity 1073741824");
        }
    }

    @Test
    void withSeveralMemdevsTheOnesThatCannotAreLinesAndTheOthersPrint() throws Exception {
        try (EmbeddedDaemon d = start()) {
            Cli.Run r = d.run("set-partition", "all", "-t", "ram", "-s", "256M");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(mem1(0, 256, true));
            assertThat(r.errLines()).containsExactly("cxlkit: set-partition: mem0: no available capacity",
                    "cxlkit: set-partition: set_partition 1 mem");
            assertThat(d.run("set-partition", "all", "-t", "ram", "-s", "256M", "--strict").exit()).isEqualTo(1);

            // all persistent, which it is now: nothing is pending any more (memdev-commands.md §5)
            Cli.Run human = Cli.runWithStdoutTty(true, "set-partition", "mem1", "--state-dir", d.stateDir.toString());
            assertThat(human.exit()).isZero();
            assertThat(human.out()).startsWith("{\n  \"memdev\":\"mem1\",\n  \"pmem_size\":\"1024.00 MiB (1073.74 MB)\",\n")
                    .endsWith("    \"next_volatile_size\":0,\n    \"next_persistent_size\":0\n  }\n}\n");
        }
    }
}
