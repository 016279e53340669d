package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bookkeeping of a load test that runs {@code bin/cxlkit} as real processes against one
 * daemon: every run counted, every failure kept in words (so that one test run names them all),
 * and groups of clients run concurrently, each for its rounds.
 */
final class CliLoad {

    /** One round of one client. */
    @FunctionalInterface
    interface ClientRound {
        void run(int client, int round) throws Exception;
    }

    private final Path state;
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger runs = new AtomicInteger();
    private final List<Callable<Void>> clients = new ArrayList<>();

    /** @param state the daemon's state directory */
    CliLoad(Path state) {
        this.state = state;
    }

    /** Runs {@code cxlkit args --state-dir <state>} and counts the run. */
    LauncherProcess.Result cxlkit(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LauncherProcess.root().resolve("bin/cxlkit").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state-dir", state.toString()));
        LauncherProcess.Result r = LauncherProcess.run(state.getParent(), LauncherProcess.noChange(),
                cmd.toArray(String[]::new));
        runs.incrementAndGet();
        return r;
    }

    /** Keeps a failure, in words. */
    void failed(String what) {
        failures.add(what);
    }

    /** Adds {@code n} clients, each to run {@code rounds} rounds, concurrently with every client added. */
    void clients(int n, int rounds, ClientRound round) {
        for (int c = 0; c < n; c++) {
            int client = c;
            clients.add(() -> {
                for (int i = 0; i < rounds; i++) {
                    round.run(client, i);
                }
                return null;
            });
        }
    }

    /** Runs every client added, all at once, and waits for them all (a client's exception is rethrown). */
    void runClients() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        try {
            List<Future<Void>> work = new ArrayList<>();
            for (Callable<Void> c : clients) {
                work.add(pool.submit(c));
            }
            for (Future<Void> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
            clients.clear();
        }
    }

    /** No run failed; and {@code expected} runs were made. */
    void assertAllSucceeded(int expected) {
        assertThat(failures).as("failed runs of %d", runs.get()).isEmpty();
        assertThat(runs.get()).as("runs").isEqualTo(expected);
    }
}
