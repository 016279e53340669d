package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Get Shutdown State (4203h) output and Set Shutdown State (4204h) input, 1 byte (r3.1
 * §8.2.9.9.3.4–5, Tables 8-136, 8-137): 00h bit 0 dirty; bits 7:1 reserved (ignored when decoding,
 * written as zero).
 *
 * @param dirty the device has not been shut down cleanly since it was last armed
 */
public record ShutdownState(boolean dirty) {

    public static final int SIZE = 1;
    public static final ShutdownState CLEAN = new ShutdownState(false);
    public static final ShutdownState DIRTY = new ShutdownState(true);

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static ShutdownState decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Shutdown State");
        ShutdownState v = (Wire.u8(b, 0) & 1) != 0 ? DIRTY : CLEAN;
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0, (byte) (dirty ? 1 : 0));
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
