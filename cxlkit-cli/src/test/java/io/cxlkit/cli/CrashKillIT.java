package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlkit.cli.CrashKillModel.Pkg;
import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageInspection;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.server.state.DaemonInfo;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the device's non-volatile state (device-behaviour.md §6) against a real
 * {@code cxlkit serve}: one state directory, a seeded random sequence of uploads (Transfer FW Full
 * and Initiate/Continue/End over the socket CCI, uploads through the host driver over the mailbox
 * via the control API, aborted transfers, corrupt packages), online and on-reset activations and
 * cold resets, and a SIGKILL at a random moment of every daemon's life (a few of them during
 * start-up). After each kill the files are checked as the crash left them, and again after the
 * restart, against the host's record of what each slot may hold ({@link CrashKillModel}):
 *
 * <ul>
 *   <li>the daemon starts again;
 *   <li>every slot file is a complete package ({@link PackageInspection#intact()}) equal byte for
 *       byte to a package sent to that slot: exactly the last one completely written (its End or
 *       Full answered 0000h), or for a slot whose End/Full was in flight at the kill the previous
 *       or the new one, never anything else (a corrupt or aborted package never lands);
 *   <li>the active slot holds such a package; the staged mark (device.properties and Get FW Info)
 *       is 0 or on a slot holding one;
 *   <li>the restart is a cold reset: the staged slot became active, nothing is staged, slots are
 *       unchanged, no staging.bin nor temporary file is left, and Get FW Info and Identify Memory
 *       Device report what the files hold.
 * </ul>
 *
 * While a daemon lives, Get FW Info after every step must agree with the record too.
 *
 * <p>{@code -Dcxlkit.crash.seed=N} replays a run's plan (operations, sizes, kill delays, printed
 * at the start); {@code -Dcxlkit.crash.kills=N} sets the number of kills (default
 * {@value #DEFAULT_KILLS}). The instants at which kills land relative to the daemon's work depend on
 * the machine's speed, so a replay explores the same plan, not necessarily the same instants.
 */
class CrashKillIT {

    static final long DEFAULT_SEED = 20_261_124L;
    static final int DEFAULT_KILLS = 60;

    private static final int SLOTS = 3;
    private static final int MEM0_EID = 8;
    private static final int MCTP_MESSAGE_SIZE = 64 * 1024;
    /** The largest Transfer FW data that fits one MCTP message: 511 x 128 bytes. */
    private static final int MAX_PART = MCTP_MESSAGE_SIZE - TransferFwRequest.HEADER_SIZE;
    /** A Full's package (128-byte header + body padded to 128) must fit one message. */
    private static final int MAX_FULL_BODY = MAX_PART - 128;
    private static final int[] PART_SIZES = {8 * 1024, 32 * 1024, MAX_PART};
    private static final int MAX_PARTS_BODY = 1536 * 1024;
    private static final int MAX_HTTP_BODY = 256 * 1024;
    /** Steps run before the kill is armed: 0..this-1. */
    private static final int MAX_SAFE_STEPS = 3;
    /** The kill lands 0..this ms after its step starts. */
    private static final int MAX_KILL_DELAY_MS = 300;
    private static final int STARTUP_KILL_PERCENT = 8;
    /**
     * Cycles whose kill aims at a commit: when the first state-changing command (End, Full,
     * Activate FW, reset) after the safe steps is sent, the killer watches the device directory
     * and kills 0..{@value #MAX_EVENT_DELAY_MICROS} us after the 1st..{@value #MAX_EVENTS}th file
     * event (a staging write, a temporary file, a rename), so the kill lands inside the crash-safe
     * update sequence itself. Start-up kills use the same watch, with a timed kill as fallback.
     */
    private static final int TARGETED_PERCENT = 40;
    private static final int MAX_EVENTS = 4;
    private static final int MAX_EVENT_DELAY_MICROS = 1500;
    /** No awaited file event within this: kill anyway. */
    private static final long EVENT_FALLBACK_MILLIS = 300;

    private static final List<String> SERVE_ARGS = List.of("--slots", Integer.toString(SLOTS),
            "--timing", "instant", "--fw-part-time", "1ms", "--fw-full-time", "2ms", "--fw-activate-time", "30ms",
            "--payload-size", "4KiB", "--mctp-message-size", "64KiB");
    /** Start-up time dominates the test: the client compiler and serial GC start faster. */
    private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Step { FULL, PARTS, HTTP_UPLOAD, ONLINE, ON_RESET, RESET, ABORT, CORRUPT }

    private static final Map<Step, Integer> WEIGHTS = Map.of(Step.FULL, 12, Step.PARTS, 28, Step.HTTP_UPLOAD, 14,
            Step.ONLINE, 14, Step.ON_RESET, 10, Step.RESET, 10, Step.ABORT, 6, Step.CORRUPT, 6);

    @Test
    void sigkillAtRandomMomentsNeverLeavesAPartialPackageNorLosesACompleteOne(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("cxlkit.crash.seed", DEFAULT_SEED);
        int kills = Integer.getInteger("cxlkit.crash.kills", DEFAULT_KILLS);
        System.out.printf("crash-kill: seed %d, %d kills (replay: -Dcxlkit.crash.seed=%d -Dcxlkit.crash.kills=%d)%n",
                seed, kills, seed, kills);
        Run run = new Run(dir, seed, kills);
        run.run();
        assertThat(run.kills).as("kills").isGreaterThanOrEqualTo(kills);
        if (System.getProperty("cxlkit.crash.kills") == null) {
            assertThat(run.kills).as("kills in the default suite").isGreaterThanOrEqualTo(50);
        }
    }

    /** The daemon died under a step (the kill fired): the cycle is over. */
    private static final class Killed extends Exception {
        Killed(Throwable cause) {
            super(cause);
        }
    }

    @FunctionalInterface
    private interface DeviceCall<T> {
        T call() throws IOException, InterruptedException, CciCommandException;
    }

    /** What the disk held at a check: device.properties and each slot's package. */
    private record DiskState(int active, int staged, Map<Integer, Pkg> slots) {
    }

    private static final class Run {
        private final Path dir;
        private final Path state;
        private final Path mem0;
        private final long seed;
        private final int targetKills;
        private final Pkg factory = new Pkg(FirmwarePackage.FACTORY_REVISION, FirmwarePackage.factory());
        private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crash-killer");
            t.setDaemon(true);
            return t;
        });
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        private CrashKillModel model;
        private List<String> jvmOptions = JVM_OPTIONS;
        private CrashKillDaemon daemon;
        /** The daemon before this one (a failure after a restart is often explained by the killed one's output). */
        private CrashKillDaemon previous;
        private DiskState lastDisk;
        private int cycle;
        private int starts;
        private int packages;
        private volatile String phase = "idle";
        private volatile String phaseKind = "idle";
        private volatile String killedDuring;
        private volatile String killedKind;
        private Future<?> killTask;
        /** Set in a targeted cycle once its safe steps are done: the next commit point arms the kill. */
        private boolean targetAtCommit;
        private int targetEvents;
        private int targetMicros;
        private final StringBuilder cycleLog = new StringBuilder();

        // statistics for the report
        int kills;
        private int startupKills;
        private long readyNanos;
        private int readyStarts;
        private int stepsDone;
        private int resolvedOld;
        private int resolvedNew;
        private int leftStaging;
        private int leftTmp;
        private int spoolAfterRestart;
        private final Map<String, Integer> killKinds = new TreeMap<>();
        private final Map<Step, Integer> stepCounts = new TreeMap<>();

        Run(Path dir, long seed, int targetKills) {
            this.dir = dir;
            this.state = dir.resolve("state");
            this.mem0 = state.resolve("mem0");
            this.seed = seed;
            this.targetKills = targetKills;
        }

        void run() throws Exception {
            long t0 = System.nanoTime();
            Files.createDirectories(dir.resolve("logs"));
            try {
                jvmOptions = classArchive();
                long t1 = System.nanoTime();
                model = CrashKillModel.fresh(SLOTS, factory);
                // every wait inside is bounded; this bounds the whole (about 1-2 s per kill)
                long deadline = t1 + TimeUnit.SECONDS.toNanos(Math.max(1200, 15L * targetKills));
                while (kills < targetKills) {
                    assertThat(System.nanoTime()).as("run time of %d kills", targetKills).isLessThan(deadline);
                    Random r = new Random(seed * 0x9E3779B97F4A7C15L + cycle);
                    cycleLog.setLength(0);
                    cycleLog.append("cycle ").append(cycle).append(':');
                    if (cycle > 0 && r.nextInt(100) < STARTUP_KILL_PERCENT) {
                        killDuringStartup(r);
                    }
                    startAndCheck();
                    runUntilKilled(r);
                    System.out.println("crash-kill: " + cycleLog);
                    cycle++;
                }
                startAndCheck();
                assertThat(daemon.terminate()).as("exit status of serve after SIGTERM").isZero();
                long end = System.nanoTime();
                System.out.printf("crash-kill: seed %d: %d kills (%d during start-up) in %d cycles, %d steps, "
                                + "%d daemon starts (%.2f s to ready on average); %.1f s (warm-up %.1f s)%n",
                        seed, kills, startupKills, cycle, stepsDone, starts, readyNanos / 1e9 / Math.max(1, readyStarts),
                        (end - t0) / 1e9, (t1 - t0) / 1e9);
                System.out.println("crash-kill: steps run: " + stepCounts);
                System.out.println("crash-kill: kills landed during: " + killKinds);
                System.out.printf("crash-kill: slots written at a kill held the old package %d times, the new %d "
                                + "times; left behind by kills: staging.bin %d, *.tmp %d; upload.img present after %d "
                                + "of %d starts%n", resolvedOld, resolvedNew, leftStaging, leftTmp, spoolAfterRestart,
                        readyStarts);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("crash-kill seed " + seed + ", " + cycleLog + "\n  killed during: "
                        + killedDuring + "\n  record: " + model + "\n  " + e
                        + (previous == null ? "" : "\n--- output of the serve before ---\n" + previous.log())
                        + (daemon == null ? "" : "\n--- output of the last serve ---\n" + daemon.log()), e);
            } finally {
                killer.shutdownNow();
                if (daemon != null) {
                    daemon.close();
                }
            }
        }

        // ---- daemon lives ----

        private CrashKillDaemon spawn() throws IOException {
            starts++;
            previous = daemon;
            return CrashKillDaemon.spawn(state, dir.resolve("logs/serve-" + starts + ".log"), jvmOptions, SERVE_ARGS);
        }

        /** Starts the daemon and checks the restart (or the first start). */
        private void startAndCheck() throws Exception {
            daemon = spawn();
            DaemonInfo info = daemon.awaitReady();
            readyNanos += daemon.ageNanos();
            readyStarts++;
            cycleLog.append(String.format(" ready in %.2f s;", daemon.ageNanos() / 1e9));
            model.coldResetStarting();
            DiskState disk = checkDisk("after the restart", false);
            if (lastDisk != null) {
                int expectedActive = lastDisk.staged() != 0 ? lastDisk.staged() : lastDisk.active();
                assertThat(disk.active()).as("active slot after the restart (before it: active %d, staged %d)",
                        lastDisk.active(), lastDisk.staged()).isEqualTo(expectedActive);
                for (int s = 1; s <= SLOTS; s++) {
                    assertThat(disk.slots().get(s)).as("slot %d across the restart", s)
                            .isSameAs(lastDisk.slots().get(s));
                }
            }
            assertThat(disk.staged()).as("staged slot after a restart (a cold reset)").isZero();
            // The control API's spool of an upload a kill interrupted is not the device's state and
            // nothing promises to remove it: only counted, for the report.
            spoolAfterRestart += Files.exists(mem0.resolve("upload.img")) ? 1 : 0;
            try (Stream<Path> files = Files.list(mem0)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("leftovers after the restart").noneMatch(n -> n.equals("staging.bin") || n.endsWith(".tmp"));
            }
            try (CciClient cci = connect(info)) {
                FwInfo fw = cci.getFwInfo();
                assertThat(fw.slotsSupported()).isEqualTo(SLOTS);
                assertThat(fw.activeSlot()).as("Get FW Info active slot vs device.properties").isEqualTo(disk.active());
                assertThat(fw.stagedSlot()).as("Get FW Info staged slot vs device.properties").isEqualTo(disk.staged());
                for (int s = 1; s <= SLOTS; s++) {
                    assertThat(fw.revision(s)).as("Get FW Info revision of slot %d vs its file", s)
                            .isEqualTo(disk.slots().get(s).revision);
                }
                assertThat(cci.identifyMemoryDevice().fwRevision()).as("Identify Memory Device FW revision")
                        .isEqualTo(disk.slots().get(disk.active()).revision);
            }
            assertThat(model.observe(disk.active(), disk.staged(), revisions(disk)))
                    .as("disk vs record after the restart").isEmpty();
            lastDisk = disk;
        }

        /**
         * Spawns a daemon and kills it while it opens its state: at a file event in the device
         * directory (removing leftovers, activating the staged slot), else around the time a start
         * takes to become ready.
         */
        private void killDuringStartup(Random r) throws Exception {
            long typical = readyStarts == 0 ? 1_500_000_000L : readyNanos / readyStarts;
            long fallback = (long) (typical * (0.5 + 0.6 * r.nextDouble()));
            int events = 1 + r.nextInt(MAX_EVENTS);
            int micros = r.nextInt(MAX_EVENT_DELAY_MICROS + 1);
            model.coldResetStarting(); // the start may activate the staged slot before it dies
            killedDuring = null;
            setPhase("start-up", "start-up");
            CompletableFuture<CrashKillDaemon> spawned = new CompletableFuture<>();
            armOnFileEvents(events, micros, fallback, "kill", spawned);
            daemon = spawn();
            spawned.complete(daemon);
            boolean ready = daemon.awaitReadyOrExit(CrashKillDaemon.READY_TIMEOUT);
            killTask.get();
            daemon.awaitDeath();
            kills++;
            startupKills++;
            String kind = "start-up, " + (killedKind.startsWith("at file event") ? "at a file event" : "timed") + ", "
                    + (ready ? "after ready" : "before ready");
            killKinds.merge(kind, 1, Integer::sum);
            cycleLog.append(' ').append(killedDuring).append(ready ? " (after ready);" : " (before ready);");
            lastDisk = checkDisk("after a kill during start-up", true);
            assertThat(model.observe(lastDisk.active(), lastDisk.staged(), revisions(lastDisk)))
                    .as("disk vs record after a kill during start-up").isEmpty();
        }

        private void arm(long delay, TimeUnit unit) {
            CrashKillDaemon d = daemon;
            killTask = killer.schedule(() -> {
                killedKind = phaseKind;
                killedDuring = phase;
                d.sigkill();
            }, delay, unit);
        }

        /**
         * Kills {@code micros} after the {@code events}th create/modify/delete in the device
         * directory from now on, or after {@code fallbackNanos} if fewer come; the daemon is taken
         * from {@code target} once spawned. killedDuring names the events seen.
         */
        private void armOnFileEvents(int events, int micros, long fallbackNanos, String what,
                                     CompletableFuture<CrashKillDaemon> target) {
            WatchService watch;
            try {
                Files.createDirectories(mem0);
                watch = mem0.getFileSystem().newWatchService();
                mem0.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long deadline = System.nanoTime() + fallbackNanos;
            killTask = killer.submit(() -> {
                List<String> seen = new ArrayList<>();
                try (watch) {
                    while (seen.size() < events) {
                        WatchKey key = watch.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                        if (key == null) {
                            break;
                        }
                        for (WatchEvent<?> e : key.pollEvents()) {
                            seen.add(e.kind().name().replace("ENTRY_", "").toLowerCase() + " " + e.context());
                        }
                        key.reset();
                    }
                }
                boolean onEvent = seen.size() >= events;
                if (onEvent) {
                    LockSupport.parkNanos(micros * 1000L);
                }
                killedKind = onEvent ? "at file event: " + phaseKind : phaseKind;
                killedDuring = (onEvent ? what + " " + micros + " us after file event " + events + " "
                        : what + " timed, file events ") + seen + ", during " + phase;
                target.get().sigkill();
                return null;
            });
        }

        /** Runs random steps on a live daemon; the kill is armed after a few and ends the cycle. */
        private void runUntilKilled(Random r) throws Exception {
            int armAt = r.nextInt(MAX_SAFE_STEPS);
            int delayMs = r.nextInt(MAX_KILL_DELAY_MS + 1);
            boolean targeted = r.nextInt(100) < TARGETED_PERCENT;
            targetEvents = 1 + r.nextInt(MAX_EVENTS);
            targetMicros = r.nextInt(MAX_EVENT_DELAY_MICROS + 1);
            killedDuring = null;
            killedKind = null;
            killTask = null;
            targetAtCommit = false;
            List<String> done = new ArrayList<>();
            try (CciClient cci = connect(daemon.info())) {
                for (int i = 0; ; i++) {
                    if (i == armAt) {
                        if (targeted) {
                            targetAtCommit = true;
                        } else {
                            arm(delayMs, TimeUnit.MILLISECONDS);
                        }
                    }
                    if (targeted && i == armAt + 5 && killTask == null) {
                        arm(delayMs, TimeUnit.MILLISECONDS); // no commit point came: kill at random after all
                    }
                    assertThat(i).as("steps in one cycle: the kill never landed").isLessThan(200);
                    Step step = pick(r);
                    runStep(step, r, cci);
                    sync(cci, step.name());
                    done.add(step.name());
                    stepCounts.merge(step, 1, Integer::sum);
                    stepsDone++;
                }
            } catch (Killed k) {
                // the daemon died under a step
            }
            daemon.awaitDeath();
            kills++;
            killKinds.merge(killedKind, 1, Integer::sum);
            cycleLog.append(" steps ").append(done).append("; kill armed after ").append(armAt).append(" steps ")
                    .append(targeted ? "at the next commit point" : "+" + delayMs + " ms")
                    .append(", landed during ").append(killedDuring).append(';');
            Map<Integer, Map<String, Pkg>> before = new TreeMap<>();
            for (int s = 1; s <= SLOTS; s++) {
                before.put(s, new LinkedHashMap<>(model.possible(s)));
            }
            lastDisk = checkDisk("after the kill", true);
            for (int s = 1; s <= SLOTS; s++) {
                List<String> possible = new ArrayList<>(before.get(s).keySet()); // insertion order: old first
                if (possible.size() > 1) {
                    String held = lastDisk.slots().get(s).revision;
                    cycleLog.append(" slot ").append(s).append(' ').append(possible).append(" -> '").append(held)
                            .append("';");
                    if (held.equals(possible.get(0))) {
                        resolvedOld++;
                    } else {
                        resolvedNew++;
                    }
                }
            }
            List<String> problems = model.observe(lastDisk.active(), lastDisk.staged(), revisions(lastDisk));
            assertThat(problems).as("disk vs record after the kill").isEmpty();
        }

        // ---- checks ----

        /**
         * Reads device.properties and every slot file: each slot a complete package the record allows
         * for that slot, the active slot non-empty, the staged mark 0 or on a non-empty slot.
         */
        private DiskState checkDisk(String when, boolean afterKill) throws IOException {
            Path props = mem0.resolve("device.properties");
            assertThat(props).as("device.properties " + when).exists();
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(props, StandardCharsets.UTF_8)));
            assertThat(p.getProperty("serial")).as("serial " + when).isEqualTo("0");
            assertThat(p.getProperty("slots")).as("slots " + when).isEqualTo(Integer.toString(SLOTS));
            assertThat(p.getProperty("security_floor")).as("security_floor " + when).isEqualTo("0");
            int active = Integer.parseInt(p.getProperty("active"));
            int staged = Integer.parseInt(p.getProperty("staged"));
            Map<Integer, Pkg> slots = new TreeMap<>();
            for (int s = 1; s <= SLOTS; s++) {
                Path f = mem0.resolve("slot-" + s + ".pkg");
                Map<String, Pkg> possible = model.possible(s);
                if (!Files.exists(f)) {
                    assertThat(possible).as("slot %d is empty %s; the record allows", s, when).containsKey("");
                    slots.put(s, Pkg.EMPTY);
                    continue;
                }
                PackageInspection inspection = PackageVerifier.inspect(f);
                assertThat(inspection.intact()).as("slot %d holds a complete package %s (%s, %d bytes)", s, when,
                        inspection.failure().map(io.cxlkit.protocol.fwpkg.VerificationFailure::message).orElse(""),
                        inspection.size()).isTrue();
                byte[] bytes = Files.readAllBytes(f);
                Pkg match = possible.values().stream().filter(c -> !c.empty() && Arrays.equals(c.bytes, bytes))
                        .findFirst().orElse(null);
                assertThat(match).as("slot %d %s holds %s (%d bytes), which is none of the packages completely "
                                + "sent to it that it may hold: %s", s, when, inspection.revision().orElse("?"),
                        bytes.length, possible.values()).isNotNull();
                slots.put(s, match);
            }
            assertThat(model.possibleActive()).as("active slot %s (device.properties)", when).contains(active);
            assertThat(slots.get(active).empty()).as("active slot %d is empty %s", active, when).isFalse();
            assertThat(model.possibleStaged()).as("staged slot %s (device.properties)", when).contains(staged);
            if (staged != 0) {
                assertThat(slots.get(staged).empty()).as("staged slot %d is empty %s", staged, when).isFalse();
            }
            if (afterKill) {
                leftStaging += Files.exists(mem0.resolve("staging.bin")) ? 1 : 0;
                try (Stream<Path> files = Files.list(mem0)) {
                    leftTmp += files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")) ? 1 : 0;
                }
            }
            return new DiskState(active, staged, slots);
        }

        private static List<String> revisions(DiskState d) {
            List<String> revs = new ArrayList<>();
            for (int s = 1; s <= SLOTS; s++) {
                revs.add(d.slots().get(s).revision);
            }
            return revs;
        }

        /** Get FW Info and Identify Memory Device on the live daemon must agree with the record. */
        private void sync(CciClient cci, String after) throws Killed, InterruptedException {
            setPhase("Get FW Info after " + after, "between steps");
            FwInfo fw = expectOk(cci::getFwInfo, "Get FW Info");
            List<String> revs = new ArrayList<>();
            for (int s = 1; s <= SLOTS; s++) {
                revs.add(fw.revision(s));
            }
            List<String> problems = model.observe(fw.activeSlot(), fw.stagedSlot(), revs);
            assertThat(problems).as("Get FW Info after %s vs the record", after).isEmpty();
            String identified = expectOk(cci::identifyMemoryDevice, "Identify Memory Device").fwRevision();
            assertThat(identified).as("Identify Memory Device FW revision after " + after)
                    .isEqualTo(model.known(model.active()).revision);
        }

        // ---- steps ----

        private Step pick(Random r) {
            int total = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
            while (true) {
                int x = r.nextInt(total);
                for (Step s : Step.values()) {
                    x -= WEIGHTS.get(s);
                    if (x < 0) {
                        if ((s == Step.ONLINE || s == Step.ON_RESET) && activatable().isEmpty()) {
                            break; // nothing to activate yet: draw again
                        }
                        return s;
                    }
                }
            }
        }

        private List<Integer> writable() {
            List<Integer> l = new ArrayList<>();
            for (int s = 1; s <= SLOTS; s++) {
                if (s != model.active()) {
                    l.add(s);
                }
            }
            return l;
        }

        private List<Integer> activatable() {
            List<Integer> l = new ArrayList<>();
            for (int s : writable()) {
                if (!model.known(s).empty()) {
                    l.add(s);
                }
            }
            return l;
        }

        private Pkg newPackage(Random r, int bodyLength) {
            byte[] body = new byte[bodyLength];
            r.nextBytes(body);
            String revision = "R" + (++packages);
            return new Pkg(revision, FirmwarePackage.builder().revision(revision).securityVersion(0).body(body)
                    .build().toByteArray());
        }

        private void runStep(Step step, Random r, CciClient cci) throws Killed, Exception {
            switch (step) {
                case FULL -> {
                    int slot = writable().get(r.nextInt(SLOTS - 1));
                    Pkg p = newPackage(r, 1 + r.nextInt(MAX_FULL_BODY));
                    commitPoint("Full " + p + " to slot " + slot, "Full");
                    model.writeStarting(slot, p);
                    expectOk(() -> cci.transferFw(TransferFwRequest.full(slot, ByteBuffer.wrap(p.bytes))), "Full");
                    model.writeSucceeded(slot, p);
                }
                case PARTS -> {
                    int slot = writable().get(r.nextInt(SLOTS - 1));
                    int part = PART_SIZES[r.nextInt(PART_SIZES.length)];
                    Pkg p = newPackage(r, part + r.nextInt(Math.min(MAX_PARTS_BODY, 40 * part)));
                    sendParts(cci, p.bytes, slot, part, "parts " + p + " to slot " + slot, false,
                            () -> model.writeStarting(slot, p));
                    model.writeSucceeded(slot, p);
                }
                case ABORT -> {
                    int part = PART_SIZES[r.nextInt(PART_SIZES.length)];
                    int sent = 1 + r.nextInt(20);
                    Pkg p = newPackage(r, part * (sent + 1));
                    String what = "aborted transfer " + p;
                    for (int i = 0; i < sent; i++) {
                        int off = i * part;
                        setPhase(what + ": part " + (i + 1) + "/" + sent, "Initiate/Continue");
                        ByteBuffer data = ByteBuffer.wrap(p.bytes, off, part);
                        TransferFwRequest req = i == 0 ? TransferFwRequest.initiate(0, data)
                                : TransferFwRequest.continuePart(off / TransferFwRequest.OFFSET_UNIT, data);
                        expectOk(() -> cci.transferFw(req), "Transfer FW part");
                    }
                    setPhase(what + ": Abort", "Abort");
                    expectOk(() -> cci.transferFw(TransferFwRequest.abort()), "Transfer FW Abort");
                }
                case CORRUPT -> {
                    int slot = writable().get(r.nextInt(SLOTS - 1));
                    Pkg good = newPackage(r, 1024 + r.nextInt(256 * 1024));
                    byte[] bad = good.bytes.clone();
                    int bodyLength = (int) PackageVerifier.inspect(good.bytes).header().orElseThrow().bodyLength();
                    int at = r.nextBoolean() ? r.nextInt(128) : 128 + r.nextInt(bodyLength);
                    bad[at] ^= (byte) (1 + r.nextInt(255));
                    String what = "corrupt " + good.revision + " (byte " + at + ") to slot " + slot;
                    // never added to the record: a package that fails verification must never land
                    if (bad.length <= MAX_PART) {
                        commitPoint("Full of " + what, "Full (corrupt)");
                        expectRefused(() -> cci.transferFw(TransferFwRequest.full(slot, ByteBuffer.wrap(bad))),
                                "Full of a corrupt package", ReturnCode.FW_VERIFICATION_FAILED);
                        } else {
                        sendParts(cci, bad, slot, MAX_PART, "parts of " + what, true, () -> { });
                    }
                }
                case HTTP_UPLOAD -> httpUpload(r);
                case ONLINE -> {
                    List<Integer> l = activatable();
                    int slot = l.get(r.nextInt(l.size()));
                    commitPoint("online activation of slot " + slot, "online activation");
                    model.onlineStarting(slot);
                    expectOk(() -> cci.activateFw(ActivateFwRequest.online(slot)), "Activate FW online");
                    model.onlineSucceeded(slot);
                }
                case ON_RESET -> {
                    List<Integer> l = activatable();
                    int slot = l.get(r.nextInt(l.size()));
                    commitPoint("activation of slot " + slot + " on next reset", "on-reset activation");
                    model.stageStarting(slot);
                    expectOk(() -> cci.activateFw(ActivateFwRequest.onNextReset(slot)), "Activate FW on next reset");
                    model.stageSucceeded(slot);
                }
                case RESET -> {
                    commitPoint("cold reset (control API)", "cold reset");
                    model.coldResetStarting();
                    HttpResponse<String> resp = request("POST", "/reset", HttpRequest.BodyPublishers.noBody());
                    assertThat(resp.statusCode()).as("POST reset: " + resp.body()).isEqualTo(200);
                }
            }
        }

        /** Initiate, Continue..., End; {@code beforeEnd} runs just before End is sent. */
        private void sendParts(CciClient cci, byte[] pkg, int slot, int part, String what, boolean corrupt,
                               Runnable beforeEnd) throws Killed, InterruptedException {
            int n = (pkg.length + part - 1) / part;
            for (int i = 0; i < n; i++) {
                int off = i * part;
                int len = Math.min(part, pkg.length - off);
                ByteBuffer data = ByteBuffer.wrap(pkg, off, len);
                long units = off / TransferFwRequest.OFFSET_UNIT;
                if (i < n - 1) {
                    setPhase(what + ": part " + (i + 1) + "/" + n, "Initiate/Continue");
                    TransferFwRequest req = i == 0 ? TransferFwRequest.initiate(0, data)
                            : TransferFwRequest.continuePart(units, data);
                    expectOk(() -> cci.transferFw(req), "Transfer FW part " + (i + 1));
                } else {
                    commitPoint(what + ": End (part " + n + ")", corrupt ? "End (corrupt)" : "End");
                    beforeEnd.run();
                    TransferFwRequest end = TransferFwRequest.end(slot, units, data);
                    if (corrupt) {
                        expectRefused(() -> cci.transferFw(end), "End of a corrupt package",
                                ReturnCode.FW_VERIFICATION_FAILED);
                    } else {
                        expectOk(() -> cci.transferFw(end), "Transfer FW End");
                    }
                }
            }
        }

        /** PUT the image to the control API: the host driver uploads it over the mailbox and stages it. */
        private void httpUpload(Random r) throws Killed, InterruptedException {
            int target = model.active() % SLOTS + 1; // the driver's choice, as the kernel's
            Pkg p = newPackage(r, 8 * 1024 + r.nextInt(MAX_HTTP_BODY - 8 * 1024));
            String what = "control API upload of " + p + " to slot " + target;
            setPhase(what + ": PUT", "control API upload");
            model.writeStarting(target, p);
            model.stageStarting(target);
            HttpResponse<String> put = request("PUT", "/firmware", HttpRequest.BodyPublishers.ofByteArray(p.bytes));
            assertThat(put.statusCode()).as("PUT firmware: " + put.body()).isEqualTo(202);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                HttpResponse<String> get = request("GET", "", HttpRequest.BodyPublishers.noBody());
                assertThat(get.statusCode()).as("GET memdev: " + get.body()).isEqualTo(200);
                JsonNode view;
                try {
                    view = JSON.readTree(get.body());
                } catch (IOException e) {
                    throw new AssertionError("GET memdev: not JSON: " + get.body(), e);
                }
                JsonNode fw = view.get("firmware");
                if (!fw.path("fw_update_in_progress").asBoolean()) {
                    assertThat(view.path("cxlkit").path("upload").has("error")).as("upload failed: " + get.body())
                            .isFalse();
                    break;
                }
                setPhase(what + ": " + view.path("cxlkit").path("upload").path("status").asText() + ", "
                        + view.path("cxlkit").path("upload").path("parts_sent").asInt() + " parts sent",
                        "control API upload");
                assertThat(System.nanoTime()).as("upload still running after 60 s").isLessThan(deadline);
                Thread.sleep(5);
            }
            model.writeSucceeded(target, p);
            model.stageSucceeded(target);
        }

        // ---- plumbing ----

        private void setPhase(String what, String kind) {
            phase = what;
            phaseKind = kind;
        }

        /**
         * A command about to be sent whose completion changes the persistent state. In a targeted
         * cycle the first one after the safe steps arms the kill on the file events that follow.
         */
        private void commitPoint(String what, String kind) {
            setPhase(what, kind);
            if (targetAtCommit && killTask == null) {
                armOnFileEvents(targetEvents, targetMicros, TimeUnit.MILLISECONDS.toNanos(EVENT_FALLBACK_MILLIS),
                        "kill", CompletableFuture.completedFuture(daemon));
            }
        }

        private CciClient connect(DaemonInfo info) throws IOException {
            return new CciClient(SocketTransport.connect(CciAddress.parse(info.cci()), MEM0_EID));
        }

        private HttpResponse<String> request(String method, String path, HttpRequest.BodyPublisher body)
                throws Killed, InterruptedException {
            DaemonInfo info = daemon.info();
            HttpRequest req = HttpRequest.newBuilder(URI.create(info.http() + "/v1/memdevs/mem0" + path))
                    .header("Authorization", "Bearer " + info.token())
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body).build();
            try {
                return http.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw deadOrFail(e, method + " " + path);
            }
        }

        /** A command that must succeed; the daemon dying under it ends the cycle. */
        private <T> T expectOk(DeviceCall<T> call, String what) throws Killed, InterruptedException {
            try {
                return call.call();
            } catch (CciCommandException e) {
                throw new AssertionError(what + " refused without a fault to explain it: " + e.getMessage(), e);
            } catch (IOException e) {
                throw deadOrFail(e, what);
            }
        }

        /** A command the device must refuse with {@code expected}. */
        private void expectRefused(DeviceCall<?> call, String what, ReturnCode expected)
                throws Killed, InterruptedException {
            try {
                call.call();
                throw new AssertionError(what + " was accepted; expected " + ReturnCode.hex(expected.value()));
            } catch (CciCommandException e) {
                assertThat(e.returnCode().hex()).as(what + ": " + e.getMessage())
                        .isEqualTo(ReturnCode.hex(expected.value()));
            } catch (IOException e) {
                throw deadOrFail(e, what);
            }
        }

        /** An I/O failure is the kill if it fired; otherwise a real failure. */
        private Killed deadOrFail(IOException e, String what) {
            if (killedDuring != null) {
                return new Killed(e);
            }
            throw new AssertionError(what + " failed with no kill fired: " + e, e);
        }

        // ---- start-up time ----

        /**
         * A dynamic CDS archive of the serve JVM, dumped when a warm-up daemon on a scratch state
         * directory stops; later starts map it and start faster. Without an archive (dump failed,
         * -Dcxlkit.crash.cds=false) the plain options are used.
         */
        private List<String> classArchive() throws Exception {
            if (!Boolean.parseBoolean(System.getProperty("cxlkit.crash.cds", "true"))) {
                return JVM_OPTIONS;
            }
            Path jsa = dir.resolve("serve.jsa");
            List<String> dump = new ArrayList<>(JVM_OPTIONS);
            dump.add("-XX:ArchiveClassesAtExit=" + jsa);
            try (CrashKillDaemon warm = CrashKillDaemon.spawn(dir.resolve("warm-up"), dir.resolve("logs/warm-up.log"),
                    dump, SERVE_ARGS)) {
                DaemonInfo info = warm.awaitReady();
                daemon = warm;
                Random r = new Random(seed);
                try (CciClient cci = connect(info)) {
                    cci.getFwInfo();
                    cci.identifyMemoryDevice();
                    Pkg a = newPackage(r, 4096);
                    cci.transferFw(TransferFwRequest.full(2, ByteBuffer.wrap(a.bytes)));
                    sendParts(cci, newPackage(r, 3 * 8192).bytes, 3, 8192, "warm-up", false, () -> { });
                    cci.activateFw(ActivateFwRequest.online(3));
                    cci.activateFw(ActivateFwRequest.onNextReset(2));
                    request("GET", "", HttpRequest.BodyPublishers.noBody());
                    request("POST", "/reset", HttpRequest.BodyPublishers.noBody());
                    request("PUT", "/firmware", HttpRequest.BodyPublishers.ofByteArray(newPackage(r, 16384).bytes));
                    Thread.sleep(300);
                    request("GET", "", HttpRequest.BodyPublishers.noBody());
                }
                int exit = warm.terminate();
                daemon = null;
                packages = 0;
                if (exit != 0 || !Files.exists(jsa)) {
                    System.out.println("crash-kill: no class archive (exit " + exit + "), plain JVM options");
                    return JVM_OPTIONS;
                }
            }
            List<String> opts = new ArrayList<>(JVM_OPTIONS);
            opts.add("-XX:SharedArchiveFile=" + jsa);
            return opts;
        }
    }
}
