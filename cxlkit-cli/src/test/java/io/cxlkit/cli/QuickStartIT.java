package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cxlkit.cli.LauncherProcess.Result;
import io.cxlkit.server.state.StateDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, run with bash exactly as written (every command must succeed), then its signed
 * firmware example on the same state directory, as a reader would run them one after the other. The blocks
 * are the fenced ones right after {@code <!-- test: NAME -->} comments. The state directory is a temporary
 * one ({@code CXLKIT_STATE_DIR}); {@code bin/cxlkit} is a link to the real launcher in a temporary working
 * directory, where the blocks' files go. The quick start uses the default CCI port, 2300, as a reader's would.
 */
class QuickStartIT {

    private static final Pattern PID = Pattern.compile("^pid (\\d+)$", Pattern.MULTILINE);

    /** The fenced code block right after {@code <!-- test: name -->} in the README. */
    static String block(String readme, String name) {
        String marker = "<!-- test: " + name + " -->";
        int at = readme.indexOf(marker);
        assertThat(at).as("README has " + marker).isNotNegative();
        assertThat(readme.indexOf(marker, at + 1)).as("README has one " + marker).isNegative();
        List<String> lines = readme.substring(at + marker.length()).lines().toList();
        int i = 0;
        while (lines.get(i).isBlank()) {
            i++;
        }
        assertThat(lines.get(i)).as("a fenced block follows " + marker).startsWith("```");
        StringBuilder code = new StringBuilder();
        for (i++; !lines.get(i).startsWith("```"); i++) {
            code.append(lines.get(i)).append('\n');
        }
        return code.toString();
    }

    @Test
    void theQuickStartRunsAsWritten(@TempDir Path dir) throws Exception {
        String readme = Files.readString(LauncherProcess.root().resolve("README.md"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(work.resolve("bin"));
        Files.createSymbolicLink(work.resolve("bin/cxlkit"), LauncherProcess.root().resolve("bin/cxlkit"));
        Path state = dir.resolve("state");
        awaitFree(2300);
        try {
            Result quick = bash(work, state, block(readme, "quick-start"));
            String all = quick.stdout() + quick.stderr();
            assertThat(quick.exit()).as(all).isZero();
            long pid = pidOf(quick);
            // list -F, the upload's result, the reset's and the control API's answers
            assertThat(quick.stdout()).as(all).contains("\"memdev\":\"mem0\"", "\"memdev\":\"mem1\"",
                    "\"firmware\":{", "\"num_slots\":2", "\"staged_slot\":2", "\"slot_2_version\":\"BWFW VERSION 1\"",
                    "\"active_slot\":2", "\"firmware_version\":\"BWFW VERSION 1\"");
            assertThat(quick.stderrLines()).as(all).contains("cxlkit: stop: daemon (pid " + pid + ") stopped");
            assertGone(state, pid);

            // the second example, after the first, on the same state directory and the same port
            Result signed = bash(work, state, block(readme, "signed-firmware"));
            all = signed.stdout() + signed.stderr();
            assertThat(signed.exit()).as(all).isZero();
            long signedPid = pidOf(signed);
            assertThat(signed.stdout()).as(all).contains("\"staged_slot\":1",
                    "\"slot_1_version\":\"BWFW VERSION 2\"");
            assertThat(signed.stderrLines()).as(all).contains("cxlkit: stop: daemon (pid " + signedPid + ") stopped");
            assertGone(state, signedPid);
        } finally {
            DaemonProcess.killAnyDaemonOf(state);
        }
    }

    private static Result bash(Path work, Path state, String code) throws Exception {
        Path script = Files.writeString(work.resolve("block-" + System.nanoTime() + ".sh"), code);
        List<String> cmd = new ArrayList<>(List.of("bash", "-e", "-o", "pipefail", script.toString()));
        return LauncherProcess.run(work, env -> env.put("CXLKIT_STATE_DIR", state.toString()),
                cmd.toArray(String[]::new));
    }

    private static long pidOf(Result r) {
        Matcher m = PID.matcher(r.stdout());
        if (!m.find()) {
            fail("serve --detach printed no pid: " + r.stdout() + r.stderr());
        }
        return Long.parseLong(m.group(1));
    }

    /** After stop: no process, no lock held, no daemon.json. */
    private static void assertGone(Path state, long pid) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(StateDirectory.isLocked(state)).isFalse();
        assertThat(state.resolve("daemon.json")).doesNotExist();
    }

    /** Waits (bounded) until nothing listens on 127.0.0.1:{@code port}, which the quick start's daemon takes. */
    private static void awaitFree(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    fail("127.0.0.1:" + port + " stays in use; the README's quick start needs it: " + e.getMessage());
                }
                Thread.sleep(500); // someone else's daemon: nothing to wait on but the port
            }
        }
    }
}
