package io.cxlkit.device.mailbox;

import io.cxlkit.device.cci.CciPort;
import io.cxlkit.device.clock.DeviceClock;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.MailboxRegisters;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.regs.BackgroundCommandStatus;
import io.cxlkit.protocol.regs.CapabilityHeader;
import io.cxlkit.protocol.regs.MailboxCapabilities;
import io.cxlkit.protocol.regs.MailboxCommand;
import io.cxlkit.protocol.regs.MailboxControl;
import io.cxlkit.protocol.regs.MailboxStatus;
import io.cxlkit.protocol.regs.RegisterMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The device register block with the primary mailbox (reference.md §1), as a host reaches it.
 *
 * <p>Doorbell protocol: the host writes Command and payload, then sets Control bit 0. The command
 * runs on the mailbox engine; when it is done (or started in the background) the device writes the
 * output and its length, the return code into Status, clears the doorbell and, if Control bit 1 is
 * set, raises an interrupt. While the doorbell is set, writes to Command, the payload and the
 * doorbell bit are ignored. Background completion raises an interrupt if Control bit 2 is set.
 * Interrupts are modelled as a counter that {@link #awaitInterrupt} waits on.
 */
public final class MailboxDevice implements MailboxRegisters {

    private static final int CAPABILITY_COUNT = 3;

    private final CciPort device;
    private final int payloadSize;
    private final Executor engine;
    private final long capabilities;
    private final long[] headerQwords = new long[8];
    /** Guards registers, payload and the interrupt counter. */
    private final Object regs = new Object();
    private final byte[] payload;
    private long control;
    private long command;
    private int returnCode;
    private long interrupts;

    public MailboxDevice(CciPort device, int payloadSizeExponent, Executor engine) {
        this.device = device;
        this.payloadSize = 1 << payloadSizeExponent;
        this.engine = engine;
        this.payload = new byte[payloadSize];
        this.capabilities = new MailboxCapabilities(payloadSizeExponent, true, true, 0, 0,
                MailboxCapabilities.TYPE_MEMORY_DEVICE).toRaw();
        headerQwords[0] = CapabilityHeader.arrayHeader(1, 1, CAPABILITY_COUNT);
        putHeader(1, new CapabilityHeader(RegisterMap.CAP_ID_DEVICE_STATUS, 2, RegisterMap.EVENT_STATUS, 8));
        putHeader(2, new CapabilityHeader(RegisterMap.CAP_ID_PRIMARY_MAILBOX, 1, RegisterMap.MAILBOX,
                0x20 + payloadSize));
        putHeader(3, new CapabilityHeader(RegisterMap.CAP_ID_MEMORY_DEVICE_STATUS, 1,
                RegisterMap.MEMORY_DEVICE_STATUS, 8));
    }

    private void putHeader(int index, CapabilityHeader h) {
        headerQwords[2 * index] = h.lowQword();
        headerQwords[2 * index + 1] = h.highQword();
    }

    public int payloadSize() {
        return payloadSize;
    }

    /** Size of the register block in bytes. */
    public int size() {
        return RegisterMap.blockSize(payloadSize);
    }

    @Override
    public long read(int offset, int width) {
        checkAccess(offset, width);
        if (offset >= RegisterMap.MB_PAYLOAD) {
            synchronized (regs) {
                return readLe(payload, offset - RegisterMap.MB_PAYLOAD, width);
            }
        }
        int qword = offset & ~7;
        long value = readQword(qword);
        int shift = (offset - qword) * 8;
        return width == 8 ? value : (value >>> shift) & ((1L << (width * 8)) - 1);
    }

    private long readQword(int qword) {
        if (qword < 0x40) {
            return headerQwords[qword / 8];
        }
        switch (qword) {
            case RegisterMap.EVENT_STATUS:
                return device.eventStatus();
            case RegisterMap.MEMORY_DEVICE_STATUS:
                return device.memoryDeviceStatus().toRaw();
            case RegisterMap.MB_CAPABILITIES: // capabilities (low dword) + control (high dword)
                synchronized (regs) {
                    return capabilities | (control << 32);
                }
            case RegisterMap.MB_COMMAND:
                synchronized (regs) {
                    return command;
                }
            case RegisterMap.MB_STATUS: {
                boolean bg = device.backgroundStatus(Cci.MAILBOX).inProgress();
                synchronized (regs) {
                    return new MailboxStatus(bg, returnCode, 0).toRaw();
                }
            }
            case RegisterMap.MB_BG_COMMAND_STATUS: {
                BackgroundOperationStatus s = device.backgroundStatus(Cci.MAILBOX);
                return new BackgroundCommandStatus(s.opcode(), s.percentComplete(), s.returnCode(), s.vendorStatus())
                        .toRaw();
            }
            default:
                return 0;
        }
    }

    @Override
    public void write(int offset, int width, long value) {
        checkAccess(offset, width);
        MailboxCommand rung = null;
        synchronized (regs) {
            boolean doorbell = (control & MailboxControl.DOORBELL) != 0;
            if (offset >= RegisterMap.MB_PAYLOAD) {
                if (!doorbell) {
                    writeLe(payload, offset - RegisterMap.MB_PAYLOAD, width, value);
                }
                return;
            }
            int qword = offset & ~7;
            int shift = (offset - qword) * 8;
            long mask = width == 8 ? -1L : ((1L << (width * 8)) - 1) << shift;
            long bits = (value << shift) & mask;
            if (qword == RegisterMap.MB_COMMAND) {
                if (!doorbell) {
                    command = (command & ~mask) | bits;
                }
            } else if (qword == RegisterMap.MB_CAPABILITIES && (mask & 0xFFFFFFFF00000000L) != 0) {
                rung = writeControl(bits >>> 32, (mask >>> 32) & 0x7);
            }
            // everything else is read-only
        }
        if (rung != null) {
            // outside the register lock: the engine may run the command on this very thread, and
            // the device calls back into the registers (lock order: device, then registers)
            MailboxCommand cmd = rung;
            engine.execute(() -> run(cmd));
        }
    }

    /** Updates Control; returns the command to run if this write rang the doorbell, else null. */
    private MailboxCommand writeControl(long value, long mask) {
        boolean doorbellWasSet = (control & MailboxControl.DOORBELL) != 0;
        long writable = doorbellWasSet ? mask & ~MailboxControl.DOORBELL : mask;
        control = (control & ~writable) | (value & writable);
        if (!doorbellWasSet && (control & MailboxControl.DOORBELL) != 0) {
            return MailboxCommand.fromRaw(command);
        }
        return null;
    }

    private void run(MailboxCommand cmd) {
        int len = cmd.payloadLength();
        ByteBuffer input;
        synchronized (regs) {
            // The payload cannot change while the doorbell is set, so a view is safe.
            input = ByteBuffer.wrap(payload, 0, Math.min(len, payloadSize)).slice();
        }
        CommandResponse r;
        try {
            r = device.execute(Cci.MAILBOX, cmd.opcode(), len, input);
        } catch (RuntimeException e) {
            r = CommandResponse.of(ReturnCode.INTERNAL_ERROR);
        }
        synchronized (regs) {
            byte[] out = r.output();
            System.arraycopy(out, 0, payload, 0, out.length);
            command = new MailboxCommand(cmd.opcode(), out.length).toRaw();
            returnCode = r.returnCode().value();
            control &= ~MailboxControl.DOORBELL;
            if ((control & MailboxControl.DOORBELL_INTERRUPT_ENABLE) != 0) {
                raiseInterrupt();
            }
        }
    }

    /** Called by the device when a mailbox background operation completes, is aborted or dropped. */
    public void backgroundCommandEnded() {
        synchronized (regs) {
            if ((control & MailboxControl.BACKGROUND_INTERRUPT_ENABLE) != 0) {
                raiseInterrupt();
            }
        }
    }

    private void raiseInterrupt() {
        interrupts++;
        regs.notifyAll();
    }

    @Override
    public long interruptCount() {
        synchronized (regs) {
            return interrupts;
        }
    }

    /**
     * Waits until the interrupt counter moves past {@code lastSeen} or {@code timeout} of the
     * device's time has passed: the timeout is a task of the device's clock that wakes the waiter,
     * so a test's virtual clock times a host out exactly as the system clock does.
     */
    @Override
    public long awaitInterrupt(long lastSeen, Duration timeout) throws InterruptedException {
        synchronized (regs) {
            if (interrupts != lastSeen || timeout.isZero() || timeout.isNegative()) {
                return interrupts;
            }
        }
        DeviceClock clock = device.clock();
        boolean[] timedOut = {false};
        DeviceClock.Scheduled wake = clock.schedule(clock.nanoTime() + timeout.toNanos(), () -> {
            synchronized (regs) {
                timedOut[0] = true;
                regs.notifyAll();
            }
        });
        try {
            synchronized (regs) {
                while (interrupts == lastSeen && !timedOut[0]) {
                    regs.wait();
                }
                return interrupts;
            }
        } finally {
            wake.cancel();
        }
    }

    @Override
    public void readBytes(int offset, ByteBuffer dst) {
        if (offset >= RegisterMap.MB_PAYLOAD && (long) offset + dst.remaining() <= size()) {
            synchronized (regs) {
                dst.put(payload, offset - RegisterMap.MB_PAYLOAD, dst.remaining());
            }
            return;
        }
        MailboxRegisters.super.readBytes(offset, dst);
    }

    @Override
    public void writeBytes(int offset, ByteBuffer src) {
        if (offset >= RegisterMap.MB_PAYLOAD && (long) offset + src.remaining() <= size()) {
            synchronized (regs) {
                if ((control & MailboxControl.DOORBELL) == 0) {
                    src.get(payload, offset - RegisterMap.MB_PAYLOAD, src.remaining());
                } else {
                    src.position(src.limit());
                }
            }
            return;
        }
        MailboxRegisters.super.writeBytes(offset, src);
    }

    private void checkAccess(int offset, int width) {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("access width must be 1, 2, 4 or 8 bytes: " + width);
        }
        // offset > size - width, not offset + width > size: the sum overflows near Integer.MAX_VALUE
        if (offset < 0 || offset > size() - width || offset % width != 0) {
            throw new IllegalArgumentException("access of " + width + " bytes at " + Integer.toHexString(offset)
                    + "h is not naturally aligned inside the register block");
        }
    }

    private static long readLe(byte[] a, int at, int width) {
        return switch (width) {
            case 1 -> a[at] & 0xFFL;
            case 2 -> ByteBuffer.wrap(a, at, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFFL;
            case 4 -> ByteBuffer.wrap(a, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            default -> ByteBuffer.wrap(a, at, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        };
    }

    private static void writeLe(byte[] a, int at, int width, long v) {
        for (int i = 0; i < width; i++) {
            a[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
