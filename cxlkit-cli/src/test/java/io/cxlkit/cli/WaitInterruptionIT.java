package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code update-firmware -w} interrupted, with real processes: Ctrl-C (SIGINT to the CLI process)
 * leaves the upload running in the daemon and says how to cancel it; a daemon that stops during
 * the wait ends the progress line before the error. The bar is forced on with
 * {@code -Dcxlkit.stderr.tty=true}, so the tests see where its line ends.
 */
class WaitInterruptionIT {

    /** 1 MiB at 4 KiB a part and 50 ms a part: about 13 s, far longer than the tests need. */
    private static final String[] SLOW = {"--payload-size", "4KiB", "--fw-verify", "none", "--timing", "instant",
        "--fw-part-time", "50ms"};

    @TempDir
    Path dir;

    @Test
    void ctrlCLeavesTheUploadRunningAndSaysHowToCancelIt() throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess daemon = DaemonProcess.start(state, SLOW)) {
            LauncherProcess.Started wait = startWaiting(state);
            awaitBar(wait);
            signal("INT", wait.process());
            LauncherProcess.Result r = LauncherProcess.await(wait);

            assertThat(r.exit()).isEqualTo(130);
            String expected = "cxlkit: update-firmware: mem0: the upload continues in the daemon; cancel it with "
                    + "cxlkit update-firmware mem0 -c --state-dir " + state;
            assertThat(r.stderr()).startsWith("\rmem0 [").endsWith("\n" + expected + "\n");
            assertThat(r.stderr().chars().filter(c -> c == '\n').count()).as(r.stderr()).isEqualTo(2);
            try (ControlApiClient api = new ControlApiClient(daemon.info())) {
                assertThat(ControlApiClient.uploadOf(api.memdev("mem0").json()).get("status").asText())
                        .isEqualTo("transferring");
            }
            // the hint works as printed
            LauncherProcess.Result cancel = cxlkit(state, "update-firmware", "mem0", "-c", "-w");
            assertThat(cancel.exit()).as(cancel.stderr()).isZero();
            assertThat(daemon.terminate()).isZero();
        }
    }

    @Test
    void aDaemonThatStopsDuringTheWaitIsSaidOnALineOfItsOwn() throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess daemon = DaemonProcess.start(state, SLOW)) {
            LauncherProcess.Started wait = startWaiting(state);
            awaitBar(wait);
            assertThat(daemon.terminate()).isZero();
            LauncherProcess.Result r = LauncherProcess.await(wait);

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.stderr()).startsWith("\rmem0 [").endsWith("\ncxlkit: update-firmware: mem0: the daemon "
                    + "for " + state + " stopped during the wait; a stopping daemon cancels the uploads it runs\n");
            assertThat(r.stderr().chars().filter(c -> c == '\n').count()).as(r.stderr()).isEqualTo(2);
        }
    }

    /** Starts a 1 MiB upload and {@code -w} as one CLI process, the bar forced on. */
    private LauncherProcess.Started startWaiting(Path state) throws IOException {
        byte[] image = new byte[1 << 20];
        new Random(12).nextBytes(image);
        Path file = Files.write(dir.resolve("fw.img"), image);
        List<String> cmd = new ArrayList<>(SigintReset.prefix());
        cmd.addAll(List.of(LauncherProcess.root().resolve("bin/cxlkit").toString(), "update-firmware", "mem0", "-F",
                file.toString(), "-w", "--state-dir", state.toString()));
        return LauncherProcess.start(dir, env -> env.put("CXLKIT_JAVA_OPTS", "-Dcxlkit.stderr.tty=true"),
                cmd.toArray(String[]::new));
    }

    /** Waits until the CLI has drawn its bar: it is then inside the wait. */
    private static void awaitBar(LauncherProcess.Started s) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LauncherProcess.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(s.err(), StandardCharsets.UTF_8).contains("\rmem0 [")) {
                return;
            }
            if (!s.process().isAlive()) {
                fail("update-firmware exited before waiting: " + Files.readString(s.err()));
            }
            // the CLI is another process: its stderr file is all there is to watch
            Thread.sleep(20);
        }
        fail("no progress bar within " + LauncherProcess.TIMEOUT);
    }

    private static void signal(String name, Process p) throws IOException, InterruptedException {
        // bin/cxlkit execs java: the process's pid is the JVM's
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private LauncherProcess.Result cxlkit(Path state, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LauncherProcess.root().resolve("bin/cxlkit").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state-dir", state.toString()));
        return LauncherProcess.run(dir, LauncherProcess.noChange(), cmd.toArray(String[]::new));
    }

    /**
     * A process started from a background job of a non-interactive shell inherits SIGINT ignored,
     * and a JVM does not install a handler for an ignored SIGINT. When this test's JVM ignores it,
     * the CLI is started through {@code env --default-signal=INT} so a Ctrl-C reaches it as it
     * would from a terminal.
     */
    static final class SigintReset {
        private SigintReset() {
        }

        static List<String> prefix() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long ignored = Long.parseLong(line.substring("SigIgn:".length()).trim(), 16);
                    boolean sigint = (ignored & (1L << (2 - 1))) != 0;
                    return sigint ? List.of("env", "--default-signal=INT") : List.of();
                }
            }
            return List.of();
        }
    }
}
