package io.cxlkit.device.command;

import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.Timing;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The dispatch checks of device-behaviour.md §1, in their order; the first failure decides. */
class DispatchTest {

    @TempDir
    Path dir;

    private static final int[] UNKNOWN = {0x0000, 0x0006, 0x0104, 0x0203, 0x0302, 0x0404, 0x4001, 0x4205, 0xFFFF};

    @ParameterizedTest
    @EnumSource(Cci.class)
    void check1_unknownOpcode_0003h_whateverTheLength(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            for (int op : UNKNOWN) {
                assertThat(rc(t.send(cci, op, new byte[0]).returnCode())).as("%04Xh, 0 bytes", op).isEqualTo("0003h");
                assertThat(rc(t.send(cci, op, new byte[3]).returnCode())).as("%04Xh, 3 bytes", op).isEqualTo("0003h");
            }
            // above the CCI's limit, too
            for (int op : UNKNOWN) {
                if (cci == Cci.MCTP) {
                    assertThat(rc(t.mctp(op, new byte[1025]).returnCode())).isEqualTo("0003h");
                    assertThat(rc(t.device().mctp().rejectOversized(1, Opcode.of(op), 1 << 20).returnCode()))
                            .isEqualTo("0003h");
                } else {
                    t.mailboxSubmit(op, 4097, new byte[0]);
                    assertThat(rc(t.mailboxCollect().returnCode())).isEqualTo("0003h");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void check2_inputLengthBreaksTheTableRule_0016h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.send(cci, 0x0200, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0201, new byte[0x7F]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0201, new byte[0]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0202, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0202, new byte[3]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0005, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0300, new byte[8]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0301, new byte[7]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0301, new byte[9]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0400, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0401, new byte[0x17]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0401, new byte[0x19]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x4000, new byte[1]).returnCode())).isEqualTo("0016h");
            // the MCTP-only commands: a bad length is 0016h even on the mailbox (check 2 before 3)
            assertThat(rc(t.send(cci, 0x0001, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0002, new byte[2]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0003, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0004, new byte[0]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0004, new byte[2]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, 0x0405, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(t.fwInfo().revision(2)).isEmpty();
        }
    }

    @Test
    void check2_mailboxPayloadLengthAbovePayloadSize_0016h() {
        try (TestDevice t = TestDevice.instant(dir)) {
            byte[] full = TransferFwRequest.full(2, ByteBuffer.wrap(new byte[4096 - 128])).encode();
            // a Transfer FW of exactly the payload size passes the length checks (then fails verification)
            assertThat(rc(t.mailbox(0x0201, full).returnCode())).isEqualTo("000Ah");
            t.mailboxSubmit(0x0201, 4097, full);
            assertThat(rc(t.mailboxCollect().returnCode())).isEqualTo("0016h");
            t.mailboxSubmit(0x0201, (1 << 21) - 1, full);
            assertThat(rc(t.mailboxCollect().returnCode())).isEqualTo("0016h");
        }
    }

    @Test
    void check2_mctpPayloadAbove2n_0016h() {
        try (TestDevice t = TestDevice.instant(dir)) {
            byte[] atLimit = TransferFwRequest.full(2, ByteBuffer.wrap(new byte[1024 - 128])).encode();
            assertThat(rc(t.mctp(0x0201, atLimit).returnCode())).isEqualTo("000Ah");
            byte[] above = TransferFwRequest.full(2, ByteBuffer.wrap(new byte[1025 - 128])).encode();
            assertThat(rc(t.mctp(0x0201, above).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.device().mctp().rejectOversized(7, Opcode.of(0x0201), 1 << 20).returnCode()))
                    .isEqualTo("0016h");
            // an MCTP-only command above the limit: length (check 2) before anything else
            assertThat(rc(t.mctp(0x0001, new byte[2000]).returnCode())).isEqualTo("0016h");
        }
    }

    @Test
    void check2_mctpLimitFollowsTheConfiguredExponent() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(b -> b.mctpMessageSizeExponent(12)).open()) {
            byte[] pkg = pkg("BIG MCTP", 2048);
            assertThat(pkg.length + 128).isLessThanOrEqualTo(4096);
            assertThat(rc(t.mctp(0x0201, TransferFwRequest.full(2, ByteBuffer.wrap(pkg)).encode()).returnCode()))
                    .isEqualTo("0000h");
            assertThat(rc(t.mctp(0x0201, new byte[4097]).returnCode())).isEqualTo("0016h");
        }
    }

    @Test
    void check3_commandNotOfferedOnTheMailbox_0015h() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.mailbox(0x0001, new byte[0]).returnCode())).isEqualTo("0015h");
            assertThat(rc(t.mailbox(0x0002, new byte[0]).returnCode())).isEqualTo("0015h");
            assertThat(rc(t.mailbox(0x0003, new byte[0]).returnCode())).isEqualTo("0015h");
            assertThat(rc(t.mailbox(0x0004, new byte[] {8}).returnCode())).isEqualTo("0015h");
            assertThat(rc(t.mailbox(0x0405, new byte[] {1, 0}).returnCode())).isEqualTo("0015h");
            // Set Response Message Limit had no effect
            assertThat(t.mctp(0x0003, new byte[0]).payload()).containsExactly(10);
            // the same commands answer on MCTP
            for (int op : new int[] {0x0001, 0x0002, 0x0003}) {
                assertThat(rc(t.mctp(op, new byte[0]).returnCode())).isEqualTo("0000h");
            }
        }
    }

    @Test
    void check4_injectedFailure_returnsItsCodeWithNoEffect_andIsConsumed() {
        try (TestDevice t = TestDevice.instant(dir)) {
            byte[] pkg = pkg("FW 1", 512);
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg)).isZero();
            t.failOpcode(0x0202, 0x0005, 2, null);
            FwInfo before = t.fwInfo();
            assertThat(rc(t.activate(Cci.MAILBOX, ActivateFwRequest.onNextReset(2)))).isEqualTo("0005h");
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0005h");
            assertThat(t.fwInfo()).isEqualTo(before);
            assertThat(t.device().faults()).isEmpty();
            assertThat(rc(t.activate(Cci.MAILBOX, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            assertThat(t.fwInfo().stagedSlot()).isEqualTo(2);
        }
    }

    @Test
    void check4_injectedFailure_comesAfterUnknownOpcodeLengthAndCci_andIsNotConsumedByThem() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.failOpcode(0x0001, 0x0004, 1, null);
            t.failOpcode(0x0200, 0x0004, 1, null);
            assertThat(rc(t.mailbox(0x0001, new byte[0]).returnCode())).isEqualTo("0015h");
            assertThat(rc(t.mailbox(0x0200, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(t.device().faults()).hasSize(2);
            assertThat(rc(t.mctp(0x0001, new byte[0]).returnCode())).isEqualTo("0004h");
            assertThat(rc(t.mailbox(0x0200, new byte[0]).returnCode())).isEqualTo("0004h");
            assertThat(t.device().faults()).isEmpty();
            assertThat(rc(t.mctp(0x0001, new byte[0]).returnCode())).isEqualTo("0000h");
        }
    }

    @Test
    void check4_injectedFailure_honoursItsCciFilter() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.failOpcode(0x0200, 0x0006, 1, Cci.MCTP);
            assertThat(rc(t.mailbox(0x0200, new byte[0]).returnCode())).isEqualTo("0000h");
            assertThat(t.device().faults()).containsExactly("fail-opcode 0200h rc 0006h count 1 cci mctp");
            assertThat(rc(t.mctp(0x0200, new byte[0]).returnCode())).isEqualTo("0006h");
            assertThat(rc(t.mctp(0x0200, new byte[0]).returnCode())).isEqualTo("0000h");

            t.failOpcode(0x0300, 0x0002, 1, Cci.MAILBOX);
            assertThat(rc(t.mctp(0x0300, new byte[0]).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.mailbox(0x0300, new byte[0]).returnCode())).isEqualTo("0002h");
        }
    }

    @Test
    void check4_injectedFailure_comesBeforeBusyAndTheCommandsOwnChecks() {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic().withPartTime(Duration.ofSeconds(1)))
                .open()) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.wrap(new byte[128])))))
                    .isEqualTo("0001h");
            t.failOpcode(0x0201, 0x0013, 1, null);
            // a Transfer FW that would be 0006h (busy) gets the injected code first
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.abort()))).isEqualTo("0013h");
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.abort()))).isEqualTo("0006h");
            t.finishBackground(Cci.MCTP);
            // and before the command's own checks (an unknown action would be 0002h)
            t.failOpcode(0x0201, 0x0011, 1, null);
            byte[] badAction = new TransferFwRequest(9, 0, 0, ByteBuffer.allocate(0)).encode();
            assertThat(rc(t.mctp(0x0201, badAction).returnCode())).isEqualTo("0011h");
            assertThat(rc(t.mctp(0x0201, badAction).returnCode())).isEqualTo("0002h");
        }
    }

    @Test
    void check5_backgroundCommandWhileABackgroundOperationRuns_0006h_onEitherCci() {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic().withPartTime(Duration.ofSeconds(1)))
                .open()) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.wrap(new byte[128])))))
                    .isEqualTo("0001h");
            for (Cci cci : Cci.values()) {
                assertThat(rc(t.transfer(cci, TransferFwRequest.continuePart(1, ByteBuffer.wrap(new byte[128])))))
                        .as("0201h on %s", cci).isEqualTo("0006h");
                assertThat(rc(t.transfer(cci, TransferFwRequest.abort()))).isEqualTo("0006h");
                // busy comes before the command's own checks
                assertThat(rc(t.send(cci, 0x0202, new byte[] {7, 0}).returnCode())).as("0202h on %s", cci)
                        .isEqualTo("0006h");
                // commands that are not Background-flagged still answer
                assertThat(rc(t.send(cci, CommandId.GET_FW_INFO).returnCode())).isEqualTo("0000h");
                assertThat(rc(t.send(cci, CommandId.GET_TIMESTAMP).returnCode())).isEqualTo("0000h");
            }
            assertThat(t.bgStatus(Cci.MCTP).inProgress()).isTrue();
            assertThat(t.finishBackground(Cci.MCTP)).isZero();
            // the transfer went on: the next part is accepted
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(1, ByteBuffer.wrap(new byte[128])))))
                    .isEqualTo("0001h");
        }
    }

    @Test
    void check6_theCommandsOwnChecksComeLast() {
        try (TestDevice t = TestDevice.instant(dir)) {
            CciMessage r = t.mctp(0x0202, new byte[] {2, 2});
            assertThat(rc(r.returnCode())).isEqualTo("0002h");
            assertThat(rc(t.mctp(0x0202, new byte[] {1, 2}).returnCode())).isEqualTo("000Bh");
        }
    }
}
