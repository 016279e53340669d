package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.PoisonSource;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the media, its poison and Sanitize against a real {@code cxlkit serve}
 * (docs/media-and-poison.md, docs/sanitize.md). One state directory; every cycle starts the
 * daemon, checks what the previous SIGKILL left, then sends a seeded random stream of Inject
 * Poison (through the control API: the host's mailbox), Clear Poison with random data and Set LSA
 * (over the socket CCI), and now and then a Sanitize of 100 ms that it waits out, and SIGKILLs the
 * daemon at a random instant in the middle of it. After each restart:
 *
 * <ul>
 *   <li>media is disabled only if a Sanitize was sent and its completion not seen (its pending
 *       mark); then a new Sanitize must complete, and the model is all zeros;
 *   <li>after a Sanitize whose completion was not seen, with media enabled: everything is zero and
 *       no line is poisoned (it completed), or, only if the Sanitize had not been answered, the
 *       state before it; never a mix;
 *   <li>otherwise the poison list, every written line's data (read from the device model) and the
 *       LSA are what the answered commands left, the one in flight at the kill whole or not at all.
 * </ul>
 *
 * {@code -Dcxlkit.crash.seed=N} replays a plan; {@code -Dcxlkit.media.kills=N} sets the number of kills.
 */
class MediaSanitizeKillIT {

    private static final long DEFAULT_SEED = 20_261_206L;
    private static final int DEFAULT_KILLS = 25;
    private static final int MEM0_EID = 8;
    private static final int LSA_SIZE = 4 * 1024;
    private static final int LINE = 64;
    /** The lines the stream touches: 128 of them, 1 MiB apart, so that each poisoned one is one record. */
    private static final int LINES = 128;
    private static final long LINE_STRIDE = 1L << 20;
    private static final long CAPACITY_LINES = (1L << 30) / LINE;
    private static final int MAX_KILL_DELAY_MS = 400;

    private static final List<String> SERVE_ARGS = List.of("--devices", "1", "--timing", "instant",
            "--sanitize-time", "100ms", "--lsa-size", "4KiB", "--mctp-message-size", "8KiB");

    private enum Kind { INJECT, CLEAR, LSA, SANITIZE }

    /** A command sent whose answer has not come back (yet). */
    private record InFlight(Kind kind, long dpa, byte[] data, int offset, boolean answered) {
    }

    @TempDir
    Path dir;

    /** What the host knows as of the answered commands. */
    private final TreeSet<Long> poisoned = new TreeSet<>();
    private final Map<Long, byte[]> data = new HashMap<>();
    private final byte[] lsa = new byte[LSA_SIZE];
    private InFlight inFlight;
    private int sanitizesCompleted;
    private int sanitizesInDoubt;
    private int foundPending;
    private int foundCompleted;
    private int poisonDoubts;
    private int answered;

    @Test
    void sigkillDuringSanitizeAndPoisonChangesNeverLeavesMediaHalfErasedAndEnabled() throws Exception {
        try (KillCycles cycles = new KillCycles(dir, "media", SERVE_ARGS, DEFAULT_SEED, "cxlkit.media.kills",
                DEFAULT_KILLS)) {
            int kills = cycles.kills();
            Random random = cycles.random();
            cycles.run((daemon, info, cycle) -> {
                try (CciClient cci = KillCycles.connect(info, MEM0_EID);
                     ControlApiClient api = new ControlApiClient(info)) {
                    checkAfterStart(cci, api, "cycle " + cycle);
                    if (cycle == kills) {
                        assertThat(daemon.terminate()).as("SIGTERM exit status").isZero();
                        assertThat(daemon.log()).doesNotContain("\tat ");
                        return;
                    }
                    cycles.sigkillAfter(daemon, random.nextInt(MAX_KILL_DELAY_MS + 1));
                    answered += sendUntilKilled(cci, api, random, daemon);
                }
            });
            System.out.printf("media-kill: %d kills, %d commands answered, %d Sanitizes completed; in doubt at a kill:"
                    + " %d Sanitizes (%d found pending, %d found completed), %d poison changes%n", kills, answered,
                    sanitizesCompleted, sanitizesInDoubt, foundPending, foundCompleted, poisonDoubts);
            assertThat(answered).as("commands answered over all cycles").isGreaterThan(kills);
            assertThat(sanitizesInDoubt).as("kills that caught a Sanitize (the seed's plan makes some)").isPositive();
        }
    }

    /** The state the previous cycle left, as the new daemon reads it; then the model follows it. */
    private void checkAfterStart(CciClient cci, ControlApiClient api, String where) throws Exception {
        InFlight doubt = inFlight;
        inFlight = null;
        Observed seen = observe(cci, api);
        if (doubt != null && doubt.kind() == Kind.SANITIZE) {
            sanitizesInDoubt++;
            if (seen == null) { // media disabled: the pending mark held
                foundPending++;
                sanitize(cci);
                clearModel();
                assertThat(observe(cci, api)).as("%s: after the repeated Sanitize", where).isEqualTo(expected());
                return;
            }
            Observed before = expected();
            clearModel();
            Observed after = expected();
            if (seen.equals(after)) {
                foundCompleted++;
                return;
            }
            assertThat(doubt.answered()).as("%s: a Sanitize that had answered is pending or completed, found %s",
                    where, seen).isFalse();
            assertThat(seen).as("%s: an unanswered Sanitize left nothing, or all of it", where).isEqualTo(before);
            restoreModel(before);
            return;
        }
        assertThat(seen).as("%s: media is disabled only while a Sanitize is pending", where).isNotNull();
        if (doubt == null || doubt.kind() == Kind.SANITIZE) {
            assertThat(seen).as("%s: what the answered commands left", where).isEqualTo(expected());
            return;
        }
        Observed without = expected();
        apply(doubt);
        Observed with = expected();
        assertThat(seen).as("%s: the %s in flight (line %d) whole or not at all", where, doubt.kind(),
                doubt.dpa() / LINE_STRIDE).isIn(without, with);
        poisonDoubts++;
        if (seen.equals(without)) {
            restoreModel(without);
        }
    }

    /** What the device holds of the touched lines, the LSA and the poison list; null when media is disabled. */
    private record Observed(List<Long> poisoned, Map<Long, String> data, String lsa) {
    }

    private Observed observe(CciClient cci, ControlApiClient api) throws Exception {
        GetPoisonListResponse list;
        try {
            list = cci.getPoisonList(GetPoisonListRequest.of(0, CAPACITY_LINES));
        } catch (CciCommandException e) {
            assertThat(e.returnCode()).as("Get Poison List").isEqualTo(ReturnCode.MEDIA_DISABLED);
            return null;
        }
        assertThat(list.more()).as("one response holds every record").isFalse();
        assertThat(list.overflow()).isFalse();
        List<Long> lines = list.records().stream().map(r -> {
            assertThat(r.source()).isEqualTo(PoisonSource.INJECTED);
            assertThat(r.length()).isEqualTo(1);
            return r.dpa();
        }).toList();
        Map<Long, String> bytes = new HashMap<>();
        for (int i = 0; i < LINES; i++) {
            long dpa = i * LINE_STRIDE;
            ControlApiClient.Response r = api.send("GET", "/v1/memdevs/mem0/media?dpa=" + dpa + "&length=" + LINE,
                    HttpRequest.BodyPublishers.noBody());
            assertThat(r.status()).as("media read at %d: %s", dpa, r).isEqualTo(200);
            bytes.put(dpa, r.body());
        }
        byte[] labels = new byte[LSA_SIZE];
        for (int at = 0; at < LSA_SIZE; at += 1024) {
            System.arraycopy(cci.getLsa(at, 1024), 0, labels, at, 1024);
        }
        return new Observed(lines, bytes, Arrays.toString(labels));
    }

    /** The model as an observation (media bytes as the control API's octet stream reads as text). */
    private Observed expected() {
        Map<Long, String> bytes = new HashMap<>();
        for (int i = 0; i < LINES; i++) {
            long dpa = i * LINE_STRIDE;
            bytes.put(dpa, new String(data.getOrDefault(dpa, new byte[LINE]), java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Observed(List.copyOf(poisoned), bytes, Arrays.toString(lsa));
    }

    private void clearModel() {
        poisoned.clear();
        data.clear();
        Arrays.fill(lsa, (byte) 0);
    }

    private final Map<Observed, Snapshot> snapshots = new HashMap<>();

    /** The model behind an observation, kept so that it can be restored when that one is found. */
    private record Snapshot(TreeSet<Long> poisoned, Map<Long, byte[]> data, byte[] lsa) {
    }

    private void restoreModel(Observed o) {
        Snapshot s = snapshots.get(o);
        poisoned.clear();
        poisoned.addAll(s.poisoned());
        data.clear();
        data.putAll(s.data());
        System.arraycopy(s.lsa(), 0, lsa, 0, LSA_SIZE);
    }

    private void apply(InFlight op) {
        switch (op.kind()) {
            case INJECT -> poisoned.add(op.dpa());
            case CLEAR -> {
                poisoned.remove(op.dpa());
                data.put(op.dpa(), op.data());
            }
            case LSA -> System.arraycopy(op.data(), 0, lsa, op.offset(), op.data().length);
            case SANITIZE -> clearModel();
        }
    }

    /** Random commands until the daemon dies; the number answered. */
    private int sendUntilKilled(CciClient cci, ControlApiClient api, Random random, CrashKillDaemon daemon)
            throws Exception {
        int answered = 0;
        while (true) {
            InFlight op = next(random);
            remember(); // the model before it, should the kill leave it undone
            inFlight = op;
            try {
                switch (op.kind()) {
                    case INJECT -> {
                        ControlApiClient.Response r = api.send("POST", "/v1/memdevs/mem0/poison",
                                HttpRequest.BodyPublishers.ofString("{\"dpa\":" + op.dpa() + "}"));
                        assertThat(r.status()).as("inject poison: %s", r).isEqualTo(200);
                    }
                    case CLEAR -> cci.clearPoison(ClearPoisonRequest.of(op.dpa(), op.data()));
                    case LSA -> cci.setLsa(op.offset(), op.data(), 0, op.data().length);
                    case SANITIZE -> {
                        CommandResponse r = cci.transport().send(CommandId.SANITIZE.opcode(), new byte[0]);
                        assertThat(r.returnCode()).as("Sanitize").isEqualTo(ReturnCode.BACKGROUND_COMMAND_STARTED);
                        inFlight = new InFlight(Kind.SANITIZE, 0, null, 0, true);
                        awaitCompletion(cci);
                        sanitizesCompleted++;
                    }
                }
                apply(op);
                inFlight = null;
                answered++;
            } catch (IOException e) {
                daemon.awaitDeath(); // the kill closed the connection: the command in flight stays in doubt
                return answered;
            } catch (CciCommandException e) {
                throw new AssertionError("a valid command was refused: " + e.getMessage(), e);
            }
        }
    }

    private void remember() {
        snapshots.clear();
        Observed now = expected();
        snapshots.put(now, new Snapshot(new TreeSet<>(poisoned), new HashMap<>(data), lsa.clone()));
    }

    private InFlight next(Random random) {
        int pick = random.nextInt(40); // a Sanitize takes 100 ms, a poison change a few: both get caught
        long dpa = random.nextInt(LINES) * LINE_STRIDE;
        if (pick == 0) {
            return new InFlight(Kind.SANITIZE, 0, null, 0, false);
        }
        if (pick < 16) {
            return new InFlight(Kind.INJECT, dpa, null, 0, false);
        }
        if (pick < 32) {
            byte[] line = new byte[LINE];
            for (int i = 0; i < LINE; i++) {
                line[i] = (byte) ('a' + random.nextInt(26)); // text, so that the octet stream compares as text
            }
            return new InFlight(Kind.CLEAR, dpa, line, 0, false);
        }
        int length = 1 + random.nextInt(256);
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return new InFlight(Kind.LSA, 0, bytes, random.nextInt(LSA_SIZE - length + 1), false);
    }

    /** Sanitize over the socket CCI, waiting for its completion (the CCI owns it: 0002h reports it). */
    private static void sanitize(CciClient cci) throws Exception {
        CommandResponse r = cci.transport().send(CommandId.SANITIZE.opcode(), new byte[0]);
        assertThat(r.returnCode()).as("Sanitize").isEqualTo(ReturnCode.BACKGROUND_COMMAND_STARTED);
        awaitCompletion(cci);
    }

    private static void awaitCompletion(CciClient cci) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        BackgroundOperationStatus s;
        while ((s = cci.backgroundOperationStatus()).inProgress()) {
            assertThat(System.nanoTime()).as("a 100 ms Sanitize completes").isLessThan(deadline);
            Thread.sleep(5); // the device reports progress only when asked
        }
        assertThat(s.opcode()).isEqualTo(CommandId.SANITIZE.opcode());
        assertThat(s.returnCode()).as("Sanitize's completion").isZero();
    }
}
