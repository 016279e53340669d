package io.cxlkit.host.cci;

import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.protocol.MailboxRegisters;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * A device's registers as a host sees them, for tests that must not sleep: waiting for an
 * interrupt moves the device's {@link VirtualClock} forward in steps (running the device's due
 * tasks) until the interrupt counter moves or the timeout has passed in virtual time. Register
 * reads are counted per offset. Payload copies go straight to the device's bulk accessors.
 */
public final class VirtualTimeRegisters implements MailboxRegisters {

    private final MailboxRegisters device;
    private final VirtualClock clock;
    private final long stepNanos;
    private final Map<Integer, Integer> reads = new TreeMap<>();
    private volatile LongConsumer beforeStep = now -> { };
    private volatile IntConsumer afterRead = offset -> { };
    private int waits;

    public VirtualTimeRegisters(MailboxRegisters device, VirtualClock clock, Duration step) {
        this.device = device;
        this.clock = clock;
        this.stepNanos = step.toNanos();
    }

    /** Called with the virtual time before each step of a wait (a test's chance to reset the device, run a queued command...). */
    public VirtualTimeRegisters beforeStep(LongConsumer hook) {
        this.beforeStep = hook;
        return this;
    }

    /** Called with the offset after each register read: lets a test move the device between two reads. */
    public VirtualTimeRegisters afterRead(IntConsumer hook) {
        this.afterRead = hook;
        return this;
    }

    @Override
    public long read(int offset, int width) {
        synchronized (reads) {
            reads.merge(offset, 1, Integer::sum);
        }
        long value = device.read(offset, width);
        afterRead.accept(offset);
        return value;
    }

    @Override
    public void write(int offset, int width, long value) {
        device.write(offset, width, value);
    }

    @Override
    public long interruptCount() {
        return device.interruptCount();
    }

    @Override
    public long awaitInterrupt(long lastSeen, Duration timeout) {
        synchronized (this) {
            waits++;
        }
        long deadline = clock.nanoTime() + timeout.toNanos();
        while (true) {
            long count = device.interruptCount();
            long now = clock.nanoTime();
            if (count != lastSeen || now >= deadline) {
                return count;
            }
            beforeStep.accept(now);
            if (device.interruptCount() != lastSeen) {
                continue;
            }
            clock.advanceTo(Math.min(deadline, now + stepNanos));
        }
    }

    @Override
    public void readBytes(int offset, ByteBuffer dst) {
        device.readBytes(offset, dst);
    }

    @Override
    public void writeBytes(int offset, ByteBuffer src) {
        device.writeBytes(offset, src);
    }

    /** Reads of the register at {@code offset} (any width) since the last {@link #resetCounts()}. */
    public int reads(int offset) {
        synchronized (reads) {
            return reads.getOrDefault(offset, 0);
        }
    }

    /** Calls of {@link #awaitInterrupt} since the last {@link #resetCounts()}. */
    public synchronized int waits() {
        return waits;
    }

    public void resetCounts() {
        synchronized (reads) {
            reads.clear();
        }
        synchronized (this) {
            waits = 0;
        }
    }
}
