package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --detach} when its daemon does not become ready: one that exits first (its own lines, its
 * status), one that never gets ready (stopped after the bound) and a signal while waiting (the daemon stopped).
 * The daemon is a shell standing in for it; the ready case runs against the real one in {@code DetachStopIT}.
 */
class DetachTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Detach detach(String script, Duration bound) {
        return new Detach(dir.resolve("state"), List.of("sh", "-c", script), new PrintWriter(out, true),
                new PrintWriter(err, true), bound);
    }

    private Path log() {
        return dir.resolve("state/serve.log");
    }

    @Test
    void aDaemonThatFailsShowsItsOwnLinesAndStatus() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(log(), "cxlkit: serve: an older start's line\n");
        int exit = detach("echo '2026-01-01T00:00:00Z info something'; echo 'cxlkit: serve: cannot do it'; exit 1",
                Duration.ofSeconds(30)).run(new AtomicInteger());
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly("cxlkit: serve: cannot do it");
        assertThat(Files.readString(log())).endsWith("cxlkit: serve: cannot do it\n");
    }

    @Test
    void withoutLinesOfItsOwnItsLastLinesAndStatus() throws Exception {
        int exit = detach("echo 'Error: Could not find or load main class'; exit 3", Duration.ofSeconds(30))
                .run(new AtomicInteger());
        assertThat(exit).isEqualTo(3);
        assertThat(err.toString().lines()).containsExactly("Error: Could not find or load main class",
                "cxlkit: serve: the daemon exited with status 3 before it was ready (its log: " + log() + ")");
        assertThat(dir.resolve("state")).isDirectory();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("state")))).isEqualTo("rwx------");
    }

    @Test
    void aDaemonThatExitsCleanlyBeforeItIsReadyIsStillAFailure() throws Exception {
        assertThat(detach("exit 0", Duration.ofSeconds(30)).run(new AtomicInteger())).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly(
                "cxlkit: serve: the daemon exited with status 0 before it was ready (its log: " + log() + ")");
    }

    @Test
    void aDaemonNotReadyInTimeIsStopped() throws Exception {
        long start = System.nanoTime();
        int exit = detach("exec sleep 60", Duration.ofSeconds(1)).run(new AtomicInteger());
        assertThat(exit).isEqualTo(1);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(20));
        Matcher m = Pattern.compile("^cxlkit: serve: the daemon \\(pid (\\d+)\\) was not ready within 1 s; stopped it"
                + " \\(its log: " + Pattern.quote(log().toString()) + "\\)$").matcher(err.toString().strip());
        assertThat(m.matches()).as(err.toString()).isTrue();
        assertThat(ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aSignalWhileWaitingStopsTheStartingDaemon() throws Exception {
        AtomicInteger signal = new AtomicInteger();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return detach("exec sleep 60", Duration.ofSeconds(30)).run(signal);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        signal.set(2); // SIGINT
        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(130);
        assertThat(err.toString().strip()).matches("cxlkit: serve: interrupted; stopped the daemon \\(pid \\d+\\) that"
                + " was starting");
    }
}
