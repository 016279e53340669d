package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad options are usage errors: exit 2, one line {@code cxlkit: <command>: ... (try ...)}, nothing
 * on stdout, and nothing contacted. The daemon commands run with a state directory that has no
 * daemon and the cci commands with a port nobody listens on: had they contacted anything they
 * would have failed with exit 1 instead.
 */
class UsageErrorTest {

    @TempDir
    static Path dir;

    /** Nobody listens on port 1 of the loopback address. */
    private static final String NOWHERE = "tcp:127.0.0.1:1";

    static Stream<Arguments> daemonCommands() {
        return Stream.of(
                args("list", "--bogus"),
                args("list", "-m", " "),
                args("list", "extra"),
                args("activate-firmware", "mem0"),
                args("activate-firmware", "--slot", "1"),
                args("activate-firmware", "mem0", "--slot", "0"),
                args("activate-firmware", "mem0", "--slot", "5"),
                args("activate-firmware", "mem0", "--slot", "two"),
                args("activate-firmware", ",", "--slot", "1"),
                args("reset"),
                args("reset", "mem0", "--online"),
                args("inject", "mem0"),
                args("inject", "--media-disabled"),
                args("inject", "mem0", "--media-disabled", "--late-part"),
                args("inject", "mem0", "--corrupt-staging", "--activation-fail", "rollback"),
                args("inject", "mem0", "--fail-opcode", "0201h"),
                args("inject", "mem0", "--fail-opcode", "zz", "--rc", "0006h"),
                args("inject", "mem0", "--fail-opcode", "10000h", "--rc", "0006h"),
                args("inject", "mem0", "--fail-opcode", "0201h", "--rc", "0001h"),
                args("inject", "mem0", "--fail-opcode", "0201h", "--rc", "0021h"),
                args("inject", "mem0", "--fail-opcode", "0201h", "--rc", "busy"),
                args("inject", "mem0", "--fail-opcode", "0201h", "--rc", "6", "--count", "0"),
                args("inject", "mem0", "--fail-opcode", "0201h", "--rc", "6", "--count", "many"),
                args("inject", "mem0", "--fail-opcode", "0201h", "--rc", "6", "--cci", "pcie"),
                args("inject", "mem0", "--media-disabled", "--rc", "6"),
                args("inject", "mem0", "--late-part", "--cci", "mctp"),
                args("inject", "mem0", "--activation-fail", "sometimes"),
                args("inject", "--clear", "mem0", "--late-part"),
                args("inject", "--clear", "mem0", "--count", "1"),
                args("inject", "--clear"),
                args("inject", "mem0", "--life-used", "101"),
                args("inject", "mem0", "--life-used", "-1"),
                args("inject", "mem0", "--life-used", "lots"),
                args("inject", "mem0", "--temperature", "32768"),
                args("inject", "mem0", "--temperature", "-32769"),
                args("inject", "mem0", "--health-status", ""),
                args("inject", "mem0", "--health-status", "maintenance,broken"),
                args("inject", "mem0", "--media-status", "fine"),
                args("inject", "mem0", "--gpf-fail", "--life-used", "1"),
                args("inject", "mem0", "--gpf-fail", "--count", "2"),
                args("inject", "mem0", "--corrected-error", "zz"),
                args("inject", "mem0", "--corrected-error", "-64"),
                args("inject", "mem0", "--corrected-error", "0x40", "--count", "0"),
                args("inject", "mem0", "--corrected-error", "0x40", "--count", "4294967296"),
                args("inject", "mem0", "--corrected-error", "0x40", "--rc", "6"),
                args("inject", "mem0", "--fail-opcode", "0201h", "--rc", "6", "--count", "2147483648"),
                args("fw"),
                args("fw", "read-slot", "mem0", "--slot", "1"),
                args("fw", "read-slot", "mem0", "-o", "out"),
                args("fw", "read-slot", "mem0", "--slot", "0", "-o", "out"),
                args("fw", "read-slot", "mem0", "--slot", "5", "-o", "out"),
                args("fw", "read-slot", "all", "--slot", "1", "-o", "out"),
                args("fw", "read-slot", "mem0,mem1", "--slot", "1", "-o", "out"),
                args("fw", "read-slot", "mem0", "mem1", "--slot", "1", "-o", "out"),
                args("fw", "read-slot", "mem0", "--slot", "1", "-o", ""));
    }

    static Stream<Arguments> cciCommands() {
        return Stream.of(
                args("cci"),
                args("cci", "--connect", NOWHERE, "--eid", "8"),
                args("cci", "identify"),
                args("cci", "--connect", NOWHERE, "identify"),
                args("cci", "--eid", "8", "identify"),
                args("cci", "--connect", "127.0.0.1:2300", "--eid", "8", "identify"),
                args("cci", "--connect", "tcp:127.0.0.1:0", "--eid", "8", "identify"),
                args("cci", "--connect", "unix:", "--eid", "8", "identify"),
                args("cci", "--connect", NOWHERE, "--eid", "256", "identify"),
                args("cci", "--connect", NOWHERE, "--eid", "-1", "identify"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "frobnicate"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "set-response-limit"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "set-response-limit", "256"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "transfer-fw"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "transfer-fw", "--action", "sideways"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "transfer-fw", "--action", "end", "--slot", "256"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "transfer-fw", "--action", "continue",
                        "--offset", "4294967296"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "transfer-fw", "--action", "continue",
                        "--offset", "-1"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "activate-fw", "--action", "later", "--slot", "2"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "activate-fw", "--action", "online"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "set-timestamp", "soon"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "set-timestamp", "18446744073709551616"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "get-log"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "get-log", "--uuid", "cel"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "get-log", "--uuid",
                        "0da9c0b5-bf41-4b78-8f79-96b1623b3f17", "--length", "4294967296"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "raw"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "raw", "--opcode", "12345"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "raw", "--opcode", "0200h", "--payload", "abc"),
                args("cci", "--connect", NOWHERE, "--eid", "8", "raw", "--opcode", "0200h", "--payload", "zz"));
    }

    private static Arguments args(String... a) {
        return Arguments.of((Object) a);
    }

    @ParameterizedTest
    @MethodSource("daemonCommands")
    void daemonCommandsRefuseBadUsageBeforeLookingForADaemon(String[] args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--state-dir");
        all.add(dir.resolve("no-daemon-here").toString());
        assertUsageError(all.toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource("cciCommands")
    void cciRefusesBadUsageBeforeConnecting(String[] args) {
        assertUsageError(args);
    }

    private static void assertUsageError(String[] args) {
        Cli.Run r = Cli.run(args);
        assertThat(r.exit()).as("exit of %s; stderr %s", String.join(" ", args), r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("cxlkit: " + args[0])
                .contains(" (try 'cxlkit " + args[0]);
    }
}
