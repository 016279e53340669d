package io.cxlkit.device.persist;

import static io.cxlkit.device.persist.PersistHarness.hex;
import static io.cxlkit.device.persist.PersistHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.protocol.CommandId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * What the Sanitize crash tests share (memdev-commands.md §9, §11): the action they crash, what a
 * device restarted after the crash may show, and which of those each crash allows.
 */
final class SanitizeCrashes {

    /** What a host sees after a restart. */
    enum Seen { BEFORE, PENDING, DONE, MIXED }

    /** The action crashed: a Sanitize, and the second its background takes in every scenario. */
    static final CrashRun.Step<CrashRun> SANITIZE = r -> r.answered = sanitizeForOneSecond(r.device);

    private SanitizeCrashes() {
    }

    /** Sends Sanitize and advances the virtual clock by the second it takes at most here; its answer. */
    static int sanitizeForOneSecond(CxlDevice d) {
        int rc = send(d, CommandId.SANITIZE, new byte[0]).returnCode();
        ((VirtualClock) d.clock()).advance(Duration.ofSeconds(1));
        return rc;
    }

    /**
     * What a device restarted on {@code dir} shows, by {@code seen}; from a pending state, a new
     * Sanitize completes.
     */
    static Seen restart(DeviceConfig config, Path dir, Function<CxlDevice, Seen> seen) throws Exception {
        return CrashPoints.seenAfterRestart(config, dir, d -> {
            Seen shown = seen.apply(d);
            if (shown == Seen.PENDING) {
                assertThat(hex(sanitizeForOneSecond(d))).isIn("0000h", "0001h");
                assertThat(seen.apply(d)).as("a Sanitize after the restart completes").isEqualTo(Seen.DONE);
            }
            return shown;
        });
    }

    /**
     * A Sanitize answered (0000h or 0001h) before the crash, or one already pending before it,
     * leaves it pending or done; one never answered may also leave the state before it. Never a mix.
     */
    static void assertAllowed(Seen got, int answered, boolean pendingBefore) {
        if (answered == 0 || answered == 1 || pendingBefore) {
            assertThat(got).as("accepted (or already pending) before the crash").isIn(Seen.PENDING, Seen.DONE);
        } else {
            assertThat(got).isIn(Seen.BEFORE, Seen.PENDING, Seen.DONE);
        }
    }
}
