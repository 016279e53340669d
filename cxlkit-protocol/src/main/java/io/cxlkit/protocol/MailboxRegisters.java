package io.cxlkit.protocol;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The seam between host and device: the device register block as a host sees it over PCIe MMIO.
 * Offsets are from the start of the device register block (reference.md §1, see
 * {@link io.cxlkit.protocol.regs.RegisterMap}). Accesses are naturally aligned and 1, 2, 4 or 8
 * bytes wide; values are little-endian as on the bus. A misaligned or unsupported access is a
 * programming error of the caller and throws {@link IllegalArgumentException}.
 */
public interface MailboxRegisters {

    /** Reads {@code width} bytes (1, 2, 4 or 8) at {@code offset}; the value is zero-extended. */
    long read(int offset, int width);

    /** Writes the low {@code width} bytes of {@code value} at {@code offset}. */
    void write(int offset, int width, long value);

    /**
     * The interrupt counter: it moves when the device raises a mailbox interrupt (doorbell
     * cleared, background command finished) that the host enabled in the Control register.
     */
    long interruptCount();

    /**
     * Waits until the interrupt counter differs from {@code lastSeen} or the timeout passes, and
     * returns the counter. Returns at once if it has already moved, so no wake-up is lost.
     */
    long awaitInterrupt(long lastSeen, Duration timeout) throws InterruptedException;

    default long read64(int offset) {
        return read(offset, 8);
    }

    default void write64(int offset, long value) {
        write(offset, 8, value);
    }

    default int read32(int offset) {
        return (int) read(offset, 4);
    }

    default void write32(int offset, int value) {
        write(offset, 4, value & 0xFFFFFFFFL);
    }

    /**
     * Copies {@code dst.remaining()} bytes starting at {@code offset} into {@code dst}, as a
     * sequence of naturally aligned accesses. Devices may override it with a bulk copy.
     */
    default void readBytes(int offset, ByteBuffer dst) {
        int pos = offset;
        while (dst.hasRemaining()) {
            if ((pos & 7) == 0 && dst.remaining() >= 8) {
                long v = read(pos, 8);
                for (int i = 0; i < 8; i++) {
                    dst.put((byte) (v >>> (8 * i)));
                }
                pos += 8;
            } else {
                dst.put((byte) read(pos, 1));
                pos++;
            }
        }
    }

    /** Writes {@code src.remaining()} bytes starting at {@code offset}, as naturally aligned accesses. */
    default void writeBytes(int offset, ByteBuffer src) {
        int pos = offset;
        while (src.hasRemaining()) {
            if ((pos & 7) == 0 && src.remaining() >= 8) {
                long v = 0;
                for (int i = 0; i < 8; i++) {
                    v |= (src.get() & 0xFFL) << (8 * i);
                }
                write(pos, 8, v);
                pos += 8;
            } else {
                write(pos, 1, src.get() & 0xFF);
                pos++;
            }
        }
    }
}
