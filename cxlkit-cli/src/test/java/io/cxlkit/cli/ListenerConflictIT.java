package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.LauncherProcess.Result;
import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.server.state.StateDirectory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second {@code serve} on another state directory whose address is taken by a running daemon: one line naming
 * the address, the listener and the way out, exit 1, before any device is opened, and nothing left that a retry
 * trips on; the running daemon goes on undisturbed. The ports are a running daemon's free ones, never 2300.
 */
class ListenerConflictIT {

    private static Result serve(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LauncherProcess.root().resolve("bin/cxlkit").toString(), "serve"));
        cmd.addAll(List.of(args));
        return LauncherProcess.run(cwd, LauncherProcess.noChange(), cmd.toArray(String[]::new));
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }

    /** The second start left its directory as a retry needs it: the lock file only, and not held. */
    private static void assertNothingLeftBehind(Path state, String... alsoThere) throws Exception {
        List<String> expected = new ArrayList<>(List.of(StateDirectory.LOCK_FILE));
        expected.addAll(List.of(alsoThere));
        try (Stream<Path> entries = Files.list(state)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(StateDirectory.isLocked(state)).isFalse();
    }

    /** The first daemon still answers on its CCI listener and its control API. */
    private static void assertStillServing(DaemonProcess first) throws Exception {
        assertThat(first.process().isAlive()).isTrue();
        try (CciClient mem0 = new CciClient(SocketTransport.connect(CciAddress.parse(first.info().cci()), 8))) {
            assertThat(mem0.identify().serialNumber()).isZero();
        }
        try (ControlApiClient api = new ControlApiClient(first.info())) {
            assertThat(api.memdevs().status()).isEqualTo(200);
        }
    }

    @Test
    void aCciPortInUseIsNamedWithTheWayOut(@TempDir Path dir) throws Exception {
        try (DaemonProcess first = DaemonProcess.start(dir.resolve("a"), "--timing", "instant")) {
            int port = port(first.info().cci());
            Path second = dir.resolve("b");
            Result r = serve(dir, "--state-dir", second.toString(), "--cci-listen", "127.0.0.1:" + port,
                    "--timing", "instant");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderrLines()).containsExactly("cxlkit: serve: cannot listen on 127.0.0.1:" + port
                    + " (CCI): address in use - is another daemon running? use --cci-listen 127.0.0.1:0 for a free"
                    + " port");
            assertNothingLeftBehind(second);
            assertStillServing(first);

            // the way out works at once, on the same directory
            try (DaemonProcess retry = DaemonProcess.start(second, "--timing", "instant")) {
                assertThat(retry.info().cci()).isNotEqualTo(first.info().cci());
            }
        }
    }

    @Test
    void aControlApiPortInUseNamesHttpListen(@TempDir Path dir) throws Exception {
        try (DaemonProcess first = DaemonProcess.start(dir.resolve("a"), "--timing", "instant")) {
            int port = port(first.info().http());
            Path second = dir.resolve("b");
            Result r = serve(dir, "--state-dir", second.toString(), "--cci-listen", "127.0.0.1:0", "--http-listen",
                    "127.0.0.1:" + port);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.stderrLines()).containsExactly("cxlkit: serve: cannot listen on 127.0.0.1:" + port
                    + " (control API): address in use - is another daemon running? use --http-listen 127.0.0.1:0"
                    + " for a free port");
            assertNothingLeftBehind(second);
            assertStillServing(first);
        }
    }

    @Test
    void aUnixSocketInUseIsLeftToItsDaemon(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("cci.sock");
        try (DaemonProcess first = DaemonProcess.start(dir.resolve("a"), "--timing", "instant", "--cci-unix",
                sock.toString())) {
            Path second = dir.resolve("b");
            Result r = serve(dir, "--state-dir", second.toString(), "--cci-listen", "127.0.0.1:0", "--cci-unix",
                    sock.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.stderrLines()).containsExactly("cxlkit: serve: cannot listen on " + sock + " (CCI): address"
                    + " in use - another process listens there (is another daemon running?); use another --cci-unix"
                    + " path");
            assertNothingLeftBehind(second);
            assertStillServing(first);
            try (CciClient mem0 = new CciClient(SocketTransport.connect(CciAddress.parse("unix:" + sock), 8))) {
                assertThat(mem0.identify().serialNumber()).isZero();
            }
        }
    }

    @Test
    void detachReportsTheSameLineAndLeavesNoProcess(@TempDir Path dir) throws Exception {
        try (DaemonProcess first = DaemonProcess.start(dir.resolve("a"), "--timing", "instant")) {
            int port = port(first.info().cci());
            Path second = dir.resolve("b");
            try {
                Result r = serve(dir, "--detach", "--state-dir", second.toString(), "--cci-listen",
                        "127.0.0.1:" + port);
                assertThat(r.exit()).isEqualTo(1);
                assertThat(r.stdout()).isEmpty();
                assertThat(r.stderrLines()).containsExactly("cxlkit: serve: cannot listen on 127.0.0.1:" + port
                        + " (CCI): address in use - is another daemon running? use --cci-listen 127.0.0.1:0 for a"
                        + " free port");
                // the daemon's log keeps the line; nothing else is there, and no process holds the directory
                assertNothingLeftBehind(second, "serve.log");
                assertThat(Files.readAllLines(second.resolve("serve.log"))).containsExactlyElementsOf(
                        r.stderrLines());
                assertStillServing(first);
            } finally {
                DaemonProcess.killAnyDaemonOf(second);
            }
        }
    }
}
