package io.cxlkit.device.persist;

import static io.cxlkit.device.persist.CrashScenario.opened;
import static io.cxlkit.device.persist.PersistHarness.hex;
import static io.cxlkit.device.persist.PersistHarness.send;
import static io.cxlkit.device.persist.PersistHarness.tmpFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.capacity.PartitionStore;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.label.LabelStore;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.GetLsaRequest;
import io.cxlkit.protocol.payload.PartitionInfo;
import io.cxlkit.protocol.payload.SetLsaRequest;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash simulation for the LSA and the partition share (memdev-commands.md §6, §11), as
 * {@link SlotCommitCrashTest} does for slots: a scenario runs once to count its write, fsync,
 * rename, truncate and delete points, then once per point k with the "process" killed at the k-th.
 * A device restarted on what is left must show the LSA and the partition state of before the
 * action or of after it, each whole, never a mix (both as a restart shows them: a restart applies a
 * pending share); and where the command had answered 0000h before the crash, the state after it.
 */
class CapacityAndLabelCrashTest {

    private static final int S = DeviceConfig.MIN_LSA_SIZE;
    private static final long MIB = 1L << 20;
    /** LSA 1280 B (checkpoints come soon), 2 GiB partitionable in steps of 512 MiB. */
    private static final DeviceConfig CONFIG = PersistHarness.config().toBuilder().lsaSize(S)
            .partitionableCapacity(2048 * MIB).partitionAlignment(512 * MIB).build();

    @TempDir
    Path root;

    static final class Run extends CrashRun {

        Run(Path dir, CrashingHook hook) {
            super(dir, CONFIG, hook);
        }

        void setLsa(int offset, byte[] data) {
            answered("Set LSA at " + offset, send(device, CommandId.SET_LSA,
                    new SetLsaRequest(offset, ByteBuffer.wrap(data)).encode()).returnCode());
        }

        void setPartition(long units, boolean immediate) {
            answered("Set Partition Info", send(device, CommandId.SET_PARTITION_INFO,
                    new SetPartitionInfoRequest(units, immediate).encode()).returnCode());
        }
    }

    /** What a host sees: the whole LSA and Get Partition Info. */
    record Seen(byte[] lsa, PartitionInfo partition) {
        boolean sameAs(Seen o) {
            return Arrays.equals(lsa, o.lsa) && partition.equals(o.partition);
        }

        @Override
        public String toString() {
            return partition + ", LSA " + Arrays.hashCode(lsa) + " (" + nonZero(lsa) + " non-zero bytes)";
        }

        private static long nonZero(byte[] b) {
            int n = 0;
            for (byte x : b) {
                n += x != 0 ? 1 : 0;
            }
            return n;
        }
    }

    static Seen seen(CxlDevice device) {
        byte[] lsa = new byte[S];
        for (int at = 0; at < S; at += 1024) {
            int n = Math.min(1024, S - at);
            CciMessage r = send(device, CommandId.GET_LSA, new GetLsaRequest(at, n).encode());
            assertThat(hex(r.returnCode())).as("Get LSA").isEqualTo("0000h");
            System.arraycopy(r.payload(), 0, lsa, at, n);
        }
        CciMessage p = send(device, CommandId.GET_PARTITION_INFO, new byte[0]);
        assertThat(hex(p.returnCode())).as("Get Partition Info").isEqualTo("0000h");
        return new Seen(lsa, PartitionInfo.decode(ByteBuffer.wrap(p.payload())));
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ---- scenarios ----

    /** lsa.bin made by a first Set, then {@code sets} 300-byte Sets in the journal (320 bytes each). */
    private static CrashRun.Step<Run> journalOf(int sets) {
        return opened(r -> {
            r.setLsa(0, bytes(1016, 1));
            for (int i = 0; i < sets; i++) {
                r.setLsa(i * 211, bytes(300, 10 + i));
            }
        });
    }

    static Stream<CrashScenario<Run>> scenarios() {
        return Stream.of(
                new CrashScenario<Run>("first Set LSA: creates lsa.bin", opened(r -> { }),
                        r -> r.setLsa(100, bytes(300, 2))),
                new CrashScenario<Run>("second Set LSA: creates the journal", opened(r -> r.setLsa(0, bytes(200, 3))),
                        r -> r.setLsa(50, bytes(300, 4))),
                new CrashScenario<Run>("Set LSA appended to the journal", journalOf(1),
                        r -> r.setLsa(900, bytes(380, 5))),
                new CrashScenario<Run>("Set LSA whose journal reaches S: a checkpoint follows the answer", journalOf(3),
                        r -> r.setLsa(980, bytes(300, 6))),
                new CrashScenario<Run>("Set LSA after a checkpoint (the journal starts again)", journalOf(4),
                        r -> r.setLsa(7, bytes(900, 7))),
                new CrashScenario<Run>("Set Partition Info Immediate: creates partition.properties", opened(r -> { }),
                        r -> r.setPartition(2, true)),
                new CrashScenario<Run>("Set Partition Info without Immediate: a pending share", opened(r -> r.setPartition(4, true)),
                        r -> r.setPartition(8, false)),
                new CrashScenario<Run>("Set Partition Info Immediate over a pending share",
                        opened(r -> {
                            r.setPartition(4, true);
                            r.setPartition(8, false);
                        }),
                        r -> r.setPartition(0, true)),
                new CrashScenario<Run>("a pending share applied by a cold reset",
                        opened(r -> {
                            r.setLsa(0, bytes(1016, 8));
                            r.setPartition(6, false);
                        }),
                        r -> r.device.coldReset()),
                new CrashScenario<Run>("a pending share applied by a restart",
                        opened(r -> {
                            r.setPartition(2, true);
                            r.setPartition(4, false);
                        }),
                        Run::open));
    }

    // ---- running ----

    /** What a device restarted on {@code dir} shows (a restart applies a pending share). */
    private static Seen restart(Path dir) throws Exception {
        return CrashPoints.seenAfterRestart(CONFIG, dir, CapacityAndLabelCrashTest::seen);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aCrashAtEveryPointLeavesTheOldOrTheNewState(CrashScenario<Run> s, TestReporter reporter) throws Exception {
        Path refDir = root.resolve(s.slug() + "-reference");
        Run ref = s.play(new Run(refDir, CrashingHook.counting()), root.resolve(s.slug() + "-before"));
        assertThat(ref.crashedAt()).isNull();
        Seen shown = seen(ref.device);
        assertThat(tmpFiles(refDir)).as("temporary files after a crash-free run").isEmpty();
        Seen before = restart(root.resolve(s.slug() + "-before"));
        Seen after = restart(refDir);
        if (shown.partition().nextVolatile() == 0 && shown.partition().nextPersistent() == 0) {
            assertThat(after.sameAs(shown)).as("a restart shows what the device showed").isTrue();
        }
        if (!s.name().contains("applied by")) { // a restart of the before state applies the pending share too
            assertThat(before.sameAs(after)).as("the action changes something").isFalse();
        }
        int n = ref.points().size();
        assertThat(n).as("write points reached by '" + s.name() + "'").isPositive();
        reporter.publishEntry(s.name(), n + " points: " + String.join(" | ", ref.points()));

        List<String> failures = CrashPoints.failuresAtEachPoint(ref.points(), (k, at) -> {
            Run crash = s.play(new Run(root.resolve(s.slug() + "-crash-" + k), new CrashingHook(k)), null);
            assertThat(crash.crashedAt()).as("the crash happened at the same point as counted").isEqualTo(at);
            CrashPoints.assertOldOrNew(crash.answered, restart(crash.dir), before, after, Seen::sameAs);
        });
        assertThat(failures).as(s.name()).isEmpty();
    }

    /** Lists every scenario's crash points in the test output, and pins the order that makes them safe. */
    @Test
    void theCrashPointsOfEveryScenarioAreListed(TestReporter reporter) throws Exception {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (CrashScenario<Run> s : scenarios().toList()) {
            all.put(s.name(), s.play(new Run(root.resolve(s.slug() + "-points"), CrashingHook.counting()), null)
                    .points());
        }
        CrashPoints.listPerScenario(all, reporter);

        String lsa = LabelStore.FILE;
        String journal = LabelStore.JOURNAL;
        assertThat(all.get("first Set LSA: creates lsa.bin")).containsExactly("write " + lsa + ".tmp",
                "fsync " + lsa + ".tmp", "rename " + lsa + ".tmp -> " + lsa, "fsync dir after " + lsa);
        assertThat(all.get("second Set LSA: creates the journal")).containsExactly("create " + journal,
                "fsync dir after " + journal, "write " + journal + " record 1", "write " + journal + " data 1",
                "fsync " + journal);
        assertThat(all.get("Set LSA appended to the journal")).containsExactly("write " + journal + " record 2",
                "write " + journal + " data 2", "fsync " + journal);
        // the checkpoint: records into lsa.bin, its fsync, and only then the journal emptied
        assertThat(all.get("Set LSA whose journal reaches S: a checkpoint follows the answer")).containsSubsequence(
                "fsync " + journal, "write " + lsa + " at 0", "write " + lsa + " at 211", "write " + lsa + " at 422",
                "write " + lsa + " at 980", "fsync " + lsa, "truncate " + journal, "fsync " + journal);
        assertThat(all.get("Set LSA after a checkpoint (the journal starts again)"))
                .containsExactly("write " + journal + " record 1", "write " + journal + " data 1", "fsync " + journal);
        String p = PartitionStore.FILE;
        // a changed share wipes the media first (docs/media-and-poison.md): media.bin's deletion
        assertThat(all.get("Set Partition Info Immediate: creates partition.properties")).containsExactly(
                "delete media.bin", "write " + p + ".tmp", "fsync " + p + ".tmp", "rename " + p + ".tmp -> " + p, "fsync dir after " + p);
        assertThat(all.get("a pending share applied by a cold reset")).contains("rename " + p + ".tmp -> " + p);
        assertThat(all.get("a pending share applied by a restart")).contains("rename " + p + ".tmp -> " + p);
    }
}
