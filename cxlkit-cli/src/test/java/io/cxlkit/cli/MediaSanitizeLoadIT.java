package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code poison --inject/--clear}, {@code list -L}, and {@code sanitize-memdev} + {@code wait-sanitize}
 * as real processes against a real daemon, back to back and then concurrently (memdev-commands.md
 * §13.3-13.5, §15.1, §15.5). Every run must succeed, with one exception the contract names: a
 * sanitize while another one sent through the host runs on that memdev is refused (409
 * {@code sanitize-active}), which is counted as such, never taken for a success. The failures are
 * counted and must be 0, and the daemon's output has no stack trace.
 */
class MediaSanitizeLoadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BACK_TO_BACK = 5;
    private static final int POISON_CLIENTS = 2;
    private static final int LIST_CLIENTS = 2;
    private static final int SANITIZE_CLIENTS = 2;
    private static final int ROUNDS = 4;
    /** Where each poison client works on mem0: a region of its own, 64 KiB apart. */
    private static final long REGION = 64 * 1024;

    private static final String SANITIZE_ACTIVE = "cxlkit: sanitize-memdev: mem1: a sanitize is already running\n"
            + "cxlkit: sanitize-memdev: sanitize started on 0 mem device\n";

    @TempDir
    Path dir;

    @Test
    void poisonListsAndSanitizesBackToBackAndConcurrently() throws Exception {
        Path state = dir.resolve("state");
        // mem0 takes the poison (a volatile and a persistent partition, so -L reads both); mem1 sanitizes
        Path config = java.nio.file.Files.writeString(dir.resolve("devices.json"),
                "{\"devices\":[{\"name\":\"mem0\",\"ram_size\":\"256MiB\"},{\"name\":\"mem1\"}]}");
        try (DaemonProcess daemon = DaemonProcess.start(state, "--config", config.toString(), "--timing", "instant",
                "--sanitize-time", "200ms")) {
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger refusedAsActive = new AtomicInteger();

            for (int i = 0; i < BACK_TO_BACK; i++) {
                String what = "back-to-back " + i;
                // one line in the volatile partition, one in the persistent one
                long dpa = i % 2 == 0 ? 0x1000L * (i + 1) : (256L << 20) + 0x1000L * i;
                poison(state, "--inject", dpa, what, failures, runs);
                listed(state, dpa, true, what, failures, runs);
                poison(state, "--clear", dpa, what, failures, runs);
                listed(state, dpa, false, what, failures, runs);
                if (!sanitize(state, what, failures, runs)) {
                    failures.add(what + ": a sanitize with none running was refused as active");
                }
                waitSanitize(state, what, failures, runs);
            }

            ExecutorService pool = Executors.newFixedThreadPool(POISON_CLIENTS + LIST_CLIENTS + SANITIZE_CLIENTS);
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < POISON_CLIENTS; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < ROUNDS; i++) {
                        long dpa = (client + 1) * REGION + 64L * i;
                        String what = "poison client " + client + " round " + i;
                        poison(state, "--inject", dpa, what, failures, runs);
                        poison(state, "--clear", dpa, what, failures, runs);
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
            for (int c = 0; c < SANITIZE_CLIENTS; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < ROUNDS; i++) {
                        String what = "sanitizer " + client + " round " + i;
                        if (!sanitize(state, what, failures, runs)) {
                            refusedAsActive.incrementAndGet();
                        }
                        waitSanitize(state, what, failures, runs);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();

            assertThat(failures).as("failed runs of %d", runs.get()).isEmpty();
            assertThat(runs.get()).isEqualTo(BACK_TO_BACK * 6 + POISON_CLIENTS * ROUNDS * 2 + LIST_CLIENTS * ROUNDS
                    + SANITIZE_CLIENTS * ROUNDS * 2);
            // refusals are the contract's answer to a concurrent sanitize, not successes: at most one per round
            // of the two sanitizers can be refused, and some sanitize of each round pair started
            assertThat(refusedAsActive.get()).isLessThan(SANITIZE_CLIENTS * ROUNDS);
            assertThat(daemon.terminate()).isZero();
            assertThat(daemon.log()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    /** poison --inject/--clear: prints nothing, exit 0. */
    private void poison(Path state, String option, long dpa, String what, ConcurrentLinkedQueue<String> failures,
                        AtomicInteger runs) throws Exception {
        LauncherProcess.Result r = cxlkit(state, "poison", "mem0", option, "0x" + Long.toHexString(dpa));
        runs.incrementAndGet();
        if (r.exit() != 0 || !r.stdout().isEmpty() || !r.stderr().isEmpty()) {
            failures.add(what + ": poison " + option + " 0x" + Long.toHexString(dpa) + ": exit " + r.exit() + " "
                    + r.stdout() + r.stderr());
        }
    }

    /** list -L -m mem0: the line at {@code dpa} is listed as one Injected run, or not at all. */
    private void listed(Path state, long dpa, boolean expected, String what, ConcurrentLinkedQueue<String> failures,
                        AtomicInteger runs) throws Exception {
        LauncherProcess.Result r = cxlkit(state, "list", "-L", "-m", "mem0");
        runs.incrementAndGet();
        boolean found = false;
        if (r.exit() == 0 && r.stderr().isEmpty()) {
            for (JsonNode e : JSON.readTree(r.stdout()).get(0).path("media_errors")) {
                found |= e.path("offset").asLong() == dpa && e.path("length").asLong() == 64
                        && e.path("source").asText().equals("Injected") && !e.has("flags");
            }
        }
        if (r.exit() != 0 || !r.stderr().isEmpty() || found != expected) {
            failures.add(what + ": list -L: exit " + r.exit() + (expected ? ", 0x" : ", still 0x")
                    + Long.toHexString(dpa) + " " + r.stdout() + r.stderr());
        }
    }

    /** list -L of both memdevs (mem1 may be sanitizing: its list is then left out): exit 0, two memdevs. */
    private void list(Path state, String what, ConcurrentLinkedQueue<String> failures, AtomicInteger runs)
            throws Exception {
        LauncherProcess.Result r = cxlkit(state, "list", "-L");
        runs.incrementAndGet();
        if (r.exit() != 0 || !r.stderr().isEmpty() || JSON.readTree(r.stdout()).size() != 2) {
            failures.add(what + ": list -L: exit " + r.exit() + " " + r.stdout() + r.stderr());
        }
    }

    /**
     * sanitize-memdev mem1: true when it started; false when it was refused because another one runs
     * (exactly the contract's words); anything else is a failure.
     */
    private boolean sanitize(Path state, String what, ConcurrentLinkedQueue<String> failures, AtomicInteger runs)
            throws Exception {
        LauncherProcess.Result r = cxlkit(state, "sanitize-memdev", "mem1");
        runs.incrementAndGet();
        if (r.exit() == 0 && r.stdout().isEmpty()
                && r.stderr().equals("cxlkit: sanitize-memdev: sanitize started on 1 mem device\n")) {
            return true;
        }
        if (r.exit() == 1 && r.stdout().isEmpty() && r.stderr().equals(SANITIZE_ACTIVE)) {
            return false;
        }
        failures.add(what + ": sanitize-memdev: exit " + r.exit() + " " + r.stdout() + r.stderr());
        return true;
    }

    private void waitSanitize(Path state, String what, ConcurrentLinkedQueue<String> failures, AtomicInteger runs)
            throws Exception {
        LauncherProcess.Result r = cxlkit(state, "wait-sanitize", "mem1", "-t", "30000");
        runs.incrementAndGet();
        if (r.exit() != 0 || !r.stdout().isEmpty()
                || !r.stderr().equals("cxlkit: wait-sanitize: wait sanitize completed on 1 mem device\n")) {
            failures.add(what + ": wait-sanitize: exit " + r.exit() + " " + r.stdout() + r.stderr());
        }
    }

    private static LauncherProcess.Result cxlkit(Path state, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LauncherProcess.root().resolve("bin/cxlkit").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state-dir", state.toString()));
        return LauncherProcess.run(state.getParent(), LauncherProcess.noChange(), cmd.toArray(String[]::new));
    }
}
