package io.cxlkit.device.fw;

import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anti-rollback (device-behaviour.md §5): the device remembers the highest security version it has
 * activated (persisted); a package with a lower security version fails verification.
 */
class AntiRollbackTest {

    @TempDir
    Path dir;

    private static TransferFwRequest full(int slot, byte[] pkg) {
        return TransferFwRequest.full(slot, ByteBuffer.wrap(pkg));
    }

    @Test
    void onlineActivationRaisesTheFloor_andTransfersBelowItFail000Ah() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.device().securityFloor()).isZero();
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("SV 3", 128, 3))).isZero();
            assertThat(t.device().securityFloor()).as("a stored package does not raise it").isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            assertThat(t.device().securityFloor()).isEqualTo(3);

            assertThat(rc(t.transfer(Cci.MCTP, full(1, pkg("SV 2", 128, 2))))).isEqualTo("000Ah");
            assertThat(t.fwInfo().revision(1)).isEqualTo("BWFW VERSION 0");
            assertThat(rc(t.transfer(Cci.MCTP, full(1, pkg("SV 3 AGAIN", 128, 3))))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, full(1, pkg("SV 9", 128, 9))))).isEqualTo("0000h");
            assertThat(t.device().securityFloor()).isEqualTo(3);
        }
    }

    @Test
    void aResetActivationRaisesTheFloor_andItSurvivesARestart() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("SV 4", 128, 4))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
            assertThat(t.device().securityFloor()).isEqualTo(4);
            t.reopen();
            assertThat(t.device().securityFloor()).isEqualTo(4);
        }
    }

    @Test
    void olderFirmwareAlreadyInASlotCannotBeActivatedAnyMore() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("SV 1", 128, 1))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            // slot 1 holds the factory package, security version 0
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(1)))).isEqualTo("000Ch");
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(1)))).isEqualTo("0000h");
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
            assertThat(t.fwInfo().stagedSlot()).isZero();
            assertThat(t.fwInfo().revision(1)).isEqualTo("BWFW VERSION 0");
        }
    }

    @Test
    void theNonePolicyAcceptsAnyBytes_soTheFloorDoesNotApply() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("SV 5", 128, 5))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            t.reopen(b -> b.verifyPolicy(VerifyPolicy.NONE));
            assertThat(rc(t.transfer(Cci.MCTP, full(1, pkg("SV 1", 128, 1))))).isEqualTo("0000h");
            assertThat(t.device().securityFloor()).isEqualTo(5);
        }
    }
}
