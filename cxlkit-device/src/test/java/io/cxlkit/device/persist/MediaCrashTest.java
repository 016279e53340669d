package io.cxlkit.device.persist;

import static io.cxlkit.device.persist.CrashScenario.opened;
import static io.cxlkit.device.persist.PersistHarness.hex;
import static io.cxlkit.device.persist.PersistHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.ScanMediaRequest;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash simulation for the media model's files (docs/media-and-poison.md), as
 * {@link CapacityAndLabelCrashTest} does for the LSA: each scenario runs once to count its file
 * points, then once per point with the "process" killed there. A device restarted on what is left
 * must show the poison list (records, overflow, timestamp) and the media data of before or of
 * after, whole; and of after where the command had answered 0000h.
 */
class MediaCrashTest {

    private static final long MIB = 1L << 20;
    /** 1 GiB persistent, 512 MiB partitionable in one step, a list of 2 records. */
    private static final DeviceConfig CONFIG = PersistHarness.config().toBuilder().partitionableCapacity(512 * MIB)
            .partitionAlignment(512 * MIB).poisonMaxRecords(2).build();
    private static final long TOTAL = CONFIG.totalCapacity();
    /** Lines whose data the scenarios write and check. */
    private static final long[] WATCHED = {0x1000, 0x2000, 0x3000, TOTAL - 64};

    @TempDir
    Path root;

    static final class Run extends CrashRun {

        Run(Path dir, CrashingHook hook) {
            super(dir, CONFIG, hook);
        }

        void inject(long dpa) {
            answered("Inject Poison", device.execute(Cci.MAILBOX, CommandId.INJECT_POISON.opcode(),
                    InjectPoisonRequest.SIZE, ByteBuffer.wrap(new InjectPoisonRequest(dpa).encode())).returnCode()
                    .value());
        }

        void clear(long dpa, int seed) {
            byte[] data = new byte[64];
            Arrays.fill(data, (byte) seed);
            answered("Clear Poison", send(device, CommandId.CLEAR_POISON, ClearPoisonRequest.of(dpa, data).encode())
                    .returnCode());
        }

        void scanAll() {
            answered("Scan Media", send(device, CommandId.SCAN_MEDIA,
                    new ScanMediaRequest(new DpaRange(0, TOTAL / 64), false).encode()).returnCode());
        }

        void setPartition(long units) {
            answered("Set Partition Info", send(device, CommandId.SET_PARTITION_INFO,
                    new SetPartitionInfoRequest(units, true).encode()).returnCode());
        }
    }

    /** What a host sees: Get Poison List of the whole device, and the watched lines' data. */
    record Seen(byte[] list, byte[] data) {
        boolean sameAs(Seen o) {
            return Arrays.equals(list, o.list) && Arrays.equals(data, o.data);
        }

        @Override
        public String toString() {
            return "list " + Arrays.hashCode(list) + " (" + list.length + " B), data " + Arrays.hashCode(data);
        }
    }

    static Seen seen(CxlDevice device) {
        CciMessage r = send(device, CommandId.GET_POISON_LIST, GetPoisonListRequest.of(0, TOTAL / 64).encode());
        assertThat(hex(r.returnCode())).as("Get Poison List").isEqualTo("0000h");
        ByteBuffer data = ByteBuffer.allocate(WATCHED.length * 64);
        for (long dpa : WATCHED) {
            data.put(device.readMedia(dpa, 64));
        }
        return new Seen(r.payload(), data.array());
    }

    static Stream<CrashScenario<Run>> scenarios() {
        return Stream.of(
                new CrashScenario<Run>("Inject Poison: creates poison.bin", opened(r -> { }), r -> r.inject(0x1000)),
                new CrashScenario<Run>("Inject Poison that overflows the list", opened(r -> {
                    r.inject(0x1000);
                    r.inject(0x2000);
                }), r -> r.inject(0x3000)),
                new CrashScenario<Run>("Clear Poison: creates media.bin, deletes poison.bin", opened(r -> r.inject(0x2000)),
                        r -> r.clear(0x2000, 7)),
                new CrashScenario<Run>("Clear Poison splitting a run at M: the upper fragment unlisted",
                        opened(r -> {
                            r.device.injectMediaError(0x1000, 3 * 64);
                            r.inject(0x3000);
                            r.clear(TOTAL - 64, 3);
                        }),
                        r -> r.clear(0x1040, 9)),
                new CrashScenario<Run>("media-error", opened(r -> r.clear(0x1000, 4)), r -> r.device.injectMediaError(0x1000, 4096)),
                new CrashScenario<Run>("Scan Media of the whole device lists again",
                        opened(r -> {
                            r.inject(0x1000);
                            r.inject(0x2000);
                            r.inject(0x3000);
                            r.clear(0x1000, 5);
                        }),
                        MediaCrashTest.Run::scanAll),
                new CrashScenario<Run>("a changed share wipes the media",
                        opened(r -> {
                            r.clear(0x2000, 6);
                            r.inject(0x3000);
                        }),
                        r -> r.setPartition(2)));
    }

    private static Seen restart(Path dir) throws Exception {
        return CrashPoints.seenAfterRestart(CONFIG, dir, MediaCrashTest::seen);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aCrashAtEveryPointLeavesTheOldOrTheNewMedia(CrashScenario<Run> s) throws Exception {
        Path refDir = root.resolve(s.slug() + "-reference");
        Run ref = s.play(new Run(refDir, CrashingHook.counting()), root.resolve(s.slug() + "-before"));
        assertThat(ref.crashedAt()).isNull();
        Seen shown = seen(ref.device);
        Seen before = restart(root.resolve(s.slug() + "-before"));
        Seen after = restart(refDir);
        assertThat(after.sameAs(shown)).as("a restart shows what the device showed").isTrue();
        assertThat(before.sameAs(after)).as("the action changes something").isFalse();
        assertThat(ref.points()).as("file points reached by '" + s.name() + "'").isNotEmpty();
        List<String> failures = CrashPoints.failuresAtEachPoint(ref.points(), (k, at) -> {
            Run crash = s.play(new Run(root.resolve(s.slug() + "-crash-" + k), new CrashingHook(k)), null);
            assertThat(crash.crashedAt()).isEqualTo(at);
            CrashPoints.assertOldOrNew(crash.answered, restart(crash.dir), before, after, Seen::sameAs);
        });
        assertThat(failures).as(s.name() + " (points " + ref.points() + ")").isEmpty();
    }
}
