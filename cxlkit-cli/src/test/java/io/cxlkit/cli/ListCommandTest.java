package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.server.state.StateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxlkit list} against an embedded daemon, byte for byte. */
class ListCommandTest {

    @TempDir
    Path dir;

    @Test
    void factoryDefaultListFIsExactlyWhatCliMdShows() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("list", "-F");
            assertThat(r.out()).isEqualTo(Expected.FACTORY_LIST_F);
            assertThat(r.err()).isEmpty();
            assertThat(r.exit()).isZero();
            assertThat(d.run("list", "-M", "--firmware").out()).isEqualTo(Expected.FACTORY_LIST_F);
        }
    }

    @Test
    void humanSingleMemdevPrintsTheBareObject() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            Cli.Run r = d.run("list", "-F", "-u", "-m", "mem0");
            assertThat(r.out()).isEqualTo(Expected.FACTORY_HUMAN_MEM0);
            assertThat(r.err()).isEmpty();
            assertThat(r.exit()).isZero();
            assertThat(d.run("list", "--human", "--firmware", "--memdev", "0").out())
                    .isEqualTo(Expected.FACTORY_HUMAN_MEM0);
        }
    }

    @Test
    void withoutFLeavesTheFirmwareObjectOut() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            assertThat(d.run("list").out()).isEqualTo("""
                    [
                      {
                        "memdev":"mem0",
                        "pmem_size":1073741824,
                        "serial":0,
                        "host":"0000:0d:00.0",
                        "firmware_version":"BWFW VERSION 0"
                      }
                    ]
                    """);
        }
    }

    @Test
    void cxlkitAddsTheCxlkitObjectLast() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            assertThat(d.run("list", "--cxlkit").out()).isEqualTo("""
                    [
                      {
                        "memdev":"mem0",
                        "pmem_size":1073741824,
                        "serial":0,
                        "host":"0000:0d:00.0",
                        "firmware_version":"BWFW VERSION 0",
                        "cxlkit":{
                          "fw_max_size":33554432,
                          "fw_verify":"package",
                          "security_version_floor":0,
                          "faults":[
                          ],
                          "upload":{
                            "status":"idle",
                            "bytes_sent":0,
                            "parts_sent":0
                          }
                        }
                      }
                    ]
                    """);
        }
    }

    @Test
    void memdevFilterSelectsInTheDaemonsOrder() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 3)) {
            Cli.Run r = d.run("list", "-m", "mem2", "-m", "0");
            assertThat(r.out()).isEqualTo("""
                    [
                      {
                        "memdev":"mem0",
                        "pmem_size":1073741824,
                        "serial":0,
                        "host":"0000:0d:00.0",
                        "firmware_version":"BWFW VERSION 0"
                      },
                      {
                        "memdev":"mem2",
                        "pmem_size":1073741824,
                        "serial":2,
                        "host":"0000:0f:00.0",
                        "firmware_version":"BWFW VERSION 0"
                      }
                    ]
                    """);
            assertThat(d.run("list", "-m", "all").out()).isEqualTo(d.run("list").out());
            assertThat(d.run("list", "-u", "-m", "1 mem9").out()).contains("\"serial\":\"0x1\"").startsWith("{");
        }
    }

    @Test
    void noMatchPrintsAnEmptyArrayAndNdctlsWarningAndSucceeds() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("list", "-F", "-m", "mem9");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(Expected.EMPTY_ARRAY);
            assertThat(r.err()).isEqualTo(Expected.NO_MATCHING_DEVICES);
            // ndctl prints nothing at all in -u mode; cxlkit keeps the array (README, differences)
            Cli.Run human = d.run("list", "-u", "-m", "mem9");
            assertThat(human.out()).isEqualTo(Expected.EMPTY_ARRAY);
            assertThat(human.err()).isEqualTo(Expected.NO_MATCHING_DEVICES);
        }
    }

    /** mem0 .. mem2 as {@code list} prints them with {@code -m} of the given ids. */
    private static String memdevs(int... ids) {
        StringBuilder b = new StringBuilder("[\n");
        for (int k = 0; k < ids.length; k++) {
            int i = ids[k];
            b.append("  {\n    \"memdev\":\"mem").append(i).append("\",\n    \"pmem_size\":1073741824,\n")
                    .append("    \"serial\":").append(i).append(",\n    \"host\":\"0000:0").append((char) ('d' + i))
                    .append(":00.0\",\n    \"firmware_version\":\"BWFW VERSION 0\"\n  }")
                    .append(k < ids.length - 1 ? ",\n" : "\n");
        }
        return b.append("]\n").toString();
    }

    @Test
    void serialFilterSelectsByTheSerialAsNdctlReadsIt() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 3)) {
            assertThat(memdevs(0, 2)).isEqualTo(d.run("list", "-m", "0,2").out()); // the helper itself
            assertThat(d.run("list", "-s", "2").out()).isEqualTo(memdevs(2));
            assertThat(d.run("list", "--serial", "0x2").out()).isEqualTo(memdevs(2));
            assertThat(d.run("list", "-s", "0,2").out()).isEqualTo(memdevs(0, 2));
            assertThat(d.run("list", "-s", "2", "-s", "1").out()).isEqualTo(memdevs(1, 2));

            // with -m both must match, as ndctl's util_cxl_memdev_filter
            assertThat(d.run("list", "-m", "mem0,mem1", "-s", "1").out()).isEqualTo(memdevs(1));
            Cli.Run neither = d.run("list", "-m", "mem0", "-s", "2");
            assertThat(neither.out()).isEqualTo(Expected.EMPTY_ARRAY);
            assertThat(neither.err()).isEqualTo(Expected.NO_MATCHING_DEVICES);
            assertThat(neither.exit()).isZero();
        }
    }

    @Test
    void busFilterKnowsTheOneBus() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            for (String bus : new String[] {"root0", "0", "ACPI.CXL", "all"}) {
                Cli.Run r = d.run("list", "-b", bus);
                assertThat(r.out()).as(bus).isEqualTo(memdevs(0, 1));
                assertThat(r.err()).as(bus).isEmpty();
            }
            assertThat(d.run("list", "--bus", "root0", "-m", "mem1").out()).isEqualTo(memdevs(1));
            Cli.Run other = d.run("list", "-b", "root1");
            assertThat(other.out()).isEqualTo(Expected.EMPTY_ARRAY);
            assertThat(other.err()).isEqualTo(Expected.NO_MATCHING_DEVICES);
            assertThat(other.exit()).isZero();
        }
    }

    @Test
    void aBadSerialOrAnEmptyBusIsAUsageErrorBeforeTheDaemonIsContacted() {
        String nowhere = dir.resolve("nothing").toString();
        for (String[] args : new String[][] {
                {"list", "-s", "mem1"},
                {"list", "-s", "0x"},
                {"list", "-b", ""},
                {"list", "-m", " "},
        }) {
            Cli.Run r = Cli.run(append(args, "--state-dir", nowhere));
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).as(String.join(" ", args)).hasSize(1);
        }
        assertThat(Cli.run("list", "-s", "mem1", "--state-dir", nowhere).err()).isEqualTo("cxlkit: list: 'mem1' is "
                + "not a valid memdev serial number (decimal, 0x hex or 0 octal) (try 'cxlkit list --help')\n");
    }

    private static String[] append(String[] a, String... more) {
        String[] all = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, all, a.length, more.length);
        return all;
    }

    @Test
    void noDaemonIsOneLineAndExit1() {
        Path state = dir.resolve("state");
        Cli.Run r = Cli.run("list", "--state-dir", state.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: list: no daemon running for " + state);
    }

    @Test
    void aStaleDaemonFileMeansNoDaemon() throws Exception {
        Path state = dir.resolve("state");
        EmbeddedDaemon d = EmbeddedDaemon.start(state, 1);
        try {
            Files.copy(state.resolve(StateDirectory.DAEMON_FILE), dir.resolve("saved.json"));
        } finally {
            d.close();
        }
        Files.copy(dir.resolve("saved.json"), state.resolve(StateDirectory.DAEMON_FILE));
        Cli.Run r = Cli.run("list", "--state-dir", state.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: list: no daemon running for " + state);
    }

    @Test
    void theStateDirectoryComesFromTheOptionWhereverItStands() throws Exception {
        Path state = dir.resolve("state");
        try (EmbeddedDaemon d = EmbeddedDaemon.start(state, 1)) {
            assertThat(Cli.run("list", "--state-dir", d.stateDir.toString(), "-F").out()).isEqualTo(Expected.FACTORY_LIST_F);
            Path relative = Path.of("").toAbsolutePath().relativize(state);
            assertThat(Cli.run("list", "-F", "--state-dir", relative.toString()).out())
                    .isEqualTo(Expected.FACTORY_LIST_F);
        }
    }
}
