package io.cxlkit.host.cci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.regs.MailboxCommand;
import io.cxlkit.protocol.regs.MailboxControl;
import io.cxlkit.protocol.regs.MailboxStatus;
import io.cxlkit.protocol.regs.RegisterMap;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The register-level transport against the real device register model on a virtual clock
 * (reference.md §1): the caller flow, interrupt-driven waits, and the 2 s / 30 s limits, all
 * without sleeping.
 */
class MailboxTransportTest {

    private static final Duration STEP = Duration.ofMillis(1);
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private final VirtualClock clock = new VirtualClock();
    private CxlDevice device;
    private VirtualTimeRegisters regs;
    private MailboxTransport transport;
    private CciClient client;

    /** An executor that holds mailbox commands until the test runs them. */
    private static final class HeldExecutor implements Executor {
        final Deque<Runnable> queue = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable r) {
            queue.add(r);
        }

        void runAll() {
            Runnable r;
            while ((r = poll()) != null) {
                r.run();
            }
        }

        private synchronized Runnable poll() {
            return queue.poll();
        }
    }

    private void open(DeviceConfig config, Executor mailboxEngine) throws Exception {
        device = CxlDevice.open(config, dir.resolve("mem0"), clock, DeviceThreads.inline().withMailboxEngine(mailboxEngine),
                CrashHook.NONE, new PolicyChecker());
        regs = new VirtualTimeRegisters(device.mailbox(), clock, STEP);
        transport = new MailboxTransport(regs, clock::nanoTime, "mem0");
        client = new CciClient(transport);
        regs.resetCounts();
    }

    private void open(DeviceConfig config) throws Exception {
        open(config, Runnable::run);
    }

    private static DeviceConfig defaults() {
        return DeviceConfig.defaults(0);
    }

    @AfterEach
    void close() {
        if (device != null) {
            device.close();
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    // ---- the caller flow ----

    @Test
    void getFwInfoReturnsTheFactorySlotInfo() throws Exception {
        open(defaults());

        FwInfo info = client.getFwInfo();

        assertThat(info.slotsSupported()).isEqualTo(2);
        assertThat(info.activeSlot()).isEqualTo(1);
        assertThat(info.stagedSlot()).isZero();
        assertThat(info.onlineActivationSupported()).isTrue();
        assertThat(info.revision(1)).isEqualTo(FirmwarePackage.FACTORY_REVISION);
        assertThat(info.revision(2)).isEmpty();
    }

    @Test
    void identifyMemoryDeviceReportsTheActiveRevisionAndCapacity() throws Exception {
        open(defaults());

        IdentifyMemoryDevice id = client.identifyMemoryDevice();

        assertThat(id.fwRevision()).isEqualTo("BWFW VERSION 0");
        assertThat(id.totalCapacity()).isEqualTo(4); // 1 GiB persistent in 256 MiB units
        assertThat(id.persistentOnlyCapacity()).isEqualTo(4);
        assertThat(id.volatileOnlyCapacity()).isZero();
    }

    @Test
    void theTransportEnablesBothInterruptsAndLeavesTheDoorbellClear() throws Exception {
        open(defaults());

        client.getFwInfo();

        long control = device.mailbox().read32(RegisterMap.MB_CONTROL) & 0xFFFFFFFFL;
        assertThat(control & MailboxControl.DOORBELL).isZero();
        assertThat(control & MailboxControl.DOORBELL_INTERRUPT_ENABLE).isNotZero();
        assertThat(control & MailboxControl.BACKGROUND_INTERRUPT_ENABLE).isNotZero();
        assertThat(transport.maxPayload()).isEqualTo(4096);
        assertThat(transport.describe()).isEqualTo("mailbox of mem0");
        // The device wrote the output length into the Command register before clearing the doorbell.
        assertThat(MailboxCommand.fromRaw(device.mailbox().read64(RegisterMap.MB_COMMAND)).payloadLength())
                .isEqualTo(FwInfo.SIZE);
        assertThat(MailboxStatus.fromRaw(device.mailbox().read64(RegisterMap.MB_STATUS)).returnCode()).isZero();
    }

    @Test
    void aCommandTheMailboxDoesNotOfferIsAnsweredWithItsReturnCode() throws Exception {
        open(defaults());

        CommandResponse r = transport.send(CommandId.IDENTIFY.opcode(), new byte[0]);

        assertThat(r.returnCode()).isEqualTo(ReturnCode.UNSUPPORTED_MAILBOX_OR_CCI);
        assertThat(r.backgroundStarted()).isFalse();
        assertThatThrownBy(client::identify).isInstanceOfSatisfying(CciCommandException.class, e -> {
            assertThat(e.returnCode()).isEqualTo(ReturnCode.UNSUPPORTED_MAILBOX_OR_CCI);
            assertThat(e.getMessage()).isEqualTo("Identify: Unsupported Mailbox or CCI, 0015h");
        });
    }

    @Test
    void aPayloadLargerThanThePayloadAreaIsRefusedBeforeTouchingTheRegisters() throws Exception {
        open(defaults());

        assertThatThrownBy(() -> transport.send(CommandId.TRANSFER_FW.opcode(), new byte[4097]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(device.mailbox().interruptCount()).isZero();
    }

    // ---- waiting on the interrupt counter ----

    @Test
    void theDoorbellWaitSleepsOnTheInterruptCounter() throws Exception {
        HeldExecutor engine = new HeldExecutor();
        open(defaults(), engine);
        regs.beforeStep(now -> {
            if (now >= 500 * MS) {
                engine.runAll(); // the device takes half a second to pick the command up
            }
        });

        FwInfo info = client.getFwInfo();

        assertThat(info.activeSlot()).isEqualTo(1);
        assertThat(clock.nanoTime()).isEqualTo(500 * MS);
        assertThat(regs.waits()).isEqualTo(1); // one wake-up, by the doorbell interrupt
        assertThat(regs.reads(RegisterMap.MB_CONTROL)).isLessThanOrEqualTo(3);
    }

    @Test
    void aBackgroundPartIsWaitedOnThroughTheInterruptAndReadsBgStatusAtMostTwice() throws Exception {
        open(defaults()); // realistic timing: a 3968-byte part takes about 1 ms
        byte[] data = random(4096 - 128);
        long expected = Timing.realistic().partNanos(data.length);

        CommandResponse r = client.transferFw(TransferFwRequest.initiate(0, ByteBuffer.wrap(data)));

        assertThat(r.success()).isTrue();
        assertThat(clock.nanoTime()).isGreaterThanOrEqualTo(expected).isLessThan(expected + STEP.toNanos());
        assertThat(regs.reads(RegisterMap.MB_BG_COMMAND_STATUS)).isBetween(1, 2);
        assertThat(regs.waits()).isEqualTo(1);
    }

    @Test
    void aBackgroundPartThatFailsReportsItsFinalReturnCode() throws Exception {
        open(defaults());
        byte[] notAPackage = random(1000);

        assertThatThrownBy(() -> client.transferFw(TransferFwRequest.full(2, ByteBuffer.wrap(notAPackage))))
                .isInstanceOfSatisfying(CciCommandException.class, e -> {
                    assertThat(e.returnCode()).isEqualTo(ReturnCode.FW_VERIFICATION_FAILED);
                    assertThat(e.getMessage()).isEqualTo("Transfer FW: FW Verification Failed, 000Ah");
                });
        assertThat(regs.reads(RegisterMap.MB_BG_COMMAND_STATUS)).isBetween(1, 2);
        assertThat(clock.nanoTime()).isGreaterThanOrEqualTo(200 * MS); // realistic Full: 200 ms + rate
    }

    @Test
    void aCompletionBetweenTwoRegisterReadsIsNeverMistakenForSuccess() throws Exception {
        open(defaults());
        byte[] notAPackage = random(1000); // a Full that fails verification (000Ah) after 200 ms
        CommandResponse started = transport.send(CommandId.TRANSFER_FW.opcode(),
                TransferFwRequest.full(2, ByteBuffer.wrap(notAPackage)).encode());
        assertThat(started.returnCode()).isEqualTo(ReturnCode.BACKGROUND_COMMAND_STARTED);
        // The device finishes right after the host's first read of either status register, i.e.
        // between the reads a host makes to decide whether the command is still running.
        boolean[] done = {false};
        regs.afterRead(offset -> {
            if (!done[0] && (offset == RegisterMap.MB_STATUS || offset == RegisterMap.MB_BG_COMMAND_STATUS)) {
                done[0] = true;
                clock.advance(Duration.ofSeconds(1));
            }
        });

        CommandResponse r = transport.awaitBackground(CommandId.TRANSFER_FW.opcode());

        assertThat(r.returnCode()).isEqualTo(ReturnCode.FW_VERIFICATION_FAILED);
        assertThat(regs.reads(RegisterMap.MB_BG_COMMAND_STATUS)).isBetween(1, 2);
    }

    @Test
    void aReleasedWaitLetsOtherCommandsUseTheMailboxAndReturnsTheFinalCode() throws Exception {
        open(defaults());
        CommandResponse started = transport.send(CommandId.TRANSFER_FW.opcode(),
                TransferFwRequest.full(2, ByteBuffer.wrap(random(1000))).encode());
        assertThat(started.returnCode()).isEqualTo(ReturnCode.BACKGROUND_COMMAND_STARTED);
        // While the wait reads Status for the first time, another thread sends a command: with the
        // mailbox held by the wait it could not get in (and the join's guard would run out).
        boolean[] once = {false};
        boolean[] otherStillWaiting = {true};
        CommandResponse[] other = new CommandResponse[1];
        regs.afterRead(offset -> {
            if (!once[0] && offset == RegisterMap.MB_STATUS) {
                once[0] = true;
                Thread t = new Thread(() -> {
                    try {
                        other[0] = transport.execute(CommandId.IDENTIFY_MEMORY_DEVICE.opcode(), new byte[0]);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "other-command");
                t.start();
                try {
                    t.join(10_000); // a guard against a deadlock, not a delay: the command runs inline
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                otherStillWaiting[0] = t.isAlive();
                clock.advance(Duration.ofSeconds(1));
            }
        });

        CommandResponse r = transport.awaitBackgroundReleased(CommandId.TRANSFER_FW.opcode(), Duration.ofSeconds(30));

        assertThat(otherStillWaiting[0]).isFalse();
        assertThat(other[0].returnCode()).isEqualTo(ReturnCode.SUCCESS);
        assertThat(r.returnCode()).isEqualTo(ReturnCode.FW_VERIFICATION_FAILED);
    }

    @Test
    void aReleasedWaitGivesUpAfterItsOwnLimit() throws Exception {
        open(defaults()); // realistic Full: 200 ms and more
        transport.send(CommandId.TRANSFER_FW.opcode(), TransferFwRequest.full(2, ByteBuffer.wrap(random(1000))).encode());

        assertThatThrownBy(() -> transport.awaitBackgroundReleased(CommandId.TRANSFER_FW.opcode(),
                Duration.ofMillis(50)))
                .isInstanceOf(CciTimeoutException.class).hasMessageContaining("did not finish within 50 ms");
        assertThat(clock.nanoTime()).isBetween(50 * MS, 200 * MS);
    }

    @Test
    void noOtherCommandLandsBetweenABackgroundCommandsStartAndItsFinalCode() throws Exception {
        open(defaults()); // realistic timing: the Initiate below runs in the background for about 1 ms
        Thread uploader = Thread.currentThread();
        CommandResponse[] abortAnswer = new CommandResponse[1];
        Thread other = new Thread(() -> {
            try {
                // Transfer FW is flagged Background: sent while the part runs it would get 0006h
                abortAnswer[0] = transport.execute(CommandId.TRANSFER_FW.opcode(), TransferFwRequest.abort().encode());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "other-command");
        // The other command is sent at the worst moment: while the Initiate's doorbell answer is being
        // read, just before the uploader would let go of the mailbox between its send and its wait.
        regs.afterRead(offset -> {
            if (Thread.currentThread() == uploader && offset == RegisterMap.MB_STATUS && !other.isAlive()
                    && other.getState() == Thread.State.NEW) {
                other.start();
                awaitBlocked(other);
            }
        });

        CommandResponse part = client.transferFw(TransferFwRequest.initiate(0, ByteBuffer.wrap(random(256))));
        other.join(10_000);

        assertThat(part.returnCode()).isEqualTo(ReturnCode.SUCCESS);
        assertThat(other.isAlive()).isFalse();
        // it ran after the part had finished: it found the transfer open and aborted it
        assertThat(abortAnswer[0].returnCode()).isEqualTo(ReturnCode.SUCCESS);
        assertThat(device.fwInfo().revision(2)).isEmpty();
    }

    @Test
    void aCommandFromAnotherThreadGetsTheMailboxBetweenTwoCommandsOfABusyOne() throws Exception {
        open(defaults());
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        long[] queuedAt = {-1};
        long[] servedAt = {-1};
        Thread view = new Thread(() -> {
            try {
                transport.execute(CommandId.IDENTIFY.opcode(), new byte[0]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "view");
        // an uploader's shape: one command after the other, taking the mailbox again at once
        Thread busy = new Thread(() -> {
            while (!stop.get()) {
                try {
                    transport.execute(CommandId.GET_FW_INFO.opcode(), new byte[0]);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                sent.incrementAndGet();
            }
        }, "busy");
        // once busy is well under way, the view asks for the mailbox while busy holds it
        regs.afterRead(offset -> {
            if (Thread.currentThread() == busy && offset == RegisterMap.MB_STATUS && sent.get() == 50
                    && view.getState() == Thread.State.NEW) {
                view.start();
                awaitBlocked(view);
                queuedAt[0] = sent.get();
            } else if (Thread.currentThread() == view && servedAt[0] < 0) {
                // the view's first register read: it holds the mailbox now. Counted here, not after
                // its command returns, so that a view descheduled after its answer (a loaded
                // machine) does not see busy's later commands as if they had gone first
                servedAt[0] = sent.get();
            }
        });
        busy.start();
        try {
            view.join(10_000);
            while (view.getState() == Thread.State.NEW) {
                view.join(10_000);
            }
        } finally {
            stop.set(true);
            busy.join(10_000);
        }
        assertThat(view.isAlive()).isFalse();
        assertThat(queuedAt[0]).isEqualTo(50);
        // at most busy's command in progress when the view queued (counted once it returns, which
        // may be after the view took the mailbox): never a run of busy's commands ahead of the view
        assertThat(servedAt[0] - queuedAt[0]).isBetween(0L, 1L);
    }

    /** Waits (without sleeping) until {@code t} waits for the mailbox another thread holds. */
    private static void awaitBlocked(Thread t) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (t.getState() != Thread.State.WAITING) { // parked on the mailbox lock
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t.getName() + " never blocked; it is " + t.getState());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void theDoorbellLimitIsTwoSecondsOfVirtualTime() throws Exception {
        open(defaults(), r -> { }); // a mailbox engine that never runs the command
        long realStart = System.nanoTime();

        assertThatThrownBy(client::getFwInfo).isInstanceOf(CciTimeoutException.class)
                .hasMessageContaining("mailbox of mem0").hasMessageContaining("2 s");

        assertThat(clock.nanoTime()).isEqualTo(2_000 * MS);
        assertThat(System.nanoTime() - realStart).isLessThan(1_500 * MS);
        // The doorbell is still set: the next command is refused, not written over the running one.
        assertThatThrownBy(client::getFwInfo).isInstanceOf(java.io.IOException.class)
                .isNotInstanceOf(CciTimeoutException.class).hasMessageContaining("doorbell");
    }

    @Test
    void theBackgroundLimitIsThirtySecondsOfVirtualTime() throws Exception {
        open(defaults().toBuilder().timing(Timing.realistic().withPartTime(Duration.ofSeconds(60))).build());
        long realStart = System.nanoTime();

        assertThatThrownBy(() -> client.transferFw(TransferFwRequest.initiate(0, ByteBuffer.wrap(random(256)))))
                .isInstanceOf(CciTimeoutException.class).hasMessageContaining("30 s");

        assertThat(clock.nanoTime()).isEqualTo(30_000 * MS);
        assertThat(System.nanoTime() - realStart).isLessThan(10_000 * MS);
        assertThat(regs.reads(RegisterMap.MB_BG_COMMAND_STATUS)).isZero(); // never done, never read
    }

    @Test
    void aBackgroundPartDroppedByAColdResetBeforeTheWaitIsInterruptedNotSuccess() throws Exception {
        open(defaults().toBuilder().timing(Timing.realistic().withPartTime(Duration.ofSeconds(60))).build());
        CommandResponse started = transport.send(CommandId.TRANSFER_FW.opcode(),
                TransferFwRequest.initiate(0, ByteBuffer.wrap(random(256))).encode());
        assertThat(started.returnCode()).isEqualTo(ReturnCode.BACKGROUND_COMMAND_STARTED);

        device.coldReset();
        CommandResponse r = transport.awaitBackground(CommandId.TRANSFER_FW.opcode());

        assertThat(r.success()).isFalse();
        assertThat(r.returnCode()).isEqualTo(ReturnCode.INTERRUPTED);
    }

    @Test
    void aBackgroundPartDroppedByAColdResetDuringTheWaitIsInterruptedNotSuccess() throws Exception {
        open(defaults().toBuilder().timing(Timing.realistic().withPartTime(Duration.ofSeconds(60))).build());
        regs.beforeStep(now -> {
            if (now == 5_000 * MS) {
                try {
                    device.coldReset();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });

        assertThatThrownBy(() -> client.transferFw(TransferFwRequest.initiate(0, ByteBuffer.wrap(random(256)))))
                .isInstanceOfSatisfying(CciCommandException.class,
                        e -> assertThat(e.returnCode()).isEqualTo(ReturnCode.INTERRUPTED));
        assertThat(clock.nanoTime()).isEqualTo(5_000 * MS);
    }
}
