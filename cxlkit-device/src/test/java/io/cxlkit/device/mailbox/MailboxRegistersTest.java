package io.cxlkit.device.mailbox;

import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.config.Timing;
import io.cxlkit.device.testing.ManualExecutor;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.Timestamp;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.regs.BackgroundCommandStatus;
import io.cxlkit.protocol.regs.CapabilityHeader;
import io.cxlkit.protocol.regs.MailboxCapabilities;
import io.cxlkit.protocol.regs.MailboxCommand;
import io.cxlkit.protocol.regs.MailboxControl;
import io.cxlkit.protocol.regs.MailboxStatus;
import io.cxlkit.protocol.regs.RegisterMap;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The device register block and the primary mailbox, register by register (reference.md §1). */
class MailboxRegistersTest {

    @TempDir
    Path dir;

    private static final Timing TIMING = Timing.realistic().withPartTime(Duration.ofMillis(100));

    private static long status(MailboxDevice mb) {
        return mb.read64(RegisterMap.MB_STATUS);
    }

    private static byte[] initiate() {
        return TransferFwRequest.initiate(0, ByteBuffer.allocate(128)).encode();
    }

    @Test
    void capabilityArrayAndHeaders_at000hTo03Fh() {
        try (TestDevice t = TestDevice.instant(dir)) {
            MailboxDevice mb = t.mailbox();
            assertThat(mb.read64(0x00)).as("array: ID 0, version 1, type 1, count 3").isEqualTo(0x0000_0003_0101_0000L);
            assertThat(mb.read64(0x08)).isZero();
            assertThat(mb.read64(0x10)).isEqualTo(0x0000_0100_0002_0001L);
            assertThat(mb.read64(0x18)).isEqualTo(8);
            assertThat(mb.read64(0x20)).isEqualTo(0x0000_0200_0001_0002L);
            assertThat(mb.read64(0x28)).isEqualTo(0x20 + 4096);
            assertThat(mb.read64(0x30)).isEqualTo(0x0000_0180_0001_4000L);
            assertThat(mb.read64(0x38)).isEqualTo(8);
            assertThat(CapabilityHeader.arrayCount(mb.read64(0))).isEqualTo(3);
            assertThat(CapabilityHeader.fromQwords(mb.read64(0x10), mb.read64(0x18)))
                    .isEqualTo(new CapabilityHeader(0x0001, 2, 0x100, 8));
            assertThat(CapabilityHeader.fromQwords(mb.read64(0x20), mb.read64(0x28)))
                    .isEqualTo(new CapabilityHeader(0x0002, 1, 0x200, 0x20 + 4096));
            assertThat(CapabilityHeader.fromQwords(mb.read64(0x30), mb.read64(0x38)))
                    .isEqualTo(new CapabilityHeader(0x4000, 1, 0x180, 8));
            assertThat(mb.read64(RegisterMap.EVENT_STATUS)).isZero();
            assertThat(mb.size()).isEqualTo(0x220 + 4096);
        }
    }

    @Test
    void mailboxCapabilities_payloadSizeBits5And6Type1() {
        try (TestDevice t = TestDevice.builder(dir).config(b -> b.payloadSizeExponent(8)).open()) {
            MailboxDevice mb = t.mailbox();
            long caps = mb.read(RegisterMap.MB_CAPABILITIES, 4);
            assertThat(caps).isEqualTo(8 | 1 << 5 | 1 << 6 | 1 << 19);
            assertThat(MailboxCapabilities.fromRaw(caps)).isEqualTo(new MailboxCapabilities(8, true, true, 0, 0, 1));
            assertThat(mb.read64(0x28)).isEqualTo(0x20 + 256);
            assertThat(mb.payloadSize()).isEqualTo(256);
            // read-only
            mb.write(RegisterMap.MB_CAPABILITIES, 4, 0xFFFF_FFFFL);
            assertThat(mb.read(RegisterMap.MB_CAPABILITIES, 4)).isEqualTo(caps);
            mb.write64(0x00, -1L);
            assertThat(mb.read64(0x00)).isEqualTo(0x0000_0003_0101_0000L);
        }
    }

    @Test
    void memoryDeviceStatus_mediaReadyAndMailboxReady() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.mailbox().read64(RegisterMap.MEMORY_DEVICE_STATUS)).isEqualTo(0b1_01_00);
        }
    }

    @Test
    void callerFlow_doorbellRunsTheCommand_thenClears_withStatusLengthAndOutput() {
        ManualExecutor engine = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).instant().mailboxEngine(engine).open()) {
            MailboxDevice mb = t.mailbox();
            mb.write64(RegisterMap.MB_COMMAND, new MailboxCommand(Opcode.of(0x0200), 0).toRaw());
            assertThat(mb.read64(RegisterMap.MB_COMMAND)).isEqualTo(0x0200);
            assertThat(t.doorbell()).isFalse();
            mb.write(RegisterMap.MB_CONTROL, 4, MailboxControl.DOORBELL);
            assertThat(t.doorbell()).isTrue();
            assertThat(engine.pending()).isEqualTo(1);
            engine.runAll();
            assertThat(t.doorbell()).isFalse();
            MailboxStatus st = MailboxStatus.fromRaw(status(mb));
            assertThat(st).isEqualTo(new MailboxStatus(false, 0, 0));
            MailboxCommand cmd = MailboxCommand.fromRaw(mb.read64(RegisterMap.MB_COMMAND));
            assertThat(cmd).isEqualTo(new MailboxCommand(Opcode.of(0x0200), FwInfo.SIZE));
            byte[] out = new byte[FwInfo.SIZE];
            mb.readBytes(RegisterMap.MB_PAYLOAD, ByteBuffer.wrap(out));
            assertThat(out).isEqualTo(t.fwInfo().encode());
            // an error: the return code in Status and an output length of 0
            t.mailboxSubmit(0x0202, 2, new byte[] {1, 1});
            engine.runAll();
            assertThat(MailboxStatus.fromRaw(status(mb)).returnCode()).isEqualTo(0x000B);
            assertThat(MailboxCommand.fromRaw(mb.read64(RegisterMap.MB_COMMAND)).payloadLength()).isZero();
        }
    }

    @Test
    void writesToCommandAndPayloadWhileTheDoorbellIsSet_areIgnored() {
        ManualExecutor engine = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).instant().mailboxEngine(engine).open()) {
            MailboxDevice mb = t.mailbox();
            long stamp = 0x0123_4567_89AB_CDEFL;
            t.mailboxSubmit(0x0301, 8, new Timestamp(stamp).encode());
            assertThat(t.doorbell()).isTrue();
            mb.write64(RegisterMap.MB_COMMAND, new MailboxCommand(Opcode.of(0x0300), 0).toRaw());
            mb.write(RegisterMap.MB_COMMAND, 2, 0x0200);
            mb.write64(RegisterMap.MB_PAYLOAD, 0x1111_1111_1111_1111L);
            mb.write(RegisterMap.MB_PAYLOAD, 1, 0x22);
            mb.writeBytes(RegisterMap.MB_PAYLOAD, ByteBuffer.wrap(new byte[8]));
            // the host cannot clear the doorbell either; the interrupt enables stay writable
            mb.write(RegisterMap.MB_CONTROL, 4, MailboxControl.DOORBELL_INTERRUPT_ENABLE);
            assertThat(t.doorbell()).isTrue();
            assertThat(mb.read(RegisterMap.MB_CONTROL, 4))
                    .isEqualTo(MailboxControl.DOORBELL | MailboxControl.DOORBELL_INTERRUPT_ENABLE);
            assertThat(mb.read64(RegisterMap.MB_COMMAND)).isEqualTo(new MailboxCommand(Opcode.of(0x0301), 8).toRaw());
            assertThat(mb.read64(RegisterMap.MB_PAYLOAD)).isEqualTo(stamp);
            // a second doorbell write starts nothing
            mb.write(RegisterMap.MB_CONTROL, 4, MailboxControl.DOORBELL);
            assertThat(engine.pending()).isEqualTo(1);
            engine.runAll();
            assertThat(rc(MailboxStatus.fromRaw(status(mb)).returnCode())).isEqualTo("0000h");
            t.mailboxSubmit(0x0300, 0, new byte[0]);
            engine.runAll();
            assertThat(Timestamp.decode(ByteBuffer.wrap(t.mailboxCollect().output())).nanos()).isEqualTo(stamp);
        }
    }

    @Test
    void aBackgroundCommand_clearsTheDoorbellAtOnceWith0001h_andBgCommandStatusShowsIt() {
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).open()) {
            MailboxDevice mb = t.mailbox();
            TestDevice.Reply r = t.mailbox(0x0201, initiate());
            assertThat(rc(r.returnCode())).isEqualTo("0001h");
            assertThat(t.doorbell()).isFalse();
            assertThat(MailboxStatus.fromRaw(status(mb))).isEqualTo(new MailboxStatus(true, 1, 0));
            assertThat(BackgroundCommandStatus.fromRaw(mb.read64(RegisterMap.MB_BG_COMMAND_STATUS)))
                    .isEqualTo(new BackgroundCommandStatus(Opcode.of(0x0201), 0, 0, 0));
            t.advance(Duration.ofMillis(50));
            assertThat(BackgroundCommandStatus.fromRaw(mb.read64(RegisterMap.MB_BG_COMMAND_STATUS)))
                    .isEqualTo(new BackgroundCommandStatus(Opcode.of(0x0201), 49, 0, 0));
            // other commands run meanwhile; Status bit 0 stays set
            assertThat(rc(t.mailbox(0x0200, new byte[0]).returnCode())).isEqualTo("0000h");
            assertThat(MailboxStatus.fromRaw(status(mb))).isEqualTo(new MailboxStatus(true, 0, 0));
            t.advance(Duration.ofMillis(50));
            assertThat(MailboxStatus.fromRaw(status(mb)).backgroundInProgress()).isFalse();
            assertThat(BackgroundCommandStatus.fromRaw(mb.read64(RegisterMap.MB_BG_COMMAND_STATUS)))
                    .isEqualTo(new BackgroundCommandStatus(Opcode.of(0x0201), 100, 0, 0));
        }
    }

    @Test
    void bgCommandStatus_isZeroUntilABackgroundCommandRan() {
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).open()) {
            assertThat(t.mailbox().read64(RegisterMap.MB_BG_COMMAND_STATUS)).isZero();
            assertThat(t.mailbox().read64(RegisterMap.MB_STATUS)).isZero();
            t.mailbox(0x0200, new byte[0]);
            assertThat(t.mailbox().read64(RegisterMap.MB_BG_COMMAND_STATUS)).isZero();
        }
    }

    @Test
    @Timeout(10)
    void interrupts_doorbellClearWithControlBit1() throws InterruptedException {
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).open()) {
            MailboxDevice mb = t.mailbox();
            long c0 = mb.interruptCount();
            t.mailbox(0x0200, new byte[0]);
            assertThat(mb.interruptCount()).as("disabled").isEqualTo(c0);
            t.enableInterrupts(true, false);
            t.mailbox(0x0200, new byte[0]);
            assertThat(mb.interruptCount()).isEqualTo(c0 + 1);
            assertThat(rc(t.mailbox(0x0201, initiate()).returnCode())).isEqualTo("0001h");
            assertThat(mb.interruptCount()).as("the doorbell cleared at once").isEqualTo(c0 + 2);
            t.finishBackground(Cci.MAILBOX);
            assertThat(mb.interruptCount()).as("bit 2 is clear").isEqualTo(c0 + 2);
            // awaitInterrupt returns at once when the counter has moved past lastSeen
            assertThat(mb.awaitInterrupt(c0, Duration.ofHours(1))).isEqualTo(c0 + 2);
            assertThat(mb.awaitInterrupt(c0 + 2, Duration.ZERO)).isEqualTo(c0 + 2);
        }
    }

    @Test
    @Timeout(10)
    void interrupts_backgroundCompletionAbortAndResetWithControlBit2() throws InterruptedException {
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).open()) {
            MailboxDevice mb = t.mailbox();
            t.enableInterrupts(false, true);
            long c = mb.interruptCount();
            assertThat(rc(t.mailbox(0x0201, initiate()).returnCode())).isEqualTo("0001h");
            assertThat(mb.interruptCount()).as("bit 1 is clear").isEqualTo(c);
            t.advance(Duration.ofMillis(99));
            assertThat(mb.interruptCount()).isEqualTo(c);
            t.advance(Duration.ofMillis(1));
            assertThat(mb.awaitInterrupt(c, Duration.ofHours(1))).as("completed").isEqualTo(c + 1);

            assertThat(rc(t.mailbox(0x0201,
                    TransferFwRequest.continuePart(1, ByteBuffer.allocate(128)).encode()).returnCode())).isEqualTo("0001h");
            assertThat(rc(t.mailbox(0x0005, new byte[0]).returnCode())).isEqualTo("0000h");
            assertThat(mb.interruptCount()).as("aborted").isEqualTo(c + 2);

            assertThat(rc(t.mailbox(0x0201, initiate()).returnCode())).isEqualTo("0001h");
            t.coldReset();
            assertThat(mb.interruptCount()).as("dropped by a reset").isEqualTo(c + 3);
            assertThat(MailboxStatus.fromRaw(status(mb)).backgroundInProgress()).isFalse();
            assertThat(mb.read64(RegisterMap.MB_BG_COMMAND_STATUS)).isZero();

            // an MCTP background operation is not the mailbox's
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.allocate(128)))))
                    .isEqualTo("0001h");
            t.finishBackground(Cci.MCTP);
            assertThat(mb.interruptCount()).isEqualTo(c + 3);
        }
    }

    @Test
    @Timeout(10)
    void anInterruptWaitTimesOutOnTheDevicesClockNotOnTheSystemClock() throws Exception {
        try (TestDevice t = TestDevice.instant(dir)) {
            MailboxDevice mb = t.mailbox();
            long c = mb.interruptCount();
            ExecutorService waiter = Executors.newSingleThreadExecutor();
            try {
                int before = t.clock().pendingTasks();
                var wait = waiter.submit(() -> mb.awaitInterrupt(c, Duration.ofSeconds(2)));
                while (t.clock().pendingTasks() == before) { // the wait has set its timer on the device's clock
                    Thread.onSpinWait();
                }
                t.advance(Duration.ofMillis(1999));
                assertThat(wait.isDone()).as("2 s of device time have not passed").isFalse();
                t.advance(Duration.ofMillis(1));
                assertThat(wait.get(1, TimeUnit.SECONDS)).as("timed out at once, no interrupt").isEqualTo(c);
                assertThat(t.clock().pendingTasks()).as("no timer left behind").isEqualTo(before);
            } finally {
                waiter.shutdownNow();
            }
        }
    }

    @Test
    @Timeout(20)
    void withZeroModelledTime_theDoorbellClearsOnlyAfterTheRealWork() throws Exception {
        ManualExecutor worker = new ManualExecutor();
        ExecutorService engine = Executors.newSingleThreadExecutor();
        try (TestDevice t = TestDevice.builder(dir).instant().worker(worker).mailboxEngine(engine).open()) {
            MailboxDevice mb = t.mailbox();
            t.enableInterrupts(true, false);
            long c = mb.interruptCount();
            byte[] full = TransferFwRequest.full(2, ByteBuffer.wrap(pkg("SLOW", 512))).encode();
            t.mailboxSubmit(0x0201, full.length, full);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (worker.pending() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(worker.pending()).as("the file work was queued").isEqualTo(1);
            assertThat(t.doorbell()).isTrue();
            assertThat(t.device().fwInfo().revision(2)).isEmpty();
            worker.runAll();
            assertThat(mb.awaitInterrupt(c, Duration.ofSeconds(10))).isEqualTo(c + 1);
            assertThat(t.doorbell()).isFalse();
            assertThat(rc(t.mailboxCollect().returnCode())).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(2)).isEqualTo("SLOW");
        } finally {
            engine.shutdownNow();
        }
    }

    @Test
    void misalignedOrOutOfRangeAccess_throwsIllegalArgumentException() {
        try (TestDevice t = TestDevice.instant(dir)) {
            MailboxDevice mb = t.mailbox();
            int size = mb.size();
            int[][] bad = {{0x201, 2}, {0x202, 4}, {0x204, 8}, {0x200, 3}, {0x200, 16}, {0x200, 0}, {-8, 8},
                    {size, 1}, {size - 4, 8}, {0x221, 4}};
            for (int[] b : bad) {
                assertThatThrownBy(() -> mb.read(b[0], b[1])).as("read %x/%d", b[0], b[1])
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> mb.write(b[0], b[1], 0)).as("write %x/%d", b[0], b[1])
                        .isInstanceOf(IllegalArgumentException.class);
            }
            // naturally aligned accesses everywhere are fine
            mb.read(size - 1, 1);
            mb.read(size - 8, 8);
            mb.read(0x206, 2);
        }
    }

    @Test
    void readsOf1_2_4And8BytesOfTheSameRegisterAgree() {
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).open()) {
            MailboxDevice mb = t.mailbox();
            t.enableInterrupts(true, true);
            assertThat(rc(t.mailbox(0x0201, initiate()).returnCode())).isEqualTo("0001h");
            t.advance(Duration.ofMillis(37));
            for (int q = 0; q < RegisterMap.MB_PAYLOAD + 0x60; q += 8) {
                long v = mb.read64(q);
                for (int w : new int[] {1, 2, 4}) {
                    long composed = 0;
                    for (int i = 0; i < 8; i += w) {
                        composed |= mb.read(q + i, w) << (8 * i);
                    }
                    assertThat(composed).as("qword %03Xh in %d-byte reads", q, w).isEqualTo(v);
                }
            }
            BackgroundOperationStatus s = t.bgStatus(Cci.MAILBOX);
            assertThat(s.percentComplete()).isEqualTo(36);
            assertThat(mb.read(RegisterMap.MB_BG_COMMAND_STATUS + 2, 1)).isEqualTo(36);
            assertThat(mb.read(RegisterMap.MB_CONTROL, 4)).isEqualTo(6);
            assertThat(mb.read(RegisterMap.MB_STATUS + 4, 2)).isEqualTo(1);
        }
    }

    @Test
    void commandRegister_carriesA21BitPayloadLength() {
        ManualExecutor engine = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).instant().mailboxEngine(engine).open()) {
            MailboxDevice mb = t.mailbox();
            long raw = new MailboxCommand(Opcode.of(0x0201), (1 << 21) - 1).toRaw();
            mb.write64(RegisterMap.MB_COMMAND, raw);
            assertThat(mb.read64(RegisterMap.MB_COMMAND)).isEqualTo(raw);
            mb.write(RegisterMap.MB_CONTROL, 4, MailboxControl.DOORBELL);
            engine.runAll();
            assertThat(rc(MailboxStatus.fromRaw(status(mb)).returnCode())).isEqualTo("0016h");
        }
    }

    @Test
    void abortOnTheMailbox_clearsStatusBit0() {
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).open()) {
            MailboxDevice mb = t.mailbox();
            assertThat(rc(t.mailbox(0x0201, initiate()).returnCode())).isEqualTo("0001h");
            t.advance(Duration.ofMillis(20));
            assertThat(rc(t.send(Cci.MAILBOX, CommandId.REQUEST_ABORT_BACKGROUND_OPERATION).returnCode()))
                    .isEqualTo("0000h");
            assertThat(MailboxStatus.fromRaw(status(mb)).backgroundInProgress()).isFalse();
            assertThat(BackgroundCommandStatus.fromRaw(mb.read64(RegisterMap.MB_BG_COMMAND_STATUS)))
                    .isEqualTo(new BackgroundCommandStatus(Opcode.of(0x0201), 19, 0x0012, 0));
        }
    }
}
