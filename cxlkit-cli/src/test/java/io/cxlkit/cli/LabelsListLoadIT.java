package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * write-labels / read-labels, {@code list -H -I -A}, set-alert-config and set-partition as real
 * processes against a real daemon,
 * back to back and then concurrently (memdev-commands.md §13.2, §15.1-15.2): every label write
 * reads back as written, every list has the three objects for every memdev; the failures are
 * counted and must be 0, and the daemon's output has no stack trace.
 */
class LabelsListLoadIT {

    private static final int S = Expected.DEFAULT_LSA_SIZE;
    private static final int BACK_TO_BACK = 8;
    private static final int LABEL_CLIENTS = 4;
    private static final int LIST_CLIENTS = 2;
    /** Clients that set the alert configuration and the partitioning (the same values: each run must succeed). */
    private static final int SETTINGS_CLIENTS = 1;
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void labelsAndListsBackToBackAndConcurrentlyAllSucceed() throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess daemon = DaemonProcess.start(state, "--devices", "2", "--timing", "instant",
                "--partitionable-capacity", "1GiB", "--partition-align", "256MiB")) {
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger runs = new AtomicInteger();

            // back to back: whole-area and odd-sized writes, each read back, and a list after each
            Random random = new Random(15);
            for (int i = 0; i < BACK_TO_BACK; i++) {
                int offset = i == 0 ? 0 : random.nextInt(S);
                int size = i == 0 ? S : 1 + random.nextInt(S - offset);
                labelRound(state, "mem" + (i % 2), offset, size, random, "back-to-back " + i, failures, runs);
                list(state, "back-to-back " + i, failures, runs);
                settings(state, "back-to-back " + i, failures, runs);
            }

            // concurrently: each label client in a region of its own on both memdevs, lists alongside
            ExecutorService pool = Executors.newFixedThreadPool(LABEL_CLIENTS + LIST_CLIENTS + SETTINGS_CLIENTS);
            List<Future<?>> work = new ArrayList<>();
            int region = S / LABEL_CLIENTS;
            for (int c = 0; c < LABEL_CLIENTS; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    Random r = new Random(100 + client);
                    for (int i = 0; i < ROUNDS; i++) {
                        int offset = client * region + r.nextInt(region / 2);
                        int size = 1 + r.nextInt(region / 2);
                        labelRound(state, "mem" + ((client + i) % 2), offset, size, r, "client " + client + " round " + i,
                                failures, runs);
                    }
                    return null;
                }));
            }
            for (int c = 0; c < LIST_CLIENTS; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < ROUNDS; i++) {
                        list(state, "lister " + client + " round " + i, failures, runs);
                    }
                    return null;
                }));
            }
            for (int c = 0; c < SETTINGS_CLIENTS; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < ROUNDS; i++) {
                        settings(state, "settings " + client + " round " + i, failures, runs);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();

            assertThat(failures).as("failed runs of %d", runs.get()).isEmpty();
            assertThat(runs.get()).isEqualTo(BACK_TO_BACK * 5 + LABEL_CLIENTS * ROUNDS * 2 + LIST_CLIENTS * ROUNDS
                    + SETTINGS_CLIENTS * ROUNDS * 2);
            assertThat(daemon.terminate()).isZero();
            assertThat(daemon.log()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    /** write-labels of random bytes, then read-labels of the same range, compared. */
    private void labelRound(Path state, String memdev, int offset, int size, Random random, String what,
                            ConcurrentLinkedQueue<String> failures, AtomicInteger runs) throws Exception {
        byte[] data = new byte[size];
        random.nextBytes(data);
        Path in = Files.createTempFile(dir, "in", ".bin");
        Path out = dir.resolve(in.getFileName() + ".out");
        Files.write(in, data);
        LauncherProcess.Result w = cxlkit(state, "write-labels", memdev, "-O", Integer.toString(offset), "-i",
                in.toString());
        runs.incrementAndGet();
        if (w.exit() != 0 || !w.stderr().equals("cxlkit: write-labels: wrote 1 mem\n")) {
            failures.add(what + ": write-labels " + memdev + " " + size + "@" + offset + ": exit " + w.exit() + " "
                    + w.stderr());
            return;
        }
        LauncherProcess.Result r = cxlkit(state, "read-labels", memdev, "-O", Integer.toString(offset), "-s",
                Integer.toString(size), "-o", out.toString());
        runs.incrementAndGet();
        if (r.exit() != 0 || !Arrays.equals(Files.readAllBytes(out), data)) {
            failures.add(what + ": read-labels " + memdev + " " + size + "@" + offset + ": exit " + r.exit() + " "
                    + r.stderr() + (r.exit() == 0 ? " (other bytes)" : ""));
        }
    }

    private void list(Path state, String what, ConcurrentLinkedQueue<String> failures, AtomicInteger runs)
            throws Exception {
        LauncherProcess.Result l = cxlkit(state, "list", "-H", "-I", "-A");
        runs.incrementAndGet();
        String out = l.stdout();
        if (l.exit() != 0 || !l.stderr().isEmpty() || count(out, "\"health\":{") != 2 || count(out, "\"alert_config\":{") != 2
                || count(out, "\"partition_info\":{") != 2 || !out.contains("\"temperature\":25,")) {
            failures.add(what + ": list -H -I -A: exit " + l.exit() + " " + out + l.stderr());
        }
    }

    /** set-alert-config and set-partition with the same values every time: each must succeed. */
    private void settings(Path state, String what, ConcurrentLinkedQueue<String> failures, AtomicInteger runs)
            throws Exception {
        LauncherProcess.Result a = cxlkit(state, "set-alert-config", "mem0", "-L", "30", "--life-used-alert", "on");
        runs.incrementAndGet();
        if (a.exit() != 0 || !a.stderr().equals("cxlkit: set-alert-config: set alert configuration for 1 mem\n")
                || !a.stdout().contains("\"life_used_prog_warn_threshold\":30,")) {
            failures.add(what + ": set-alert-config: exit " + a.exit() + " " + a.stdout() + a.stderr());
        }
        LauncherProcess.Result p = cxlkit(state, "set-partition", "mem1", "-t", "ram", "-s", "512M");
        runs.incrementAndGet();
        if (p.exit() != 0 || !p.stderr().equals("cxlkit: set-partition: set_partition 1 mem\n")
                || !p.stdout().contains("\"partition_info\":{")) {
            failures.add(what + ": set-partition: exit " + p.exit() + " " + p.stdout() + p.stderr());
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static LauncherProcess.Result cxlkit(Path state, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LauncherProcess.root().resolve("bin/cxlkit").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state-dir", state.toString()));
        return LauncherProcess.run(state.getParent(), LauncherProcess.noChange(), cmd.toArray(String[]::new));
    }
}
