package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.fail;

import io.cxlkit.server.state.DaemonInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code bin/cxlkit serve} process for end-to-end tests: started on a state directory with
 * ephemeral ports, ready once daemon.json appears, stopped by SIGTERM or killed by SIGKILL.
 */
final class DaemonProcess implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    /** When the process was seen to exit (System.nanoTime), taken from its start so a late look is not mistaken for a slow exit. */
    private final java.util.concurrent.CompletableFuture<Long> exitedAt;
    private final Path stateDir;
    private final Path log;
    private DaemonInfo info;

    private DaemonProcess(Process process, Path stateDir, Path log) {
        this.process = process;
        this.exitedAt = process.onExit().thenApply(p -> System.nanoTime());
        this.stateDir = stateDir;
        this.log = log;
    }

    /** Starts serve with {@code args} (state dir and ephemeral ports are added) and waits until ready. */
    static DaemonProcess start(Path stateDir, String... args) throws IOException, InterruptedException {
        return start(stateDir, java.util.Map.of(), args);
    }

    /** The same with extra environment variables for the launcher (e.g. CXLKIT_JAVA_OPTS). */
    static DaemonProcess start(Path stateDir, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LauncherProcess.root().resolve("bin/cxlkit").toString(), "serve",
                "--state-dir", stateDir.toString(), "--cci-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("cxlkit-serve", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CXLKIT_NO_BUILD", "1");
        pb.environment().putAll(env);
        DaemonProcess d = new DaemonProcess(pb.start(), stateDir, log);
        d.awaitReady();
        return d;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("serve exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            var found = DaemonInfo.find(stateDir);
            if (found.isPresent()) {
                info = found.get();
                return;
            }
            // Readiness is a file another process writes; there is nothing to wait on but the file system.
            Thread.sleep(20);
        }
        process.destroyForcibly();
        fail("serve did not become ready within " + READY_TIMEOUT + ": " + Files.readString(log));
    }

    DaemonInfo info() {
        return info;
    }

    Process process() {
        return process;
    }

    /** System.nanoTime() when the process exited. */
    java.util.concurrent.CompletableFuture<Long> exitedAt() {
        return exitedAt;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL: no cleanup runs, as in a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("serve did not stop within 10 s of SIGTERM");
        }
        return process.exitValue();
    }

    /**
     * SIGKILL to whatever daemon holds {@code stateDir} (one a test started in the background, with
     * {@code serve --detach}, and that a failed assertion left running); nothing when none does.
     */
    static void killAnyDaemonOf(Path stateDir) throws InterruptedException {
        if (!io.cxlkit.server.state.StateDirectory.isLocked(stateDir)) {
            return;
        }
        var holder = io.cxlkit.server.state.StateDirectory.lockHolder(stateDir).flatMap(ProcessHandle::of);
        if (holder.isPresent()) {
            holder.get().destroyForcibly();
            holder.get().onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    /** Kills the daemon if it still runs, and deletes its log file (a temporary file of this test run). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover temporary file; nothing to fail a test for
        }
    }
}
