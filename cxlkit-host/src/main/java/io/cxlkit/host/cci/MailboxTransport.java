package io.cxlkit.host.cci;

import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.MailboxRegisters;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.regs.BackgroundCommandStatus;
import io.cxlkit.protocol.regs.MailboxCapabilities;
import io.cxlkit.protocol.regs.MailboxCommand;
import io.cxlkit.protocol.regs.MailboxControl;
import io.cxlkit.protocol.regs.MailboxStatus;
import io.cxlkit.protocol.regs.RegisterMap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The in-band transport: the primary mailbox registers, driven the way the kernel's driver does
 * (reference.md §1): check the doorbell is clear, write Command and payload, set the doorbell,
 * wait for it to clear, read Status, the output length and the output. A background command is
 * waited on through the BG Command Status register. Both waits sleep on the interrupt counter,
 * never spin: each wake-up reads a register once. One fair lock ({@link #mailbox}) is held across
 * a command's send, its background wait and its result, as the kernel's mailbox mutex is.
 */
public final class MailboxTransport implements CciTransport {

    private final MailboxRegisters regs;
    private final LongSupplier nanoTime;
    private final String name;
    private final int payloadSize;
    /**
     * The mailbox, held across a command's doorbell, background wait and result (as the kernel's
     * mailbox mutex is). Fair: an upload sends its parts back to back, and with a barging lock its
     * thread took the mailbox again at once, so a view or an activation waited behind every part.
     */
    private final ReentrantLock mailbox = new ReentrantLock(true);

    /**
     * @param nanoTime the host's monotonic clock for its timeouts (System::nanoTime; a virtual clock in tests)
     */
    public MailboxTransport(MailboxRegisters regs, LongSupplier nanoTime, String name) {
        this.regs = regs;
        this.nanoTime = nanoTime;
        this.name = name;
        MailboxCapabilities caps = MailboxCapabilities.fromRaw(regs.read32(RegisterMap.MB_CAPABILITIES) & 0xFFFFFFFFL);
        this.payloadSize = caps.payloadSize();
        // Interrupts on doorbell clear and on background completion, so the host never polls.
        regs.write32(RegisterMap.MB_CONTROL, (int) (MailboxControl.DOORBELL_INTERRUPT_ENABLE
                | MailboxControl.BACKGROUND_INTERRUPT_ENABLE));
    }

    @Override
    public int maxPayload() {
        return payloadSize;
    }

    @Override
    public String describe() {
        return "mailbox of " + name;
    }

    @Override
    public CommandResponse execute(Opcode opcode, byte[] payload) throws IOException, InterruptedException {
        mailbox.lock();
        try {
            return CciTransport.sendAndAwait(this, opcode, payload);
        } finally {
            mailbox.unlock();
        }
    }

    @Override
    public CommandResponse send(Opcode opcode, byte[] payload) throws IOException, InterruptedException {
        mailbox.lock();
        try {
            return sendHeld(opcode, payload);
        } finally {
            mailbox.unlock();
        }
    }

    private CommandResponse sendHeld(Opcode opcode, byte[] payload) throws IOException, InterruptedException {
        if (payload.length > payloadSize) {
            throw new IllegalArgumentException(payload.length + " bytes do not fit the " + payloadSize
                    + "-byte mailbox payload area");
        }
        if (doorbellSet()) {
            throw new IOException(describe() + ": mailbox busy (doorbell still set)");
        }
        regs.write64(RegisterMap.MB_COMMAND, new MailboxCommand(opcode, payload.length).toRaw());
        regs.writeBytes(RegisterMap.MB_PAYLOAD, ByteBuffer.wrap(payload));
        long seen = regs.interruptCount();
        regs.write32(RegisterMap.MB_CONTROL, (int) (MailboxControl.DOORBELL
                | MailboxControl.DOORBELL_INTERRUPT_ENABLE | MailboxControl.BACKGROUND_INTERRUPT_ENABLE));
        long deadline = nanoTime.getAsLong() + HostLimits.DOORBELL_TIMEOUT.toNanos();
        while (doorbellSet()) {
            long left = deadline - nanoTime.getAsLong();
            if (left <= 0) {
                throw new CciTimeoutException(describe() + ": " + opcode + " did not complete within "
                        + HostLimits.DOORBELL_TIMEOUT.toSeconds() + " s");
            }
            seen = regs.awaitInterrupt(seen, Duration.ofNanos(left));
        }
        MailboxStatus status = MailboxStatus.fromRaw(regs.read64(RegisterMap.MB_STATUS));
        int outLength = MailboxCommand.fromRaw(regs.read64(RegisterMap.MB_COMMAND)).payloadLength();
        byte[] out = new byte[Math.min(outLength, payloadSize)];
        regs.readBytes(RegisterMap.MB_PAYLOAD, ByteBuffer.wrap(out));
        return new CommandResponse(CciTransport.returnCode(this, status.returnCode()), out);
    }

    @Override
    public CommandResponse awaitBackground(Opcode opcode) throws IOException, InterruptedException {
        mailbox.lock();
        try {
            return awaitBackgroundWithin(opcode, HostLimits.BACKGROUND_TIMEOUT);
        } finally {
            mailbox.unlock();
        }
    }

    /**
     * The same wait as {@link #awaitBackground}, without the mailbox: it only reads Status and BG
     * Command Status and sleeps on the interrupt counter, which other commands' doorbells move too
     * (each wake-up just reads Status again). A reset drops the operation and zeroes BG Command
     * Status, which reads as {@link ReturnCode#INTERRUPTED}.
     */
    @Override
    public CommandResponse awaitBackgroundReleased(Opcode opcode, Duration limit)
            throws IOException, InterruptedException {
        return awaitBackgroundWithin(opcode, limit);
    }

    private CommandResponse awaitBackgroundWithin(Opcode opcode, Duration limit)
            throws IOException, InterruptedException {
        long deadline = nanoTime.getAsLong() + limit.toNanos();
        long seen = regs.interruptCount();
        while (true) {
            // Status first, BG Command Status only once it says the command stopped: its return code
            // is valid then (reference.md §1). Reading BG Command Status first could pair a "still
            // running" snapshot (return code 0) with a Status read taken just after completion and
            // report success for a command that failed. One BG read per background command.
            if (!MailboxStatus.fromRaw(regs.read64(RegisterMap.MB_STATUS)).backgroundInProgress()) {
                BackgroundCommandStatus bg =
                        BackgroundCommandStatus.fromRaw(regs.read64(RegisterMap.MB_BG_COMMAND_STATUS));
                // A reset zeroes the register: the command was dropped, not completed.
                return CommandResponse.of(bg.opcode().equals(opcode) ? CciTransport.returnCode(this, bg.returnCode())
                        : ReturnCode.INTERRUPTED);
            }
            long left = deadline - nanoTime.getAsLong();
            if (left <= 0) {
                throw new CciTimeoutException(describe() + ": background " + opcode + " did not finish within "
                        + (limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms"));
            }
            seen = regs.awaitInterrupt(seen, Duration.ofNanos(left));
        }
    }

    private boolean doorbellSet() {
        return (regs.read32(RegisterMap.MB_CONTROL) & MailboxControl.DOORBELL) != 0;
    }
}
