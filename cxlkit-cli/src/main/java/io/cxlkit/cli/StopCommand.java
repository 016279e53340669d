package io.cxlkit.cli;

import io.cxlkit.server.state.DaemonInfo;
import io.cxlkit.server.state.StateDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code cxlkit stop}: stops the daemon of the state directory (found as every client finds it, waiting
 * for one that is still starting) with SIGTERM, its clean stop, and returns once it is gone: its process
 * ended, its lock released, its daemon.json removed. No daemon: one line, exit 1.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the daemon (SIGTERM) and wait until it is gone.")
public final class StopCommand extends CliCommand {

    /** How long the daemon may take to be gone (it stops within 5 s, wire.md §2). */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 20;

    @Mixin
    StateDirOption stateDir;

    @Override
    protected int execute() throws Exception {
        Path dir = stateDir.resolve();
        DaemonInfo info = DaemonClient.awaitDaemon(dir, DaemonClient.START_WAIT);
        long pid = info.pid();
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent() && !process.get().destroy()) {
            throw new Failure("cannot send SIGTERM to the daemon (pid " + pid + ")");
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (!gone(process, dir)) {
            if (System.nanoTime() - deadline >= 0) {
                throw new Failure("the daemon (pid " + pid + ") is still running " + STOP_WAIT.toSeconds()
                        + " s after SIGTERM");
            }
            Thread.sleep(POLL_MILLIS);
        }
        report("daemon (pid " + pid + ") stopped");
        return 0;
    }

    /**
     * The process has ended and nobody holds the lock. A clean stop removes daemon.json before it
     * releases the lock; one that did not (a daemon killed meanwhile) leaves a stale file, which
     * clients ignore and the next start removes.
     */
    private static boolean gone(Optional<ProcessHandle> process, Path dir) {
        return process.map(p -> !p.isAlive()).orElse(true) && !StateDirectory.isLocked(dir);
    }
}
