package io.cxlkit.device;

import io.cxlkit.device.config.Timing;
import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.testing.ManualExecutor;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Background operations and time (device-behaviour.md §2). */
class BackgroundOperationTest {

    /** P = 100 ms, F = 1 s (End = P + F = 1.1 s), online activation 500 ms. */
    static final Timing TIMING = Timing.realistic().withPartTime(Duration.ofMillis(100))
            .withFullTime(Duration.ofSeconds(1)).withActivateTime(Duration.ofMillis(500));
    static final Opcode TRANSFER_FW = CommandId.TRANSFER_FW.opcode();
    static final BackgroundOperationStatus NOTHING = new BackgroundOperationStatus(false, 0, Opcode.of(0), 0, 0);

    @TempDir
    Path dir;

    private TestDevice open() {
        return TestDevice.builder(dir).timing(TIMING).open();
    }

    private static TransferFwRequest initiate(int bytes) {
        return TransferFwRequest.initiate(0, ByteBuffer.wrap(new byte[bytes]));
    }

    private static TransferFwRequest continuePart(long offsetUnits, int bytes) {
        return TransferFwRequest.continuePart(offsetUnits, ByteBuffer.wrap(new byte[bytes]));
    }

    private static BackgroundOperationStatus running(int pct) {
        return new BackgroundOperationStatus(true, pct, TRANSFER_FW, 0, 0);
    }

    private static BackgroundOperationStatus done(Opcode op, int pct, String rc) {
        return new BackgroundOperationStatus(false, pct, op, Integer.parseInt(rc.substring(0, 4), 16), 0);
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void aCommandWithModelledTime_answers0001h_withTheBackgroundFlagExactlyThen(Cci cci) {
        try (TestDevice t = open()) {
            TestDevice.Reply r = t.send(cci, CommandId.TRANSFER_FW, initiate(128).encode());
            assertThat(rc(r.returnCode())).isEqualTo("0001h");
            assertThat(r.backgroundFlag()).isTrue();
            TestDevice.Reply info = t.send(cci, CommandId.GET_FW_INFO);
            assertThat(rc(info.returnCode())).isEqualTo("0000h");
            if (cci == Cci.MCTP) {
                assertThat(info.backgroundFlag()).as("BO only with 0001h").isFalse();
            }
            assertThat(t.finishBackground(cci)).isZero();
            TestDevice.Reply after = t.send(cci, CommandId.GET_FW_INFO);
            assertThat(after.backgroundFlag()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void aCommandWithZeroModelledTime_completesSynchronouslyWithItsFinalCode(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            byte[] bad = pkg("BAD", 256);
            bad[200] ^= 1;
            TestDevice.Reply r = t.send(cci, CommandId.TRANSFER_FW, TransferFwRequest.full(2, ByteBuffer.wrap(bad)).encode());
            assertThat(rc(r.returnCode())).isEqualTo("000Ah");
            assertThat(r.backgroundFlag()).isFalse();
            assertThat(t.bgStatus(cci)).as("no background record").isEqualTo(NOTHING);
            TestDevice.Reply ok = t.send(cci, CommandId.TRANSFER_FW,
                    TransferFwRequest.full(2, ByteBuffer.wrap(pkg("GOOD", 256))).encode());
            assertThat(rc(ok.returnCode())).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(2)).isEqualTo("GOOD");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void percentageComplete_isFloorOf99TimesElapsedOverDuration_and100OnlyAtCompletion(Cci cci) {
        try (TestDevice t = open()) {
            assertThat(rc(t.transfer(cci, initiate(128)))).isEqualTo("0001h");
            assertThat(t.bgStatus(cci)).isEqualTo(running(0));
            t.advance(Duration.ofMillis(1));
            assertThat(t.bgStatus(cci)).isEqualTo(running(0));
            t.advance(Duration.ofMillis(49));
            assertThat(t.bgStatus(cci)).isEqualTo(running(49));
            t.advance(Duration.ofNanos(99_999_999 - 50_000_000));
            assertThat(t.bgStatus(cci)).isEqualTo(running(98));
            t.advance(Duration.ofNanos(1));
            assertThat(t.bgStatus(cci)).isEqualTo(done(TRANSFER_FW, 100, "0000h"));
        }
    }

    @Test
    void realisticPartTime_isOneMillisecondPlusDataOver256MiBPerSecond() {
        try (TestDevice t = TestDevice.open(dir)) {
            long p = 1_000_000 + 128L * 1_000_000_000 / (256L << 20);
            assertThat(rc(t.transfer(Cci.MCTP, initiate(128)))).isEqualTo("0001h");
            t.advance(Duration.ofNanos(p - 1));
            assertThat(t.bgStatus(Cci.MCTP)).isEqualTo(running((int) (99 * (p - 1) / p)));
            t.advance(Duration.ofNanos(1));
            assertThat(t.bgStatus(Cci.MCTP)).isEqualTo(done(TRANSFER_FW, 100, "0000h"));
        }
    }

    @Test
    void completion_waitsForTheRealWorkPastTheDeadline_whileQueriesAreAnswered() {
        ManualExecutor worker = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).worker(worker).open()) {
            assertThat(rc(t.transfer(Cci.MCTP, initiate(128)))).isEqualTo("0001h");
            assertThat(worker.pending()).isEqualTo(1);
            t.advance(Duration.ofMillis(100));
            assertThat(t.bgStatus(Cci.MCTP)).isEqualTo(running(99));
            t.advance(Duration.ofSeconds(10));
            assertThat(t.bgStatus(Cci.MCTP)).isEqualTo(running(99));
            assertThat(rc(t.send(Cci.MCTP, CommandId.GET_FW_INFO).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.send(Cci.MAILBOX, CommandId.GET_FW_INFO).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MAILBOX, continuePart(1, 128)))).isEqualTo("0006h");
            worker.runAll();
            assertThat(t.bgStatus(Cci.MCTP)).isEqualTo(done(TRANSFER_FW, 100, "0000h"));
            assertThat(rc(t.transfer(Cci.MCTP, continuePart(1, 128)))).isEqualTo("0001h");
        }
    }

    @Test
    void completion_waitsForTheDeadlineWhenTheWorkIsDoneFirst() {
        ManualExecutor worker = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).worker(worker).open()) {
            assertThat(rc(t.transfer(Cci.MCTP, initiate(128)))).isEqualTo("0001h");
            worker.runAll();
            t.advance(Duration.ofNanos(100_000_000 - 1));
            assertThat(t.bgStatus(Cci.MCTP)).isEqualTo(running(98));
            t.advance(Duration.ofNanos(1));
            // the deadline hands completion to the worker (it may commit files), at the deadline instant
            assertThat(worker.pending()).isEqualTo(1);
            worker.runAll();
            assertThat(t.bgStatus(Cci.MCTP)).isEqualTo(done(TRANSFER_FW, 100, "0000h"));
        }
    }

    @Test
    void effects_takePlaceAtTheCompletionInstantOnly() {
        ManualExecutor worker = new ManualExecutor();
        byte[] pkg = pkg("FW 2", 512); // 640 bytes: Initiate 512 + End 128
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).worker(worker).open()) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.wrap(pkg, 0, 512)))))
                    .isEqualTo("0001h");
            worker.runAll();
            t.advance(Duration.ofMillis(100));
            worker.runAll(); // the Initiate's completion
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 4, ByteBuffer.wrap(pkg, 512, 128)))))
                    .isEqualTo("0001h");
            FwInfo before = t.fwInfo();
            worker.runAll(); // the package is written and verified, but the slot changes only at 1.1 s
            t.advance(Duration.ofNanos(1_100_000_000 - 1));
            assertThat(t.fwInfo()).isEqualTo(before);
            assertThat(t.fwInfo().revision(2)).isEmpty();
            assertThat(worker.pending()).isZero();
            t.advance(Duration.ofNanos(1));
            worker.runAll(); // completion, handed to the worker at the deadline
            assertThat(t.fwInfo().revision(2)).isEqualTo("FW 2");
            assertThat(t.bgStatus(Cci.MCTP)).isEqualTo(done(TRANSFER_FW, 100, "0000h"));

            // online activation: the slot becomes active at 500 ms, not before
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0001h");
            worker.runAll();
            t.advance(Duration.ofNanos(500_000_000 - 1));
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(worker.pending()).isZero();
            t.advance(Duration.ofNanos(1));
            worker.runAll();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void bgStatus_belongsToTheOwningCci_theOtherSeesNothingRunning(Cci owner) {
        Cci other = owner == Cci.MCTP ? Cci.MAILBOX : Cci.MCTP;
        try (TestDevice t = open()) {
            assertThat(rc(t.transfer(owner, initiate(128)))).isEqualTo("0001h");
            t.advance(Duration.ofMillis(10));
            assertThat(t.bgStatus(owner)).isEqualTo(running(9));
            assertThat(t.bgStatus(other)).isEqualTo(NOTHING);
            assertThat(rc(t.requestAbort(other))).isEqualTo("0000h");
            assertThat(t.bgStatus(owner)).isEqualTo(running(9));
            t.advance(Duration.ofMillis(90));
            assertThat(t.bgStatus(owner)).isEqualTo(done(TRANSFER_FW, 100, "0000h"));
            assertThat(t.bgStatus(other)).isEqualTo(NOTHING);
            // the record stays through other commands, until the next background command on that CCI
            t.send(owner, CommandId.GET_FW_INFO);
            t.send(owner, CommandId.GET_TIMESTAMP);
            assertThat(t.bgStatus(owner)).isEqualTo(done(TRANSFER_FW, 100, "0000h"));
            assertThat(rc(t.transfer(owner, continuePart(1, 256)))).isEqualTo("0001h");
            assertThat(t.bgStatus(owner)).isEqualTo(running(0));
            t.finishBackground(owner);
            t.coldReset();
            assertThat(t.bgStatus(owner)).isEqualTo(NOTHING);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void requestAbort_ofATransferPart_stopsIt_0012h_andAbortsTheWholeTransfer(Cci cci) {
        try (TestDevice t = open()) {
            assertThat(rc(t.transfer(cci, initiate(256)))).isEqualTo("0001h");
            assertThat(t.finishBackground(cci)).isZero();
            FwInfo before = t.fwInfo();
            assertThat(rc(t.transfer(cci, continuePart(2, 128)))).isEqualTo("0001h");
            t.advance(Duration.ofMillis(30));
            assertThat(rc(t.requestAbort(cci))).isEqualTo("0000h");
            assertThat(t.bgStatus(cci)).isEqualTo(done(TRANSFER_FW, 29, "0012h"));
            assertThat(Files.exists(dir.resolve("staging.bin"))).as("staging discarded").isFalse();
            assertThat(t.fwInfo()).isEqualTo(before);
            // the whole transfer is gone: neither the next part nor the aborted one is accepted
            assertThat(rc(t.transfer(cci, continuePart(3, 128)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(cci, continuePart(2, 128)))).isEqualTo("0002h");
            // nothing completes later
            t.advance(Duration.ofSeconds(1));
            assertThat(t.bgStatus(cci)).isEqualTo(done(TRANSFER_FW, 29, "0012h"));
            // and a new transfer can start
            assertThat(rc(t.transfer(cci, initiate(128)))).isEqualTo("0001h");
        }
    }

    @Test
    void requestAbort_ofAFullTransfer_changesNoSlot() {
        try (TestDevice t = open()) {
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.full(2, ByteBuffer.wrap(pkg("FULL", 512))))))
                    .isEqualTo("0001h");
            t.advance(Duration.ofMillis(999));
            assertThat(rc(t.requestAbort(Cci.MAILBOX))).isEqualTo("0000h");
            assertThat(t.bgStatus(Cci.MAILBOX)).isEqualTo(done(TRANSFER_FW, 98, "0012h"));
            t.advance(Duration.ofSeconds(5));
            assertThat(t.fwInfo().revision(2)).isEmpty();
            assertThat(Files.exists(dir.resolve("slot-2.pkg"))).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void requestAbort_duringOnlineActivation_0020h_andItContinues(Cci cci) {
        try (TestDevice t = open()) {
            assertThat(t.uploadFull(cci, 2, pkg("FW 2", 256))).isZero();
            assertThat(rc(t.activate(cci, ActivateFwRequest.online(2)))).isEqualTo("0001h");
            t.advance(Duration.ofMillis(100));
            assertThat(rc(t.requestAbort(cci))).isEqualTo("0020h");
            assertThat(t.bgStatus(cci).inProgress()).isTrue();
            t.advance(Duration.ofMillis(400));
            assertThat(t.bgStatus(cci)).isEqualTo(done(CommandId.ACTIVATE_FW.opcode(), 100, "0000h"));
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
        }
    }

    @Test
    void requestAbort_afterTheCompletionInstantPassed_completesFirstAndAnswers0000h() {
        try (TestDevice t = open()) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("FW 2", 256))).isZero();
            // a task due at the very instant the Full completes, scheduled before the device's own task
            List<String> seen = new ArrayList<>();
            long deadline = t.clock().nanoTime() + 1_000_000_000L;
            t.clock().schedule(deadline, () -> {
                seen.add(rc(t.requestAbort(Cci.MCTP)));
                seen.add(t.bgStatus(Cci.MCTP).toString());
            });
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.full(2, ByteBuffer.wrap(pkg("FW 3", 256))))))
                    .isEqualTo("0001h");
            t.advance(Duration.ofSeconds(1));
            assertThat(seen).containsExactly("0000h", done(TRANSFER_FW, 100, "0000h").toString());
            assertThat(t.fwInfo().revision(2)).isEqualTo("FW 3");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void requestAbort_withNothingRunning_0000h(Cci cci) {
        try (TestDevice t = open()) {
            assertThat(rc(t.requestAbort(cci))).isEqualTo("0000h");
            assertThat(t.bgStatus(cci)).isEqualTo(NOTHING);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void aReset_dropsTheRunningOperation_withNoEffect_andZeroesTheBgStatus(Cci cci) {
        try (TestDevice t = open()) {
            assertThat(t.uploadFull(cci, 2, pkg("FW 2", 256))).isZero();
            assertThat(rc(t.transfer(cci, TransferFwRequest.full(2, ByteBuffer.wrap(pkg("FW 3", 256))))))
                    .isEqualTo("0001h");
            t.advance(Duration.ofMillis(500));
            t.coldReset();
            assertThat(t.bgStatus(Cci.MCTP)).isEqualTo(NOTHING);
            assertThat(t.bgStatus(Cci.MAILBOX)).isEqualTo(NOTHING);
            t.advance(Duration.ofSeconds(5));
            assertThat(t.fwInfo().revision(2)).isEqualTo("FW 2");

            assertThat(rc(t.activate(cci, ActivateFwRequest.online(2)))).isEqualTo("0001h");
            t.advance(Duration.ofMillis(100));
            t.coldReset();
            t.advance(Duration.ofSeconds(5));
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
            assertThat(t.bgStatus(cci)).isEqualTo(NOTHING);
        }
    }
}
