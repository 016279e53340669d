package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inject}: prints each memdev's {"memdev","faults"} as ndctl prints the memdevs a command
 * changed (json-c's pretty style, an array; one memdev bare on a terminal); the faults reach the
 * device.
 */
class InjectCommandTest {

    @TempDir
    Path dir;

    /** One memdev's object in the printed array, written out as json-c indents it. */
    private static String entry(String memdev, String... faults) {
        String list = faults.length == 0 ? "[\n    ]" : Arrays.stream(faults).map(f -> "      \"" + f + "\"")
                .collect(Collectors.joining(",\n", "[\n", "\n    ]"));
        return "  {\n    \"memdev\":\"" + memdev + "\",\n    \"faults\":" + list + "\n  }";
    }

    private static io.cxlkit.device.CxlDevice device(EmbeddedDaemon d) {
        return d.daemon.platform().memdev("mem0").orElseThrow().device();
    }

    /** What {@code inject} prints for these memdevs: an array of them. */
    private static String printed(String... entries) {
        return "[\n" + String.join(",\n", entries) + "\n]\n";
    }

    @Test
    void eachFaultIsAddedAndPrinted() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            assertThat(d.run("inject", "mem0", "--media-disabled").out()).isEqualTo("""
                    [
                      {
                        "memdev":"mem0",
                        "faults":[
                          "media-disabled"
                        ]
                      }
                    ]
                    """);
            assertThat(d.run("inject", "mem0", "--corrupt-staging").out())
                    .isEqualTo(printed(entry("mem0", "media-disabled", "corrupt-staging")));
            Cli.Run r = d.run("inject", "0", "--fail-opcode", "0x201", "--rc", "6", "--count", "2", "--cci", "mailbox");
            assertThat(r.exit()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).isEqualTo(printed(entry("mem0", "media-disabled",
                    "fail-opcode 0201h rc 0006h count 2 cci mailbox", "corrupt-staging")));
            assertThat(d.run("inject", "mem0", "--late-part").out()).contains("\"late-part\"");
            assertThat(d.run("inject", "mem0", "--activation-fail", "cold-reset").out())
                    .contains("\"activation-fail cold-reset\"");
            assertThat(d.run("list", "--cxlkit").out()).contains("\"media-disabled\"", "\"late-part\"");

            Cli.Run clear = d.run("inject", "--clear", "mem0");
            assertThat(clear.out()).isEqualTo("""
                    [
                      {
                        "memdev":"mem0",
                        "faults":[
                        ]
                      }
                    ]
                    """);
            assertThat(clear.exit()).isZero();
        }
    }

    @Test
    void failOpcodeDefaultsToCountOneOnAnyCci() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            assertThat(d.run("inject", "mem0", "--fail-opcode", "0202h", "--rc", "0006h").out())
                    .isEqualTo(printed(entry("mem0", "fail-opcode 0202h rc 0006h count 1 cci any")));
        }
    }

    @Test
    void anInjectedReturnCodeReachesTheHostDriver() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Expected.storeInSlot2(d, 8, dir);
            d.run("inject", "mem0", "--fail-opcode", "0202h", "--rc", "0006h", "--cci", "mailbox");
            Cli.Run busy = d.run("activate-firmware", "mem0", "--slot", "2");
            assertThat(busy.exit()).isEqualTo(1);
            assertThat(busy.errLines()).containsExactly("cxlkit: activate-firmware: mem0: Activate FW: Busy, 0006h");
            assertThat(d.run("activate-firmware", "mem0", "--slot", "2").exit()).isZero();
        }
    }

    @Test
    void activationFailRollbackFailsTheNextOnlineActivation() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Expected.storeInSlot2(d, 8, dir);
            d.run("inject", "mem0", "--activation-fail", "rollback");
            Cli.Run r = d.run("activate-firmware", "mem0", "--slot", "2", "--online");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).singleElement().asString()
                    .startsWith("cxlkit: activate-firmware: mem0: Activate FW: ").endsWith("000Ch");
        }
    }

    @Test
    void mediaDisabledReachesTheMctpCci() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            d.run("inject", "mem0", "--media-disabled");
            Cli.Run r = Cli.run("cci", "--connect", d.cci(), "--eid", "8", "transfer-fw", "--action", "full",
                    "--slot", "2", "--data", Expected.packageFile(dir).toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains("\"return_code\":\"0007h\"");
        }
    }

    @Test
    void severalMemdevsPrintOneArray() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            Cli.Run r = d.run("inject", "all", "--late-part");
            assertThat(r.out()).isEqualTo(printed(entry("mem0", "late-part"), entry("mem1", "late-part")));
            assertThat(d.run("inject", "--clear", "1").out()).isEqualTo(printed(entry("mem1")));
        }
    }

    @Test
    void onATerminalOneMemdevPrintsBareAndSeveralAnArray() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            String state = d.stateDir.toString();
            assertThat(Cli.runWithStdoutTty(true, "inject", "mem1", "--late-part", "--state-dir", state).out())
                    .isEqualTo("""
                            {
                              "memdev":"mem1",
                              "faults":[
                                "late-part"
                              ]
                            }
                            """);
            assertThat(Cli.runWithStdoutTty(true, "inject", "--clear", "all", "--state-dir", state).out())
                    .isEqualTo(printed(entry("mem0"), entry("mem1")));
        }
    }

    @Test
    void anUnknownMemdevIsExit1() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("inject", "mem9", "--late-part");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).containsExactly("cxlkit: inject: no memdev matches mem9");

            Cli.Run some = d.run("inject", "mem9", "0", "--late-part");
            assertThat(some.errLines()).containsExactly("cxlkit: inject: no memdev matches mem9");
            assertThat(some.out()).contains("\"memdev\":\"mem0\"").contains("late-part");
            assertThat(some.exit()).isZero();
        }
    }

    @Test
    void theHealthFaults_areListedInTheirOrder_andReachTheDevice() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            assertThat(d.run("inject", "mem0", "--life-used", "80").out()).isEqualTo(printed(entry("mem0",
                    "life-used=80")));
            assertThat(d.run("inject", "mem0", "--temperature", "-5").exit()).isZero();
            assertThat(d.run("inject", "mem0", "--health-status", "capacity,maintenance").exit()).isZero();
            assertThat(d.run("inject", "mem0", "--media-status", "shutdown-data-loss").exit()).isZero();
            Cli.Run gpf = d.run("inject", "mem0", "--gpf-fail");
            assertThat(gpf.err()).isEmpty();
            assertThat(gpf.out()).isEqualTo(printed(entry("mem0", "life-used=80", "temperature=-5",
                    "health-status=maintenance,capacity", "media-status=shutdown-data-loss", "gpf-fail")));
            io.cxlkit.protocol.payload.HealthInfo h = device(d).healthInfo();
            assertThat(h.lifeUsed()).isEqualTo(80);
            assertThat(h.temperature()).isEqualTo(-5);
            assertThat(h.healthStatus()).isEqualTo(0x09);
            assertThat(h.mediaStatus()).isEqualTo(0x08);
            assertThat(d.run("inject", "--clear", "mem0").out()).isEqualTo(printed(entry("mem0")));
            assertThat(device(d).healthInfo().lifeUsed()).isZero();
        }
    }

    @Test
    void correctedError_isOneShot_notListed_withHexOrDecimalDpaAndACount() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("inject", "mem0", "--corrected-error", "0x1000", "--count", "3");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(printed(entry("mem0")));
            assertThat(d.run("inject", "mem0", "--corrected-error", "4096").exit()).isZero();
            assertThat(device(d).healthInfo().correctedPersistentErrorCount()).isEqualTo(4);
        }
    }

    @Test
    void correctedError_aDpaOutsideTheDevice_isExit1_withTheDevicesReason() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("inject", "mem0", "--corrected-error", "0x40000000");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).containsExactly(
                    "cxlkit: inject: mem0: corrected-error: DPA 0x40000000 is outside mem0 (0x0..0x3fffffff)");
            assertThat(device(d).healthInfo().correctedPersistentErrorCount()).isZero();
        }
    }
}
