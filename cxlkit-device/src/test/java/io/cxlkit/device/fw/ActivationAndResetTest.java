package io.cxlkit.device.fw;

import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.Timestamp;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.regs.MemoryDeviceStatus;
import io.cxlkit.protocol.regs.RegisterMap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Activate FW, cold reset and restart (device-behaviour.md §4). */
class ActivationAndResetTest {

    @TempDir
    Path dir;

    private static String imdRevision(TestDevice t, Cci cci) {
        return IdentifyMemoryDevice.decode(ByteBuffer.wrap(t.send(cci, CommandId.IDENTIFY_MEMORY_DEVICE).output()))
                .fwRevision();
    }

    private static MemoryDeviceStatus mdsRegister(TestDevice t) {
        return MemoryDeviceStatus.fromRaw(t.mailbox().read64(RegisterMap.MEMORY_DEVICE_STATUS));
    }

    /** Flips a body byte of the package stored in {@code slot}, behind the device's back. */
    private static void corruptSlot(TestDevice t, int slot) throws IOException {
        Path file = t.device().slotFile(slot).orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        bytes[128] ^= 0x01;
        Files.write(file, bytes);
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void activateChecks_inOrder_action0002h_slot000Bh_onlineNotSupported0002h(Cci cci) {
        try (TestDevice t = TestDevice.builder(dir).instant().config(b -> b.onlineActivate(false)).open()) {
            assertThat(rc(t.send(cci, CommandId.ACTIVATE_FW, new byte[] {2, 2}).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.ACTIVATE_FW, new byte[] {(byte) 0xFF, 0}).returnCode()))
                    .as("the action before the slot").isEqualTo("0002h");
            for (int slot : new int[] {0, 1, 2, 3, 255}) { // 0, active, empty, above Slots Supported
                assertThat(rc(t.activate(cci, ActivateFwRequest.onNextReset(slot)))).as("slot %d", slot)
                        .isEqualTo("000Bh");
                assertThat(rc(t.activate(cci, ActivateFwRequest.online(slot)))).as("the slot before online support")
                        .isEqualTo("000Bh");
            }
            assertThat(t.uploadFull(cci, 2, pkg("FW 2", 128))).isZero();
            assertThat(rc(t.activate(cci, ActivateFwRequest.online(2)))).isEqualTo("0002h");
            assertThat(t.fwInfo().onlineActivationSupported()).isFalse();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(rc(t.activate(cci, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
        }
    }

    @Test
    void onNextReset_stagesTheSlot_replacingAnyOtherStagedSlot() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(b -> b.slots(3)).open()) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 128))).isZero();
            assertThat(t.uploadFull(Cci.MCTP, 3, pkg("FW 3", 128))).isZero();
            assertThat(rc(t.activate(Cci.MAILBOX, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            assertThat(t.getFwInfo(Cci.MAILBOX).stagedSlot()).isEqualTo(2);
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(3)))).isEqualTo("0000h");
            FwInfo info = t.getFwInfo(Cci.MCTP);
            assertThat(info.stagedSlot()).isEqualTo(3);
            assertThat(info.activeSlot()).isEqualTo(1);
            assertThat(imdRevision(t, Cci.MCTP)).isEqualTo("BWFW VERSION 0");
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(3);
            assertThat(t.fwInfo().stagedSlot()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void online_isABackgroundOperationWithRealisticTiming_thenTheSlotIsActive(Cci cci) {
        try (TestDevice t = TestDevice.builder(dir).config(b -> b.slots(3)).open()) {
            assertThat(t.uploadFull(cci, 2, pkg("FW 2", 128))).isZero();
            assertThat(t.uploadFull(cci, 3, pkg("FW 3", 128))).isZero();
            assertThat(rc(t.activate(cci, ActivateFwRequest.onNextReset(3)))).isEqualTo("0000h");
            assertThat(rc(t.activate(cci, ActivateFwRequest.online(2)))).isEqualTo("0001h");
            t.advance(Duration.ofMillis(499));
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(imdRevision(t, cci)).isEqualTo("BWFW VERSION 0");
            t.advance(Duration.ofMillis(1));
            assertThat(rc(t.bgStatus(cci).returnCode())).isEqualTo("0000h");
            FwInfo info = t.fwInfo();
            assertThat(info.activeSlot()).isEqualTo(2);
            assertThat(info.stagedSlot()).as("a mark on another slot stays").isEqualTo(3);
            assertThat(imdRevision(t, cci)).isEqualTo("FW 2");
            assertThat(imdRevision(t, other(cci))).isEqualTo("FW 2");
        }
    }

    private static Cci other(Cci cci) {
        return cci == Cci.MCTP ? Cci.MAILBOX : Cci.MCTP;
    }

    @Test
    void online_withZeroModelledTime_isSynchronous_andClearsTheStagedMarkOfThatSlot() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 128))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            TestDevice.Reply r = t.send(Cci.MCTP, CommandId.ACTIVATE_FW, ActivateFwRequest.online(2).encode());
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.backgroundFlag()).isFalse();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
            assertThat(t.fwInfo().stagedSlot()).isZero();
            assertThat(imdRevision(t, Cci.MAILBOX)).isEqualTo("FW 2");
        }
    }

    @Test
    void online_reverifiesTheSlot_aFailingPackage000Ch_andThePreviousFirmwareStaysActive() throws IOException {
        try (TestDevice t = TestDevice.open(dir)) {
            assertThat(t.uploadFull(Cci.MAILBOX, 2, pkg("FW 2", 256))).isZero();
            corruptSlot(t, 2);
            assertThat(t.activateAndWait(Cci.MAILBOX, ActivateFwRequest.online(2))).isEqualTo(0x000C);
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(imdRevision(t, Cci.MAILBOX)).isEqualTo("BWFW VERSION 0");
        }
    }

    @Test
    void online_injectedRollback_000Ch() {
        try (TestDevice t = TestDevice.open(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 256))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            t.inject(f -> f.setActivationFailure(FaultSet.ActivationFailure.ROLLBACK));
            assertThat(rc(t.activateAndWait(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("000Ch");
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(t.device().faults()).as("consumed").isEmpty();
            assertThat(t.device().memoryDeviceStatus().resetNeeded()).isEqualTo(MemoryDeviceStatus.RESET_NONE);
            // the next activation works
            assertThat(rc(t.activateAndWait(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
        }
    }

    @Test
    void online_injectedColdReset_000Dh_targetNotStaged_resetNeededColdUntilAColdReset() {
        try (TestDevice t = TestDevice.open(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 256))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            t.inject(f -> f.setActivationFailure(FaultSet.ActivationFailure.COLD_RESET));
            assertThat(rc(t.activateAndWait(Cci.MAILBOX, ActivateFwRequest.online(2)))).isEqualTo("000Dh");
            FwInfo info = t.fwInfo();
            assertThat(info.activeSlot()).isEqualTo(1);
            assertThat(info.stagedSlot()).isZero();
            assertThat(mdsRegister(t).resetNeeded()).isEqualTo(MemoryDeviceStatus.RESET_COLD);
            assertThat(mdsRegister(t).mediaStatus()).isEqualTo(MemoryDeviceStatus.MEDIA_READY);
            t.advance(Duration.ofMinutes(5));
            assertThat(mdsRegister(t).resetNeeded()).isEqualTo(MemoryDeviceStatus.RESET_COLD);
            t.coldReset();
            assertThat(mdsRegister(t).resetNeeded()).isEqualTo(MemoryDeviceStatus.RESET_NONE);
            assertThat(t.fwInfo().activeSlot()).as("the target was not staged").isEqualTo(1);
        }
    }

    @Test
    void coldReset_activatesAVerifiedStagedSlot() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 256))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            t.coldReset();
            FwInfo info = t.getFwInfo(Cci.MAILBOX);
            assertThat(info.activeSlot()).isEqualTo(2);
            assertThat(info.stagedSlot()).isZero();
            assertThat(imdRevision(t, Cci.MAILBOX)).isEqualTo("FW 2");
            // and back to slot 1 the same way
            assertThat(rc(t.activate(Cci.MAILBOX, ActivateFwRequest.onNextReset(1)))).isEqualTo("0000h");
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(imdRevision(t, Cci.MCTP)).isEqualTo("BWFW VERSION 0");
        }
    }

    @Test
    void coldReset_aStagedPackageFailingVerificationLosesItsMark_itsBytesStay() throws IOException {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 256))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            corruptSlot(t, 2);
            byte[] stored = Files.readAllBytes(t.device().slotFile(2).orElseThrow());
            t.coldReset();
            FwInfo info = t.fwInfo();
            assertThat(info.activeSlot()).isEqualTo(1);
            assertThat(info.stagedSlot()).isZero();
            assertThat(info.revision(2)).isEqualTo("FW 2");
            assertThat(Files.readAllBytes(t.device().slotFile(2).orElseThrow())).isEqualTo(stored);
        }
    }

    @Test
    void coldReset_clearsTransferOperationFaultsTimestampAndLimit_andSlotsSurvive() {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic()).open()) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 256))).isZero();
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.initiate(0, ByteBuffer.wrap(new byte[256])))))
                    .isEqualTo("0001h");
            t.finishBackground(Cci.MAILBOX);
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.continuePart(2, ByteBuffer.wrap(new byte[128])))))
                    .isEqualTo("0001h");
            t.send(Cci.MCTP, CommandId.SET_TIMESTAMP, new Timestamp(123_456_789L).encode());
            t.mctp(0x0004, new byte[] {8});
            t.inject(FaultSet::setMediaDisabled);
            t.inject(FaultSet::setLatePart);
            t.inject(FaultSet::setCorruptStaging);
            t.inject(f -> f.setActivationFailure(FaultSet.ActivationFailure.ROLLBACK));
            t.failOpcode(0x0200, 0x0005, 3, null);
            assertThat(t.device().faults()).hasSize(5);

            t.coldReset();

            assertThat(t.device().faults()).isEmpty();
            assertThat(t.bgStatus(Cci.MAILBOX).inProgress()).isFalse();
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.continuePart(3, ByteBuffer.wrap(new byte[128])))))
                    .as("the transfer is gone").isEqualTo("0002h");
            assertThat(Files.exists(dir.resolve("staging.bin"))).isFalse();
            assertThat(Timestamp.decode(ByteBuffer.wrap(t.send(Cci.MCTP, CommandId.GET_TIMESTAMP).output())).nanos())
                    .isZero();
            assertThat(t.mctp(0x0003, new byte[0]).payload()).containsExactly(10);
            assertThat(t.getFwInfo(Cci.MCTP).slotRevisions()).containsExactly("BWFW VERSION 0", "FW 2", "", "");
        }
    }

    @Test
    void restart_hasColdResetSemantics_andKeepsTheSlots() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 256))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.wrap(new byte[256])))))
                    .isEqualTo("0000h");
            t.mctp(0x0004, new byte[] {9});
            t.send(Cci.MCTP, CommandId.SET_TIMESTAMP, new Timestamp(5).encode());
            t.inject(FaultSet::setMediaDisabled);

            t.reopen();

            FwInfo info = t.getFwInfo(Cci.MCTP);
            assertThat(info.activeSlot()).isEqualTo(2);
            assertThat(info.stagedSlot()).isZero();
            assertThat(info.slotRevisions()).containsExactly("BWFW VERSION 0", "FW 2", "", "");
            assertThat(imdRevision(t, Cci.MAILBOX)).isEqualTo("FW 2");
            assertThat(t.device().faults()).isEmpty();
            assertThat(t.device().memoryDeviceStatus().mediaStatus()).isEqualTo(MemoryDeviceStatus.MEDIA_READY);
            assertThat(t.mctp(0x0003, new byte[0]).payload()).containsExactly(10);
            assertThat(Timestamp.decode(ByteBuffer.wrap(t.send(Cci.MCTP, CommandId.GET_TIMESTAMP).output())).nanos())
                    .isZero();
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, ByteBuffer.wrap(new byte[128])))))
                    .isEqualTo("0002h");
            // and the next restart keeps slot 2 active without staging anything
            t.reopen();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
        }
    }

    @Test
    void restart_neverReverifiesTheActiveSlot() throws IOException {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 256))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            corruptSlot(t, 2);
            t.reopen();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
            assertThat(imdRevision(t, Cci.MCTP)).isEqualTo("FW 2");
            t.coldReset();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
        }
    }

    @Test
    void restart_aStagedPackageFailingVerificationLosesItsMark() throws IOException {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 256))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            corruptSlot(t, 2);
            t.reopen();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(t.fwInfo().stagedSlot()).isZero();
            assertThat(t.fwInfo().revision(2)).isEqualTo("FW 2");
        }
    }
}
