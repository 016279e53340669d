package io.cxlkit.device.persist;

import static io.cxlkit.device.persist.PersistHarness.hex;
import static io.cxlkit.device.persist.PersistHarness.send;
import static io.cxlkit.device.persist.SanitizeCrashes.assertAllowed;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.label.LabelStore;
import io.cxlkit.device.media.MediaStore;
import io.cxlkit.device.persist.SanitizeCrashes.Seen;
import io.cxlkit.device.sanitize.SanitizeMark;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.GetLsaRequest;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.SetLsaRequest;
import io.cxlkit.protocol.regs.MemoryDeviceStatus;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SanitizeCrashTest} with the device's real media model holding persistent poison (an
 * overflowed list) and data before the Sanitize, so the media's file steps (poison.bin's "erase
 * pending" record, media.bin's deletion, poison.bin's deletion) are among the crash points
 * (memdev-commands.md §9, §11). At every point, a restarted device shows the Sanitize pending
 * (media disabled), or completed (no poison, no overflow, zero data, zero LSA, media enabled),
 * or, only if the command had not answered, the state before it; never media enabled with some
 * of the poison, data or LSA left.
 */
class SanitizeMediaCrashTest {

    private static final int S = DeviceConfig.MIN_LSA_SIZE;
    private static final DeviceConfig BASE = PersistHarness.config().toBuilder().lsaSize(S).poisonMaxRecords(2)
            .build();
    private static final DeviceConfig INSTANT = BASE.toBuilder().timing(Timing.instant()).build();
    private static final DeviceConfig ONE_SECOND = BASE.toBuilder()
            .timing(Timing.instant().withSanitizeTime(Duration.ofSeconds(1))).build();
    private static final long LINES = BASE.totalCapacity() / 64;

    /** Injected (three separate lines: the list of two runs overflows) and media-error poison. */
    private static final long[] POISONED = {0x1000, 0x3000, 0x5000, 0x9000};
    /** Written through Clear Poison: unpoisoned lines, and a poisoned one (a redo step) cleared with data. */
    private static final long[] WRITTEN = {0x2_0000, 0x4_0000, 0x7000};

    @TempDir
    Path root;

    record Scenario(String name, DeviceConfig config) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(new Scenario("instant Sanitize", INSTANT),
                new Scenario("1 s Sanitize, then its completion", ONE_SECOND));
    }

    private static byte[] pattern(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static CommandResponse mailbox(CxlDevice d, CommandId id, byte[] payload) {
        return d.execute(Cci.MAILBOX, id.opcode(), payload.length, ByteBuffer.wrap(payload));
    }

    /** The prior state, with the hook disarmed: LSA, persistent poison (overflowed list) and data. */
    private static CxlDevice setup(Scenario s, Path dir, CrashHook hook) throws Exception {
        CxlDevice d = PersistHarness.open(s.config(), dir, hook);
        assertThat(hex(send(d, CommandId.SET_TIMESTAMP, new io.cxlkit.protocol.payload.Timestamp(9_000_000_000L)
                .encode()).returnCode())).isEqualTo("0000h");
        assertThat(hex(send(d, CommandId.SET_LSA, new SetLsaRequest(0, ByteBuffer.wrap(pattern(1, 1000))).encode())
                .returnCode())).isEqualTo("0000h");
        assertThat(hex(send(d, CommandId.SET_LSA, new SetLsaRequest(1000, ByteBuffer.wrap(pattern(2, S - 1000)))
                .encode()).returnCode())).isEqualTo("0000h");
        for (int i = 0; i < 3; i++) {
            assertThat(mailbox(d, CommandId.INJECT_POISON, new InjectPoisonRequest(POISONED[i]).encode()).returnCode())
                    .isEqualTo(ReturnCode.SUCCESS);
        }
        d.injectMediaError(POISONED[3], 64);
        assertThat(mailbox(d, CommandId.INJECT_POISON, new InjectPoisonRequest(WRITTEN[2]).encode()).returnCode())
                .isEqualTo(ReturnCode.SUCCESS);
        for (int i = 0; i < WRITTEN.length; i++) {
            assertThat(hex(send(d, CommandId.CLEAR_POISON, ClearPoisonRequest.of(WRITTEN[i], pattern(10 + i, 64))
                    .encode()).returnCode())).isEqualTo("0000h");
        }
        GetPoisonListResponse list = poisonList(d);
        assertThat(list.overflow()).isTrue();
        assertThat(list.records()).hasSize(2);
        return d;
    }

    /** Builds the prior state in {@code dir}, then crashes a Sanitize with {@code hook}. */
    private static CrashRun run(Scenario s, Path dir, CrashingHook hook) throws Exception {
        return CrashPoints.play(new CrashRun(dir, s.config(), hook), r -> r.device = setup(s, r.dir, r.hook), null,
                SanitizeCrashes.SANITIZE);
    }

    private static GetPoisonListResponse poisonList(CxlDevice d) {
        CciMessage r = send(d, CommandId.GET_POISON_LIST, GetPoisonListRequest.of(0, LINES).encode());
        assertThat(hex(r.returnCode())).as("Get Poison List").isEqualTo("0000h");
        return GetPoisonListResponse.decode(ByteBuffer.wrap(r.payload()));
    }

    /** The watched lines' data: the poisoned ones and the written ones. */
    private static byte[] data(CxlDevice d) {
        ByteBuffer b = ByteBuffer.allocate((POISONED.length + WRITTEN.length) * 64);
        for (long dpa : POISONED) {
            b.put(d.readMedia(dpa, 64));
        }
        for (long dpa : WRITTEN) {
            b.put(d.readMedia(dpa, 64));
        }
        return b.array();
    }

    private static byte[] dataBefore() {
        ByteBuffer b = ByteBuffer.allocate((POISONED.length + WRITTEN.length) * 64);
        b.position(POISONED.length * 64);
        for (int i = 0; i < WRITTEN.length; i++) {
            b.put(pattern(10 + i, 64));
        }
        return b.array();
    }

    private static byte[] lsaBefore() {
        byte[] lsa = new byte[S];
        System.arraycopy(pattern(1, 1000), 0, lsa, 0, 1000);
        System.arraycopy(pattern(2, S - 1000), 0, lsa, 1000, S - 1000);
        return lsa;
    }

    /** What a host sees after a restart. */
    private static Seen seen(CxlDevice d, GetPoisonListResponse listBefore) {
        boolean disabled = d.memoryDeviceStatus().mediaStatus() == MemoryDeviceStatus.MEDIA_DISABLED;
        CciMessage listReply = send(d, CommandId.GET_POISON_LIST, GetPoisonListRequest.of(0, LINES).encode());
        CommandResponse lsaReply = mailbox(d, CommandId.GET_LSA, new GetLsaRequest(0, S).encode()); // > 1 KiB
        if (disabled || d.sanitizePending()) {
            boolean gated = listReply.returnCode() == ReturnCode.MEDIA_DISABLED.value()
                    && lsaReply.returnCode() == ReturnCode.MEDIA_DISABLED;
            return disabled && d.sanitizePending() && gated ? Seen.PENDING : Seen.MIXED;
        }
        assertThat(hex(listReply.returnCode())).isEqualTo("0000h");
        assertThat(lsaReply.returnCode()).isEqualTo(ReturnCode.SUCCESS);
        GetPoisonListResponse list = GetPoisonListResponse.decode(ByteBuffer.wrap(listReply.payload()));
        byte[] data = data(d);
        byte[] lsa = lsaReply.output();
        if (list.records().isEmpty() && !list.overflow() && list.overflowTimestamp() == 0
                && Arrays.equals(data, new byte[data.length]) && Arrays.equals(lsa, new byte[S])) {
            return Seen.DONE;
        }
        if (list.equals(listBefore) && Arrays.equals(data, dataBefore()) && Arrays.equals(lsa, lsaBefore())) {
            return Seen.BEFORE;
        }
        return Seen.MIXED;
    }

    private static Seen restart(Scenario s, Path dir, GetPoisonListResponse listBefore) throws Exception {
        return SanitizeCrashes.restart(s.config(), dir, d -> seen(d, listBefore));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aCrashAtEveryFilePoint_leavesBeforeOrPendingOrDone_neverMediaWithPoisonOrDataLeft(Scenario s)
            throws Exception {
        // the list as the prior state shows it after a restart (the overflow persists)
        Path before = root.resolve("before");
        setup(s, before, CrashHook.NONE).close();
        CxlDevice reopened = PersistHarness.open(s.config(), before);
        GetPoisonListResponse listBefore = poisonList(reopened);
        reopened.close();
        assertThat(restart(s, before, listBefore)).isEqualTo(Seen.BEFORE);

        CrashRun ref = run(s, root.resolve("reference"), CrashingHook.counting());
        assertThat(ref.crashedAt()).isNull();
        assertThat(restart(s, ref.dir, listBefore)).isEqualTo(Seen.DONE);
        assertThat(ref.points()).anyMatch(p -> p.contains(MediaStore.POISON_FILE))
                .anyMatch(p -> p.contains(MediaStore.DATA_FILE));
        List<String> failures = CrashPoints.failuresAtEachPoint(ref.points(), (k, at) -> {
            CrashRun crash = run(s, root.resolve("crash-" + k), new CrashingHook(k));
            assertThat(crash.crashedAt()).isEqualTo(at);
            assertAllowed(restart(s, crash.dir, listBefore), crash.answered, false);
        });
        assertThat(failures).as(s.name()).isEmpty();
    }

    /**
     * Pins the order: the mark; poison.bin saying "erase pending"; media.bin deleted; poison.bin
     * deleted (nothing left to keep); the LSA's files; the mark's removal last.
     */
    @Test
    void theFilePointsComeInTheSafeOrder() throws Exception {
        List<String> points = run(scenarios().findFirst().orElseThrow(), root.resolve("points"),
                CrashingHook.counting()).points();
        String mark = SanitizeMark.FILE;
        String poison = MediaStore.POISON_FILE;
        assertThat(points).containsExactly("write " + mark + ".tmp", "fsync " + mark + ".tmp",
                "rename " + mark + ".tmp -> " + mark, "fsync dir after " + mark,
                "write " + poison + ".tmp", "fsync " + poison + ".tmp", "rename " + poison + ".tmp -> " + poison,
                "fsync dir after " + poison, "delete " + MediaStore.DATA_FILE, "delete " + poison,
                "delete " + LabelStore.FILE, "delete " + LabelStore.JOURNAL, "delete " + mark);
    }
}
