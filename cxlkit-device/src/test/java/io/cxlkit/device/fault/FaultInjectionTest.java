package io.cxlkit.device.fault;

import io.cxlkit.protocol.ReturnCode;
import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.regs.MemoryDeviceStatus;
import io.cxlkit.protocol.regs.RegisterMap;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Injected faults (device-behaviour.md §8). */
class FaultInjectionTest {

    @TempDir
    Path dir;

    private static ByteBuffer part(byte[] pkg, int from, int to) {
        return ByteBuffer.wrap(Arrays.copyOfRange(pkg, from, to));
    }

    private static MemoryDeviceStatus mds(TestDevice t) {
        return MemoryDeviceStatus.fromRaw(t.mailbox().read64(RegisterMap.MEMORY_DEVICE_STATUS));
    }

    @Test
    void mediaDisabled_mediaStatus11b_resetNeededCold_transferFw0007h_nothingElseChanges() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(mds(t)).isEqualTo(new MemoryDeviceStatus(false, false, 1, true, 0));
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 128))).isZero();
            t.inject(FaultSet::setMediaDisabled);
            assertThat(t.device().faults()).containsExactly("media-disabled");
            assertThat(mds(t)).isEqualTo(new MemoryDeviceStatus(false, false, 3, true, 1));
            assertThat(t.device().memoryDeviceStatus()).isEqualTo(mds(t));
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.full(2, ByteBuffer.wrap(pkg("X", 128))))))
                    .isEqualTo("0007h");
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.initiate(0, ByteBuffer.allocate(128)))))
                    .isEqualTo("0007h");
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.abort()))).isEqualTo("0000h");
            // other commands still work
            assertThat(t.getFwInfo(Cci.MAILBOX).revision(2)).isEqualTo("FW 2");
            assertThat(rc(t.send(Cci.MAILBOX, CommandId.IDENTIFY_MEMORY_DEVICE).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            // an inject --clear
            t.inject(FaultSet::clear);
            assertThat(mds(t)).isEqualTo(new MemoryDeviceStatus(false, false, 1, true, 0));
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("X", 128))).isZero();
        }
    }

    @Test
    void failOpcode_failsTheNextNMatchingCommands_withNoEffect() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.failOpcode(0x0201, 0x0006, 2, null);
            assertThat(t.device().faults()).containsExactly("fail-opcode 0201h rc 0006h count 2 cci any");
            FwInfo before = t.fwInfo();
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.full(2, ByteBuffer.wrap(pkg("A", 128))))))
                    .isEqualTo("0006h");
            assertThat(t.device().faults()).containsExactly("fail-opcode 0201h rc 0006h count 1 cci any");
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.initiate(0, ByteBuffer.allocate(128)))))
                    .isEqualTo("0006h");
            assertThat(t.device().faults()).isEmpty();
            assertThat(t.fwInfo()).isEqualTo(before);
            // the Initiate had no effect: no transfer is open
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.continuePart(1, ByteBuffer.allocate(128)))))
                    .isEqualTo("0002h");
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("A", 128))).isZero();
        }
    }

    @Test
    void failOpcode_acceptsReturnCodes0002hTo0020hAndAPositiveCount() {
        Opcode op = Opcode.of(0x0200);
        assertThatThrownBy(() -> new FaultSet.FailOpcode(op, ReturnCode.SUCCESS, 1, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultSet.FailOpcode(op, ReturnCode.BACKGROUND_COMMAND_STARTED, 1,
                Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessage(
                        "fail-opcode return code must be 0002h..0020h");
        assertThatThrownBy(() -> ReturnCode.parse("0021h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultSet.FailOpcode(op, ReturnCode.INVALID_INPUT, 0, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new FaultSet.FailOpcode(op, ReturnCode.INVALID_INPUT, 1, Optional.empty()).returnCode())
                .isEqualTo(ReturnCode.INVALID_INPUT);
        assertThat(new FaultSet.FailOpcode(op, ReturnCode.REQUEST_ABORT_NOT_SUPPORTED, 1, Optional.of(Cci.MAILBOX))
                .cci()).contains(Cci.MAILBOX);
        assertThat(FaultSet.FIRST_INJECTABLE.value()).isEqualTo(0x0002);
        assertThat(FaultSet.LAST_INJECTABLE.value()).isEqualTo(0x0020);
    }

    @Test
    void activationFail_affectsTheNextOnlineActivationOnly() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 128))).isZero();
            t.inject(f -> f.setActivationFailure(FaultSet.ActivationFailure.ROLLBACK));
            assertThat(t.device().faults()).containsExactly("activation-fail rollback");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            assertThat(t.device().faults()).containsExactly("activation-fail rollback");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("000Ch");
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(t.fwInfo().stagedSlot()).as("rollback leaves the staged mark").isEqualTo(2);
            t.inject(f -> f.setActivationFailure(FaultSet.ActivationFailure.COLD_RESET));
            assertThat(t.device().faults()).containsExactly("activation-fail cold-reset");
            assertThat(rc(t.activate(Cci.MAILBOX, ActivateFwRequest.online(2)))).isEqualTo("000Dh");
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(t.fwInfo().stagedSlot()).isZero();
            assertThat(t.device().faults()).isEmpty();
        }
    }

    @Test
    void corruptStaging_theNextFullFailsVerification_000Ah_noSlotChanges() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("OLD", 128))).isZero();
            FwInfo before = t.fwInfo();
            t.inject(FaultSet::setCorruptStaging);
            assertThat(t.device().faults()).containsExactly("corrupt-staging");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.full(2, ByteBuffer.wrap(pkg("NEW", 128))))))
                    .isEqualTo("000Ah");
            assertThat(t.fwInfo()).isEqualTo(before);
            assertThat(t.device().faults()).isEmpty();
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("NEW", 128))).isZero();
        }
    }

    @Test
    void corruptStaging_waitsForTheEnd_ofAMultiPartTransfer() {
        byte[] pkg = pkg("MULTI", 512);
        try (TestDevice t = TestDevice.instant(dir)) {
            t.inject(FaultSet::setCorruptStaging);
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.initiate(0, part(pkg, 0, 256))))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.continuePart(2, part(pkg, 256, 512)))))
                    .isEqualTo("0000h");
            assertThat(t.device().faults()).containsExactly("corrupt-staging");
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.end(2, 4, part(pkg, 512, 640))))).isEqualTo("000Ah");
            assertThat(t.fwInfo().revision(2)).isEmpty();
        }
    }

    @Test
    void latePart_theNextContinueFindsItsTransferExpired_0002h_andAborted() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.allocate(256)))))
                    .isEqualTo("0000h");
            t.inject(FaultSet::setLatePart);
            assertThat(t.device().faults()).containsExactly("late-part");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, ByteBuffer.allocate(128)))))
                    .isEqualTo("0002h");
            assertThat(t.device().faults()).isEmpty();
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, ByteBuffer.allocate(128)))))
                    .as("the transfer is gone").isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.initiate(0, ByteBuffer.allocate(128)))))
                    .isEqualTo("0000h");
        }
    }

    @Test
    void latePart_isUsedUpOnlyByAPartOfTheCciOwningTheOpenTransfer() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.inject(FaultSet::setLatePart);
            // no transfer open: nothing to expire
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, ByteBuffer.allocate(128)))))
                    .isEqualTo("0002h");
            assertThat(t.device().faults()).containsExactly("late-part");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.allocate(256)))))
                    .isEqualTo("0000h");
            // a part from the other CCI is refused (0008h) and leaves the fault and the transfer alone
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.continuePart(2, ByteBuffer.allocate(128)))))
                    .isEqualTo("0008h");
            assertThat(t.device().faults()).containsExactly("late-part");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, ByteBuffer.allocate(128)))))
                    .isEqualTo("0002h");
            assertThat(t.device().faults()).isEmpty();
        }
    }

    @Test
    void latePart_appliesToEndToo() {
        byte[] pkg = pkg("LATE", 256);
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, part(pkg, 0, 256))))).isEqualTo("0000h");
            t.inject(FaultSet::setLatePart);
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 2, part(pkg, 256, 384))))).isEqualTo("0002h");
            assertThat(t.fwInfo().revision(2)).isEmpty();
            assertThat(t.upload(Cci.MCTP, 2, pkg, 256)).isZero();
        }
    }

    private static void injectEverything(TestDevice t) {
        t.inject(FaultSet::setMediaDisabled);
        t.inject(FaultSet::setLatePart);
        t.inject(FaultSet::setCorruptStaging);
        t.inject(f -> f.setActivationFailure(FaultSet.ActivationFailure.COLD_RESET));
        t.failOpcode(0x0200, 0x0004, 5, Cci.MAILBOX);
        assertThat(t.device().faults()).hasSize(5);
    }

    private static void assertNoFaultActs(TestDevice t) {
        assertThat(t.device().faults()).isEmpty();
        assertThat(mds(t)).isEqualTo(new MemoryDeviceStatus(false, false, 1, true, 0));
        assertThat(rc(t.send(Cci.MAILBOX, CommandId.GET_FW_INFO).returnCode())).isEqualTo("0000h");
        byte[] pkg = pkg("AFTER", 256);
        assertThat(t.upload(Cci.MCTP, 2, pkg, 256)).isZero();
        assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
        assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
    }

    @Test
    void faults_areClearedByAColdReset() {
        try (TestDevice t = TestDevice.instant(dir)) {
            injectEverything(t);
            t.coldReset();
            assertNoFaultActs(t);
        }
    }

    @Test
    void faults_areClearedByARestart_neverPersisted() {
        try (TestDevice t = TestDevice.instant(dir)) {
            injectEverything(t);
            t.reopen();
            assertNoFaultActs(t);
        }
    }

    @Test
    void faults_areClearedByInjectClear() {
        try (TestDevice t = TestDevice.instant(dir)) {
            injectEverything(t);
            t.inject(FaultSet::clear);
            assertThat(t.device().withFaults(FaultSet::isEmpty)).isTrue();
            assertNoFaultActs(t);
        }
    }

    @Test
    void withFaults_notifiesStateListeners() {
        try (TestDevice t = TestDevice.instant(dir)) {
            int[] calls = {0};
            Consumer<io.cxlkit.device.CxlDevice> listener = d -> calls[0]++;
            t.device().addStateListener(listener);
            t.inject(FaultSet::setMediaDisabled);
            assertThat(calls[0]).isEqualTo(1);
        }
    }
}
