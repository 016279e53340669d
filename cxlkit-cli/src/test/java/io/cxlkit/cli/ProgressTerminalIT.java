package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code update-firmware -w} in a real terminal: bin/cxlkit runs in a tmux pane of a given size
 * (a pseudo-terminal whose width only stty can tell), against a real daemon, and the test reads
 * the screen as tmux shows it. At 50 columns the old single bar wrapped and each redraw added a
 * line; here every memdev keeps one line (plus its final state), redrawn in place, and a resize
 * during the wait makes the next drawing fit the new width.
 */
class ProgressTerminalIT {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTmux() throws InterruptedException {
        boolean tmux;
        try {
            tmux = new ProcessBuilder("tmux", "-V").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            tmux = false;
        }
        assumeTrue(tmux, "tmux is not installed: a real terminal cannot be had");
    }

    /** A tmux server of the test's own (its socket in the test's directory), one session, one pane. */
    private static final class Tmux implements AutoCloseable {
        private final Path socket;

        Tmux(Path socket) {
            this.socket = socket;
        }

        private String run(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().remove("TMUX"); // a test run from inside tmux still gets a server of its own
            pb.environment().put("CXLKIT_NO_BUILD", "1");
            pb.environment().remove("CXLKIT_JAVA_OPTS");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                fail("tmux " + String.join(" ", args) + ": " + out);
            }
            return out;
        }

        /** A pane {@code columns} x {@code rows} running {@code shell} (bash), kept open after it ends. */
        void start(int columns, int rows, String shell) throws IOException, InterruptedException {
            run("new-session", "-d", "-s", "t", "-x", Integer.toString(columns), "-y", Integer.toString(rows),
                    "bash", "-c", shell + "; echo EXIT=$?; sleep 600");
        }

        void resize(int columns) throws IOException, InterruptedException {
            run("resize-window", "-t", "t", "-x", Integer.toString(columns));
        }

        /** The pane's lines as shown, the history above the screen included, without trailing empty ones. */
        List<String> screen() throws IOException, InterruptedException {
            List<String> lines = new ArrayList<>(run("capture-pane", "-p", "-S", "-", "-t", "t").lines().toList());
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        }

        /** Waits until a line of the screen matches {@code line}; the screen then. */
        List<String> await(Predicate<String> line, String what) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + LauncherProcess.TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                List<String> screen = screen();
                if (screen.stream().anyMatch(line)) {
                    return screen;
                }
                // the command runs in another process, in a pane: its screen is all there is to watch
                Thread.sleep(50);
            }
            fail("no " + what + " within " + LauncherProcess.TIMEOUT + "; screen:\n" + String.join("\n", screen()));
            return List.of();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            run("kill-server");
        }
    }

    /** A 1 MiB image: 17 parts of 64 KiB. */
    private Path image() throws IOException {
        byte[] b = new byte[1 << 20];
        new Random(3).nextBytes(b);
        return Files.write(dir.resolve("fw.img"), b);
    }

    private String updateFirmware(Path state, String memdevs, String... more) throws IOException {
        return LauncherProcess.root().resolve("bin/cxlkit") + " update-firmware " + memdevs + " -F " + image()
                + " -w --state-dir " + state + " " + String.join(" ", more) + " >/dev/null";
    }

    private static DaemonProcess serve(Path state, int devices, String partTime) throws Exception {
        return DaemonProcess.start(state, "--devices", Integer.toString(devices), "--payload-size", "64KiB",
                "--fw-verify", "none", "--timing", "instant", "--fw-part-time", partTime);
    }

    /** The final lines one memdev leaves on a 50-column terminal: 49 usable, a bar of 11 and the rate. */
    private static void assertFinalAt50(List<String> tail) {
        assertThat(tail.get(0)).matches("mem0 \\[#{11}\\] 1\\.0/1\\.0 MiB 100%  [0-9.]+ MiB/s");
        assertThat(tail.subList(1, tail.size())).containsExactly(
                "     staged in slot 2, active after the next cold",
                "     reset",
                "cxlkit: update-firmware: firmware update completed", // 66 characters: the terminal wraps it
                " on 1 mem device",
                "EXIT=0");
    }

    @Test
    void oneMemdevAt50ColumnsIsOneLineRedrawnInPlace() throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess daemon = serve(state, 1, "50ms"); Tmux tmux = new Tmux(dir.resolve("tmux"))) {
            tmux.start(50, 20, updateFirmware(state, "mem0"));
            List<String> screen = tmux.await(l -> l.startsWith("EXIT="), "exit");
            // nothing above the final drawing: no stacked bars
            assertThat(screen).hasSize(6);
            assertFinalAt50(screen);
            assertThat(daemon.terminate()).isZero();
        }
    }

    @Test
    void threeMemdevsGetALineEachAndATotalAndVerboseMessagesGoAbove() throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess daemon = serve(state, 3, "50ms"); Tmux tmux = new Tmux(dir.resolve("tmux"))) {
            tmux.start(100, 40, updateFirmware(state, "all", "-v"));
            List<String> screen = tmux.await(l -> l.startsWith("EXIT="), "exit");
            int bars = screen.indexOf(screen.stream().filter(l -> l.startsWith("mem0  [")).findFirst().orElseThrow());
            List<String> messages = screen.subList(0, bars);
            assertThat(messages).allMatch(l -> l.matches("cxlkit: update-firmware: mem[0-2]: [a-z ,0-9]+"))
                    .contains("cxlkit: update-firmware: mem2: staged in slot 2, active after the next cold reset");
            // 99 usable: labels of 5, a bar of 48 and room for the rate and an ETA; the outcome below
            List<String> block = screen.subList(bars, screen.size());
            assertThat(block).hasSize(9);
            for (int i = 0; i < 3; i++) {
                assertThat(block.get(2 * i)).matches("mem" + i + "  \\[#{48}\\] 1\\.0/1\\.0 MiB 100%  [0-9.]+ MiB/s");
                assertThat(block.get(2 * i + 1)).isEqualTo("      staged in slot 2, active after the next cold reset");
            }
            assertThat(block.get(6)).matches("total \\[#{48}\\] 3\\.0/3\\.0 MiB 100%  [0-9.]+ MiB/s");
            assertThat(block.subList(7, 9)).containsExactly(
                    "cxlkit: update-firmware: firmware update completed on 3 mem devices", "EXIT=0");
            assertThat(daemon.terminate()).isZero();
        }
    }

    @Test
    void aTerminalNarrowedDuringTheWaitGetsBarsThatFitIt() throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess daemon = serve(state, 1, "200ms"); Tmux tmux = new Tmux(dir.resolve("tmux"))) {
            tmux.start(100, 30, updateFirmware(state, "mem0"));
            tmux.await(l -> l.startsWith("mem0 ["), "bar"); // 17 parts of 200 ms: over 3 s to go
            tmux.resize(50); // SIGWINCH: the command asks the terminal for its width again
            List<String> screen = tmux.await(l -> l.startsWith("EXIT="), "exit");
            // the lines drawn before (rewrapped by the terminal) stay above; the last drawing fits
            assertFinalAt50(screen.subList(screen.size() - 6, screen.size()));
            assertThat(daemon.terminate()).isZero();
        }
    }
}
