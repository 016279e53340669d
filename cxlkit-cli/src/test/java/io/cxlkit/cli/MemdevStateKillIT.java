package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.protocol.payload.PartitionInfo;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import io.cxlkit.server.state.DaemonInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the memory device's own persistent state against a real {@code cxlkit serve}
 * (docs/capacity-and-labels.md, docs/events-and-health.md): the Label Storage Area, the volatile
 * share of the partitionable capacity, and the shutdown state with its Dirty Shutdown Count. One
 * state directory; every cycle starts the daemon, checks what the previous kill left, waits until
 * the host driver has armed the shutdown state (Set Shutdown State dirty at attach), then sends a
 * seeded random stream of Set LSA (random offsets and lengths, up to 4 KiB, on an LSA of 8 KiB so
 * that the journal is folded into the file every few writes) and Set Partition Info without
 * Immediate over the socket CCI, and SIGKILLs the daemon at a random instant in the middle of it.
 * After each restart:
 *
 * <ul>
 *   <li>every LSA byte is what the last answered Set LSA left there, but for the bytes of the one
 *       in flight at the kill, which hold all of its data or none of it;
 *   <li>the restart applied the pending share: the active share is the last answered Set Partition
 *       Info's (or the one in flight), and nothing is pending;
 *   <li>the Dirty Shutdown Count went up by exactly one.
 * </ul>
 *
 * The last daemon stops with SIGTERM instead, and the count stays. {@code -Dcxlkit.crash.seed=N}
 * replays a plan; {@code -Dcxlkit.memdev.kills=N} sets the number of kills.
 */
class MemdevStateKillIT {

    private static final long DEFAULT_SEED = 20_261_206L;
    private static final int DEFAULT_KILLS = 30;
    private static final int MEM0_EID = 8;
    private static final int LSA_SIZE = 8 * 1024;
    private static final int MAX_WRITE = 4 * 1024;
    /** Get LSA reads this much at a time: well inside the MCTP CCI's smallest response limit. */
    private static final int READ_CHUNK = 256;
    private static final long UNIT = 256L << 20;
    /** Shares are 0..4 units of the 1 GiB partitionable capacity. */
    private static final int MAX_SHARE_UNITS = 4;
    private static final int MAX_KILL_DELAY_MS = 150;

    private static final List<String> SERVE_ARGS = List.of("--devices", "1", "--timing", "instant",
            "--lsa-size", "8KiB", "--partitionable-capacity", "1GiB", "--partition-align", "256MiB",
            "--mctp-message-size", "8KiB");

    /** A write sent whose answer has not come back (yet). */
    private record Write(int offset, byte[] data) {
    }

    @TempDir
    Path dir;

    /** What the host knows: the LSA and share as of the last answered writes, and the count. */
    private final byte[] lsa = new byte[LSA_SIZE];
    private long share;
    private Write lsaInFlight;
    private Long shareInFlight;
    private long dirtyShutdowns;
    /** How the writes in flight at the kills came out, for the report. */
    private int lsaDoubts;
    private int lsaLanded;
    private int shareDoubts;
    private int shareLanded;
    private int writes;

    @Test
    void sigkillAtRandomInstantsKeepsLabelsShareAndCountsEveryDirtyShutdown() throws Exception {
        try (KillCycles cycles = new KillCycles(dir, "memdev", SERVE_ARGS, DEFAULT_SEED, "cxlkit.memdev.kills",
                DEFAULT_KILLS)) {
            int kills = cycles.kills();
            Random random = cycles.random();
            cycles.run((daemon, info, cycle) -> {
                try (CciClient cci = KillCycles.connect(info, MEM0_EID)) {
                    checkAfterStart(cci, cycle, daemon);
                    awaitArmed(cci, daemon);
                    if (cycle == kills) {
                        assertThat(daemon.terminate()).as("SIGTERM exit status").isZero();
                        return;
                    }
                    cycles.sigkillAfter(daemon, random.nextInt(MAX_KILL_DELAY_MS + 1));
                    writes += writeUntilKilled(cci, random, daemon);
                }
            });
            try (CrashKillDaemon last = cycles.spawn("last")) {
                DaemonInfo info = last.awaitReady();
                try (CciClient cci = KillCycles.connect(info, MEM0_EID)) {
                    assertThat(cci.getHealthInfo().dirtyShutdownCount()).as("a clean stop adds no dirty shutdown")
                            .isEqualTo(dirtyShutdowns);
                    assertThat(readLsa(cci)).as("the LSA after the clean stop").isEqualTo(lsa);
                }
                assertThat(last.terminate()).isZero();
                assertThat(last.log()).doesNotContain("\tat ");
            }
            System.out.printf("memdev-kill: %d kills, %d writes answered, in flight at a kill: %d LSA writes (%d landed),"
                    + " %d shares (%d landed)%n", kills, writes, lsaDoubts, lsaLanded, shareDoubts, shareLanded);
            assertThat(writes).as("writes answered over all cycles").isGreaterThan(kills);
        }
    }

    /** The state the previous cycle left, as the new daemon reads it; then the model follows it. */
    private void checkAfterStart(CciClient cci, int cycle, CrashKillDaemon daemon) throws Exception {
        String where = "cycle " + cycle + " (log: " + daemon.log().lines().limit(3).toList() + ")";
        long count = cci.getHealthInfo().dirtyShutdownCount();
        assertThat(count).as("Dirty Shutdown Count after %d kills, %s", cycle, where).isEqualTo(cycle);
        dirtyShutdowns = count;

        byte[] now = readLsa(cci);
        if (lsaInFlight != null) {
            Write w = lsaInFlight;
            byte[] withIt = lsa.clone();
            System.arraycopy(w.data(), 0, withIt, w.offset(), w.data().length);
            assertThat(Arrays.equals(now, lsa) || Arrays.equals(now, withIt))
                    .as("%s: the LSA holds the last answered writes, and the one in flight (%d bytes at %d) whole or "
                            + "not at all", where, w.data().length, w.offset()).isTrue();
            lsaDoubts++;
            lsaLanded += Arrays.equals(now, withIt) && !Arrays.equals(now, lsa) ? 1 : 0;
            System.arraycopy(now, 0, lsa, 0, LSA_SIZE);
        } else {
            assertThat(now).as("%s: the LSA holds the last answered writes", where).isEqualTo(lsa);
        }
        lsaInFlight = null;

        PartitionInfo p = cci.getPartitionInfo();
        long active = p.activeVolatile() * UNIT;
        if (shareInFlight != null) {
            assertThat(active).as("%s: the active share is the last answered one or the one in flight", where)
                    .isIn(share, shareInFlight);
            shareDoubts++;
            shareLanded += active == shareInFlight && active != share ? 1 : 0;
        } else {
            assertThat(active).as("%s: the restart applied the last answered share", where).isEqualTo(share);
        }
        assertThat(p.nextVolatile()).as("%s: nothing pending after a restart", where).isZero();
        share = active;
        shareInFlight = null;
    }

    /** Waits until the host driver's attach has set the shutdown state dirty. */
    private static void awaitArmed(CciClient cci, CrashKillDaemon daemon) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cci.getShutdownState().dirty()) {
            assertThat(System.nanoTime()).as("the host driver arms the shutdown state at attach: %s", daemon.log())
                    .isLessThan(deadline);
            Thread.sleep(5); // the attach runs in the daemon; there is nothing here to wait on
        }
    }

    /** Random Set LSA and Set Partition Info until the daemon dies; the writes answered. */
    private int writeUntilKilled(CciClient cci, Random random, CrashKillDaemon daemon) throws Exception {
        int answered = 0;
        while (true) {
            try {
                if (random.nextInt(5) == 0) {
                    long next = random.nextInt(MAX_SHARE_UNITS + 1) * UNIT;
                    shareInFlight = next;
                    cci.setPartitionInfo(new SetPartitionInfoRequest(next / UNIT, false));
                    share = next;
                    shareInFlight = null;
                } else {
                    int length = 1 + random.nextInt(MAX_WRITE);
                    int offset = random.nextInt(LSA_SIZE - length + 1);
                    byte[] data = new byte[length];
                    random.nextBytes(data);
                    lsaInFlight = new Write(offset, data);
                    cci.setLsa(offset, data, 0, length);
                    System.arraycopy(data, 0, lsa, offset, length);
                    lsaInFlight = null;
                }
                answered++;
            } catch (IOException e) {
                daemon.awaitDeath(); // the kill closed the connection: the write in flight stays in doubt
                return answered;
            } catch (CciCommandException e) {
                // a killed process sends no return code: every write here is valid, so any refusal is a failure
                throw new AssertionError("a write was refused: " + e.getMessage(), e);
            }
        }
    }

    private static byte[] readLsa(CciClient cci) throws Exception {
        byte[] all = new byte[LSA_SIZE];
        for (int at = 0; at < LSA_SIZE; at += READ_CHUNK) {
            System.arraycopy(cci.getLsa(at, READ_CHUNK), 0, all, at, READ_CHUNK);
        }
        return all;
    }
}
