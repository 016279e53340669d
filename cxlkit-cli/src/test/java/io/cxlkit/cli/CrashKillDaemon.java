package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.fail;

import io.cxlkit.server.state.DaemonInfo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code cxlkit serve} process for {@link CrashKillIT}, started many times on one state
 * directory. Unlike {@link DaemonProcess} it runs the packaged jar with the JVM running the tests
 * (what bin/cxlkit execs, minus the launcher's staleness check, which LauncherIT covers: a
 * minutes-long test must not fail because a source file was saved meanwhile), takes extra JVM
 * options (start-up time dominates the test), and can be killed before it is ready.
 */
final class CrashKillDaemon implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path stateDir;
    private final Path log;
    private final long spawnedNanos = System.nanoTime();
    private DaemonInfo info;

    private CrashKillDaemon(Process process, Path stateDir, Path log) {
        this.process = process;
        this.stateDir = stateDir;
        this.log = log;
    }

    /** Starts {@code java jvmOptions -jar cxlkit.jar serve --state-dir ... serveArgs}; does not wait. */
    static CrashKillDaemon spawn(Path stateDir, Path log, List<String> jvmOptions, List<String> serveArgs)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", LauncherProcess.jar().toString(), "serve", "--state-dir", stateDir.toString(),
                "--cci-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"));
        cmd.addAll(serveArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("CXLKIT_JAVA_OPTS");
        return new CrashKillDaemon(pb.start(), stateDir, log);
    }

    /**
     * Waits until the daemon is ready (its daemon.json names this live process) or has exited,
     * whichever comes first; true when ready.
     */
    boolean awaitReadyOrExit(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            Optional<DaemonInfo> found;
            try {
                found = DaemonInfo.find(stateDir);
            } catch (IOException e) {
                found = Optional.empty(); // a daemon.json being replaced; look again
            }
            if (found.isPresent() && found.get().pid() == process.pid()) {
                info = found.get();
                return true;
            }
            // Readiness is a file another process writes; there is nothing to wait on but the file system.
            Thread.sleep(10);
        }
        process.destroyForcibly();
        fail("serve did not become ready within " + timeout + ": " + log());
        return false;
    }

    /** Waits until ready; fails with the daemon's output if it exits first. */
    DaemonInfo awaitReady() throws IOException, InterruptedException {
        if (!awaitReadyOrExit(READY_TIMEOUT)) {
            process.waitFor(10, TimeUnit.SECONDS);
            fail("serve exited with " + process.exitValue() + " before it was ready: " + log());
        }
        return info;
    }

    DaemonInfo info() {
        return info;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Nanoseconds since the process was spawned. */
    long ageNanos() {
        return System.nanoTime() - spawnedNanos;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no output)";
    }

    /** SIGKILL without waiting: safe from another thread. */
    void sigkill() {
        process.destroyForcibly();
    }

    /** Waits until the process is gone (after {@link #sigkill()}). */
    void awaitDeath() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail("serve pid " + process.pid() + " still alive 30 s after SIGKILL");
        }
    }

    /** SIGTERM; returns the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("serve did not stop within 20 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            sigkill();
            awaitDeath();
        }
    }
}
