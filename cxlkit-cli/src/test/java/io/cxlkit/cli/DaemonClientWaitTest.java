package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.server.state.DaemonInfo;
import io.cxlkit.server.state.StateDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that finds a daemon still starting (its lock held, no daemon.json yet) waits for it, up to a bound,
 * instead of saying there is none. The starting daemon is this JVM holding the state directory as a start does.
 */
class DaemonClientWaitTest {

    @TempDir
    Path dir;

    private static DaemonInfo info() {
        return new DaemonInfo(ProcessHandle.current().pid(), "http://127.0.0.1:1", "tcp://127.0.0.1:2",
                List.of("tcp://127.0.0.1:2"), "t".repeat(43));
    }

    @Test
    void aStartingDaemonIsWaitedFor() throws Exception {
        Path state = dir.resolve("state");
        try (StateDirectory starting = StateDirectory.acquire(state, w -> { })) {
            CompletableFuture<DaemonInfo> found = CompletableFuture.supplyAsync(
                    () -> DaemonClient.awaitDaemon(state, Duration.ofSeconds(20)));
            Thread.sleep(300);
            assertThat(found).isNotDone();
            starting.writeDaemonFile(info());
            assertThat(found.get(10, TimeUnit.SECONDS)).isEqualTo(info());
        }
    }

    @Test
    void aStartThatFailsEndsTheWait() throws Exception {
        Path state = dir.resolve("state");
        CompletableFuture<DaemonInfo> found;
        try (StateDirectory starting = StateDirectory.acquire(state, w -> { })) {
            found = CompletableFuture.supplyAsync(() -> DaemonClient.awaitDaemon(state, Duration.ofSeconds(20)));
            Thread.sleep(300);
            assertThat(found).isNotDone();
        }
        assertThatThrownBy(() -> found.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(Failure.class)
                .cause().hasMessage("no daemon running for " + state);
    }

    @Test
    void theWaitIsBounded() throws Exception {
        Path state = dir.resolve("state");
        try (StateDirectory starting = StateDirectory.acquire(state, w -> { })) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> DaemonClient.awaitDaemon(state, Duration.ofSeconds(1)))
                    .isInstanceOf(Failure.class)
                    .hasMessage("the daemon for " + state + " (pid " + ProcessHandle.current().pid()
                            + ") is still starting after 1 s");
            assertThat(System.nanoTime() - start).isBetween(1_000_000_000L, 5_000_000_000L);
        }
    }

    @Test
    void noLockNoWait() {
        Path state = dir.resolve("none");
        long start = System.nanoTime();
        assertThatThrownBy(() -> DaemonClient.awaitDaemon(state, Duration.ofSeconds(20)))
                .isInstanceOf(Failure.class).hasMessage("no daemon running for " + state);
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }
}
