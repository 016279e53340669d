package io.cxlkit.cli;

import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.server.state.DaemonInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cycles of a SIGKILL test on one state directory ({@code <dir>/state}): each cycle starts a
 * {@link CrashKillDaemon} (its output in {@code <dir>/serve.<cycle>.log}), gives it to the test
 * once ready, and makes sure it is gone afterwards; the test kills it at an instant of its choice
 * with {@link #sigkillAfter}, or stops the last one.
 */
final class KillCycles implements AutoCloseable {

    /** JVM options for a fast start: start-up time dominates these tests. */
    static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** One cycle, given the ready daemon. */
    @FunctionalInterface
    interface Cycle {
        void run(CrashKillDaemon daemon, DaemonInfo info, int cycle) throws Exception;
    }

    private final Path dir;
    private final List<String> serveArgs;
    private final long seed;
    private final int kills;
    private final ScheduledExecutorService killer;

    /**
     * The plan: the seed ({@code -Dcxlkit.crash.seed=N} replays one) and the number of kills
     * ({@code -D<killsProperty>=N}), printed first with how to replay it.
     *
     * @param name names the killer thread ({@code <name>-killer}) and the output ({@code <name>-kill: })
     */
    KillCycles(Path dir, String name, List<String> serveArgs, long defaultSeed, String killsProperty,
               int defaultKills) {
        this.dir = dir;
        this.serveArgs = serveArgs;
        this.seed = Long.getLong("cxlkit.crash.seed", defaultSeed);
        this.kills = Integer.getInteger(killsProperty, defaultKills);
        this.killer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-killer");
            t.setDaemon(true);
            return t;
        });
        System.out.printf("%s-kill: seed %d, %d kills (replay: -Dcxlkit.crash.seed=%d)%n", name, seed, kills, seed);
    }

    /** The plan's random source: the instants of the kills and what the test sends, from the seed. */
    Random random() {
        return new Random(seed);
    }

    /** How many cycles end in a SIGKILL; the one after them is the last. */
    int kills() {
        return kills;
    }

    Path state() {
        return dir.resolve("state");
    }

    /** Spawns a daemon on the state directory, its output in {@code <dir>/serve.<name>.log}; does not wait. */
    CrashKillDaemon spawn(String name) throws IOException {
        return CrashKillDaemon.spawn(state(), dir.resolve("serve." + name + ".log"), FAST_START, serveArgs);
    }

    /** Runs cycles 0 to {@link #kills()}, each on a daemon of its own. */
    void run(Cycle cycle) throws Exception {
        for (int c = 0; c <= kills; c++) {
            CrashKillDaemon daemon = spawn(Integer.toString(c));
            try {
                cycle.run(daemon, daemon.awaitReady(), c);
            } finally {
                daemon.close();
            }
        }
    }

    /** SIGKILLs {@code daemon} {@code millis} from now, from the killer thread. */
    void sigkillAfter(CrashKillDaemon daemon, long millis) {
        killer.schedule(daemon::sigkill, millis, TimeUnit.MILLISECONDS);
    }

    /** A CCI client of the daemon's socket CCI, to the memdev at MCTP endpoint {@code eid}. */
    static CciClient connect(DaemonInfo info, int eid) throws IOException {
        return new CciClient(SocketTransport.connect(CciAddress.parse(info.cci()), eid));
    }

    @Override
    public void close() {
        killer.shutdownNow();
    }
}
