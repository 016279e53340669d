package io.cxlkit.device.fw;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * device-behaviour.md §7: under {@code instant} the real work must stay well under the 2-second
 * mailbox timeout, so End or Full of a package above 256 MiB always runs in the background. Tested
 * on the decision itself, so no test has to write 256 MiB.
 */
class ForegroundLimitTest {

    private static final long MIB = 1L << 20;

    @Test
    void theLimitIs256MiB() {
        assertThat(FirmwareCommands.FOREGROUND_LIMIT).isEqualTo(256 * MIB);
    }

    @Test
    void endOrFullOfAPackageAbove256MiB_runsInTheBackgroundEvenWithZeroModelledTime() {
        assertThat(FirmwareCommands.runsInBackground(0, true, 256 * MIB)).isFalse();
        assertThat(FirmwareCommands.runsInBackground(0, true, 256 * MIB + 1)).isTrue();
        assertThat(FirmwareCommands.runsInBackground(0, true, 4096L * MIB)).isTrue();
    }

    @Test
    void initiateAndContinue_dependOnTheirModelledTimeOnly() {
        assertThat(FirmwareCommands.runsInBackground(0, false, 512 * MIB)).isFalse();
        assertThat(FirmwareCommands.runsInBackground(1, false, 128)).isTrue();
    }

    @Test
    void anyModelledTime_runsInTheBackground() {
        assertThat(FirmwareCommands.runsInBackground(1, true, 128)).isTrue();
        assertThat(FirmwareCommands.runsInBackground(0, true, 128)).isFalse();
    }
}
