package io.cxlkit.device.persist;

import static io.cxlkit.device.persist.PersistHarness.hex;
import static io.cxlkit.device.persist.PersistHarness.send;
import static io.cxlkit.device.persist.PersistHarness.tmpFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.ScanMediaRequest;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    @FunctionalInterface
    interface Step {
        void run(Run run) throws Exception;
    }

    static final class Run {
        final Path dir;
        final CrashingHook hook;
        CxlDevice device;
        int answered = -1;

        Run(Path dir, CrashingHook hook) {
            this.dir = dir;
            this.hook = hook;
        }

        void open() throws Exception {
            device = PersistHarness.open(CONFIG, dir, hook);
        }

        void inject(long dpa) {
            answered = device.execute(Cci.MAILBOX, CommandId.INJECT_POISON.opcode(), InjectPoisonRequest.SIZE,
                    ByteBuffer.wrap(new InjectPoisonRequest(dpa).encode())).returnCode().value();
            ok("Inject Poison");
        }

        void clear(long dpa, int seed) {
            byte[] data = new byte[64];
            Arrays.fill(data, (byte) seed);
            answered = send(device, CommandId.CLEAR_POISON, ClearPoisonRequest.of(dpa, data).encode()).returnCode();
            ok("Clear Poison");
        }

        void scanAll() {
            answered = send(device, CommandId.SCAN_MEDIA, new ScanMediaRequest(new DpaRange(0, TOTAL / 64), false)
                    .encode()).returnCode();
            ok("Scan Media");
        }

        void setPartition(long units) {
            answered = send(device, CommandId.SET_PARTITION_INFO, new SetPartitionInfoRequest(units, true).encode())
                    .returnCode();
            ok("Set Partition Info");
        }

        private void ok(String what) {
            if (!hook.crashed()) {
                assertThat(hex(answered)).as(what).isEqualTo("0000h");
            }
        }
    }

    record Scenario(String name, Step setup, Step action) {
        @Override
        public String toString() {
            return name;
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

    private static Step opened(Step then) {
        return r -> {
            r.open();
            then.run(r);
        };
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("Inject Poison: creates poison.bin", opened(r -> { }), r -> r.inject(0x1000)),
                new Scenario("Inject Poison that overflows the list", opened(r -> {
                    r.inject(0x1000);
                    r.inject(0x2000);
                }), r -> r.inject(0x3000)),
                new Scenario("Clear Poison: creates media.bin, deletes poison.bin", opened(r -> r.inject(0x2000)),
                        r -> r.clear(0x2000, 7)),
                new Scenario("Clear Poison splitting a run at M: the upper fragment unlisted",
                        opened(r -> {
                            r.device.injectMediaError(0x1000, 3 * 64);
                            r.inject(0x3000);
                            r.clear(TOTAL - 64, 3);
                        }),
                        r -> r.clear(0x1040, 9)),
                new Scenario("media-error", opened(r -> r.clear(0x1000, 4)), r -> r.device.injectMediaError(0x1000, 4096)),
                new Scenario("Scan Media of the whole device lists again",
                        opened(r -> {
                            r.inject(0x1000);
                            r.inject(0x2000);
                            r.inject(0x3000);
                            r.clear(0x1000, 5);
                        }),
                        MediaCrashTest.Run::scanAll),
                new Scenario("a changed share wipes the media",
                        opened(r -> {
                            r.clear(0x2000, 6);
                            r.inject(0x3000);
                        }),
                        r -> r.setPartition(2)));
    }

    record Result(List<String> points, String crashedAt, int answered, Seen after) {
    }

    private static Result run(Scenario s, Path dir, int crashAt, Path snapshot) throws Exception {
        CrashingHook hook = new CrashingHook(crashAt);
        Run run = new Run(dir, hook);
        s.setup().run(run);
        if (snapshot != null) {
            copy(dir, snapshot);
        }
        hook.arm();
        run.answered = -1;
        try {
            s.action().run(run);
        } catch (SimulatedCrash e) {
            // the process died here
        } catch (java.io.UncheckedIOException e) {
            assertThat(hook.crashed()).as("an I/O error only from the crash: " + e).isTrue();
        }
        Seen after = hook.crashed() ? null : seen(run.device);
        return new Result(hook.points(), hook.crashedAt(), run.answered, after);
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static Seen restart(Path dir) throws Exception {
        CxlDevice device = PersistHarness.open(CONFIG, dir);
        Seen seen = seen(device);
        assertThat(tmpFiles(dir)).as("temporary files after a restart").isEmpty();
        device.close();
        return seen;
    }

    private static String slug(Scenario s) {
        return s.name().replaceAll("[^A-Za-z0-9]+", "-");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aCrashAtEveryPointLeavesTheOldOrTheNewMedia(Scenario s) throws Exception {
        Path refDir = root.resolve(slug(s) + "-reference");
        Result ref = run(s, refDir, 0, root.resolve(slug(s) + "-before"));
        assertThat(ref.crashedAt()).isNull();
        Seen before = restart(root.resolve(slug(s) + "-before"));
        Seen after = restart(refDir);
        assertThat(after.sameAs(ref.after())).as("a restart shows what the device showed").isTrue();
        assertThat(before.sameAs(after)).as("the action changes something").isFalse();
        int n = ref.points().size();
        assertThat(n).as("file points reached by '" + s.name() + "'").isPositive();
        List<String> failures = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            Path dir = root.resolve(slug(s) + "-crash-" + k);
            String at = ref.points().get(k - 1);
            try {
                Result crash = run(s, dir, k, null);
                assertThat(crash.crashedAt()).isEqualTo(at);
                Seen got = restart(dir);
                if (crash.answered() == ReturnCode.SUCCESS.value()) {
                    assertThat(got.sameAs(after)).as("answered 0000h before the crash; got " + got).isTrue();
                } else {
                    assertThat(got.sameAs(before) || got.sameAs(after)).as("got " + got + ", neither the old "
                            + before + " nor the new " + after).isTrue();
                }
            } catch (AssertionError | Exception e) {
                failures.add("crash " + k + "/" + n + " at '" + at + "': " + e.getMessage().strip());
            }
        }
        assertThat(failures).as(s.name() + " (points " + ref.points() + ")").isEmpty();
    }
}
