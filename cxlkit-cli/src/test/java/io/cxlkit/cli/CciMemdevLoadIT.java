package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxlkit cci MEMDEV ...} back to back and concurrently, as real processes against a real
 * daemon, while {@code update-firmware -w --strict} runs uploads on the same memdevs: every run
 * finds its memdev through the daemon and gets its answer; the failures are counted and must be 0.
 */
class CciMemdevLoadIT {

    private static final int CLIENTS = 3;
    private static final int RUNS_PER_CLIENT = 6;
    private static final int UPLOADS = 3;

    @TempDir
    Path dir;

    @Test
    void everyRunFindsItsMemdevAndIsAnswered() throws Exception {
        Path state = dir.resolve("state");
        Path image = Expected.packageFile(dir);
        try (DaemonProcess daemon = DaemonProcess.start(state, "--devices", "2", "--timing", "instant")) {
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String memdev = "mem" + (c % 2);
                String eid = "\n  \"eid\":" + (8 + c % 2) + ",\n";
                work.add(pool.submit(() -> {
                    for (int i = 0; i < RUNS_PER_CLIENT; i++) {
                        LauncherProcess.Result r = cxlkit(state, "cci", memdev, "get-fw-info");
                        if (r.exit() != 0 || !r.stdout().startsWith("{" + eid)
                                || !r.stdout().contains("\"return_code\":\"0000h\"")) {
                            failures.add(memdev + " run " + i + ": exit " + r.exit() + " " + r.stdout() + r.stderr());
                        }
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                for (int i = 0; i < UPLOADS; i++) {
                    LauncherProcess.Result r = cxlkit(state, "update-firmware", "all", "-F", image.toString(), "-w",
                            "--strict");
                    if (r.exit() != 0) {
                        failures.add("upload " + i + ": exit " + r.exit() + " " + r.stderr());
                    }
                }
                return null;
            }));
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            assertThat(failures).as("failed runs of %d", CLIENTS * RUNS_PER_CLIENT + UPLOADS).isEmpty();
            assertThat(daemon.terminate()).isZero();
            assertThat(daemon.log()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    private static LauncherProcess.Result cxlkit(Path state, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LauncherProcess.root().resolve("bin/cxlkit").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state-dir", state.toString()));
        return LauncherProcess.run(state.getParent(), LauncherProcess.noChange(), cmd.toArray(String[]::new));
    }
}
