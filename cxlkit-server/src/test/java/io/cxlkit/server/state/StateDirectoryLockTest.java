package io.cxlkit.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start must tell a client probing the lock ({@link StateDirectory#isLocked}, held for an
 * instant) from a daemon holding it for good. POSIX record locks are per process, so the other
 * holder is a child JVM that takes the lock, says so, and keeps it for a given time.
 */
class StateDirectoryLockTest {

    @TempDir
    Path dir;

    private static final String HOLDER = """
            import java.nio.channels.FileChannel;
            import java.nio.file.*;
            public class Holder {
                public static void main(String[] a) throws Exception {
                    try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE); var lock = ch.lock()) {
                        System.out.println("locked");
                        System.out.flush();
                        Thread.sleep(Long.parseLong(a[1]));
                    }
                }
            }
            """;

    /** Starts a JVM holding the state lock for {@code millis}; returns once it holds it. */
    private Process holdLock(long millis) throws IOException {
        Path src = Files.writeString(dir.resolve("Holder.java"), HOLDER);
        Path state = Files.createDirectories(dir.resolve("state"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, src.toString(), state.resolve(StateDirectory.LOCK_FILE).toString(),
                Long.toString(millis)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        return p;
    }

    @Test
    void aStartWaitsOutALockHeldForAMoment() throws Exception {
        Process holder = holdLock(150); // a probe is far shorter; this is the grace's order of size
        try (StateDirectory sd = StateDirectory.acquire(dir.resolve("state"), w -> { })) {
            assertThat(StateDirectory.isLocked(dir.resolve("state"))).isTrue();
        } finally {
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLockHeldForGoodIsStillRefused() throws Exception {
        Process holder = holdLock(StateDirectory.PROBE_GRACE_MILLIS * 10);
        try {
            assertThatThrownBy(() -> StateDirectory.acquire(dir.resolve("state"), w -> { }))
                    .isInstanceOf(StateDirectory.InUseException.class);
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static final String PROBER = """
            import io.cxlkit.server.state.StateDirectory;
            import java.nio.file.Path;
            public class Prober {
                public static void main(String[] a) throws Exception {
                    Path dir = Path.of(a[0]);
                    System.out.println("probing");
                    System.out.flush();
                    long end = System.nanoTime() + Long.parseLong(a[1]) * 1_000_000;
                    while (System.nanoTime() < end) {
                        StateDirectory.isLocked(dir);
                    }
                }
            }
            """;

    @Test
    void clientsProbingTheLockWithoutPauseCannotMakeAStartFail() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        // a stopped daemon's lock file, as clients waiting for a start probe it
        try (StateDirectory first = StateDirectory.acquire(state, w -> { })) {
            assertThat(first.path()).isEqualTo(state.toAbsolutePath());
        }
        Path src = Files.writeString(dir.resolve("Prober.java"), PROBER);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process[] probers = new Process[2];
        for (int i = 0; i < probers.length; i++) {
            probers[i] = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), src.toString(),
                    state.toString(), "20000").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(probers[i].getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("probing");
        }
        try {
            for (int start = 0; start < 40; start++) {
                try (StateDirectory sd = StateDirectory.acquire(state, w -> { })) {
                    assertThat(sd.path()).isEqualTo(state.toAbsolutePath());
                }
            }
        } finally {
            for (Process p : probers) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
