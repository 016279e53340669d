package io.cxlkit.device.persist;

import static io.cxlkit.device.persist.PersistHarness.hex;
import static io.cxlkit.device.persist.PersistHarness.send;
import static io.cxlkit.device.persist.SanitizeCrashes.assertAllowed;
import static io.cxlkit.device.persist.SanitizeCrashes.restart;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.label.LabelStore;
import io.cxlkit.device.media.MediaStore;
import io.cxlkit.device.persist.SanitizeCrashes.Seen;
import io.cxlkit.device.sanitize.SanitizeMark;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.GetLsaRequest;
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
 * Crash simulation for Sanitize (memdev-commands.md §9, §11), as {@link CapacityAndLabelCrashTest}
 * does for the LSA: each scenario runs once to count its file points, then once per point k with
 * the "process" killed at the k-th. A device restarted on what is left shows the state of before
 * the Sanitize (only if it had not answered), a pending Sanitize (media disabled: Get LSA 0007h),
 * or the completed one (LSA zeros, media enabled), never a mix; and from a pending one a new
 * Sanitize completes.
 */
class SanitizeCrashTest {

    private static final int S = DeviceConfig.MIN_LSA_SIZE;
    private static final DeviceConfig INSTANT = PersistHarness.config().toBuilder().lsaSize(S)
            .timing(Timing.instant()).build();
    private static final DeviceConfig ONE_SECOND = PersistHarness.config().toBuilder().lsaSize(S)
            .timing(Timing.instant().withSanitizeTime(Duration.ofSeconds(1))).build();

    @TempDir
    Path root;

    record Scenario(String name, DeviceConfig config, boolean pendingBefore) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(new Scenario("instant Sanitize", INSTANT, false),
                new Scenario("1 s Sanitize, then its completion", ONE_SECOND, false),
                new Scenario("a Sanitize over a pending one (left by a kill)", ONE_SECOND, true));
    }

    private static byte[] lsaContent() {
        byte[] b = new byte[S];
        new Random(7).nextBytes(b);
        return b;
    }

    /** Builds the prior state (no crash yet): an LSA with a journal record, perhaps a pending Sanitize. */
    private static CxlDevice setup(Scenario s, Path dir, CrashHook hook) throws Exception {
        CxlDevice d = PersistHarness.open(s.config(), dir, hook);
        byte[] lsa = lsaContent();
        assertThat(hex(send(d, CommandId.SET_LSA, new SetLsaRequest(0, ByteBuffer.wrap(lsa, 0, 1000).slice())
                .encode()).returnCode())).isEqualTo("0000h");
        assertThat(hex(send(d, CommandId.SET_LSA, new SetLsaRequest(1000, ByteBuffer.wrap(lsa, 1000, S - 1000)
                .slice()).encode()).returnCode())).isEqualTo("0000h");
        if (s.pendingBefore()) {
            assertThat(hex(send(d, CommandId.SANITIZE, new byte[0]).returnCode())).isEqualTo("0001h");
            d = PersistHarness.open(s.config(), dir, hook); // killed while it ran
            assertThat(d.sanitizePending()).isTrue();
        }
        return d;
    }

    /** Builds the prior state in {@code dir}, then crashes a Sanitize with {@code hook}. */
    private static CrashRun run(Scenario s, Path dir, CrashingHook hook) throws Exception {
        return CrashPoints.play(new CrashRun(dir, s.config(), hook), r -> r.device = setup(s, r.dir, r.hook), null,
                SanitizeCrashes.SANITIZE);
    }

    private static Seen seen(CxlDevice d) {
        boolean disabled = d.memoryDeviceStatus().mediaStatus() == MemoryDeviceStatus.MEDIA_DISABLED;
        byte[] lsa = new byte[S];
        for (int at = 0; at < S; at += 1024) {
            int n = Math.min(1024, S - at);
            CciMessage r = send(d, CommandId.GET_LSA, new GetLsaRequest(at, n).encode());
            if (r.returnCode() == ReturnCode.MEDIA_DISABLED.value()) {
                return disabled && d.sanitizePending() ? Seen.PENDING : Seen.MIXED;
            }
            assertThat(hex(r.returnCode())).isEqualTo("0000h");
            System.arraycopy(r.payload(), 0, lsa, at, n);
        }
        if (disabled || d.sanitizePending()) {
            return Seen.MIXED;
        }
        if (Arrays.equals(lsa, new byte[S])) {
            return Seen.DONE;
        }
        return Arrays.equals(lsa, lsaContent()) ? Seen.BEFORE : Seen.MIXED;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aCrashAtEveryFilePoint_leavesBeforeOrPendingOrDone(Scenario s) throws Exception {
        CrashRun ref = run(s, root.resolve("reference"), CrashingHook.counting());
        assertThat(ref.crashedAt()).isNull();
        assertThat(restart(s.config(), ref.dir, SanitizeCrashTest::seen)).isEqualTo(Seen.DONE);
        assertThat(ref.points()).isNotEmpty();
        List<String> failures = CrashPoints.failuresAtEachPoint(ref.points(), (k, at) -> {
            CrashRun crash = run(s, root.resolve("crash-" + k), new CrashingHook(k));
            assertThat(crash.crashedAt()).isEqualTo(at);
            assertAllowed(restart(s.config(), crash.dir, SanitizeCrashTest::seen), crash.answered, s.pendingBefore());
        });
        assertThat(failures).as(s.name()).isEmpty();
    }

    /** Pins the order that makes it safe: the mark, then the media's and the LSA's zeros, then the mark's removal. */
    @Test
    void theFilePointsComeInTheSafeOrder() throws Exception {
        Scenario s = scenarios().findFirst().orElseThrow();
        List<String> points = run(s, root.resolve("points"), CrashingHook.counting()).points();
        String mark = SanitizeMark.FILE;
        assertThat(points).containsExactly("write " + mark + ".tmp", "fsync " + mark + ".tmp",
                "rename " + mark + ".tmp -> " + mark, "fsync dir after " + mark,
                "delete " + MediaStore.DATA_FILE, "delete " + LabelStore.FILE, "delete " + LabelStore.JOURNAL,
                "delete " + mark);
    }
}
