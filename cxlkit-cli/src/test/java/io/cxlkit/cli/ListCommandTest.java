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
    void noMatchPrintsAnEmptyArrayAndAWarningAndSucceeds() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("list", "-F", "-m", "mem9");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo("[\n]\n");
            assertThat(r.errLines()).containsExactly("cxlkit: list: warning: no memdev matches mem9");
            assertThat(d.run("list", "-u", "-m", "mem9").out()).isEqualTo("[\n]\n");
        }
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
