package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Inject Poison (4301h) input, 8 bytes (r3.1 §8.2.9.9.4.2, Table 8-141): 00h (8) bits 5:0
 * reserved, bits 63:6 the DPA of the 64-byte line to poison.
 *
 * @param dpa a multiple of 64
 */
public record InjectPoisonRequest(long dpa) {

    public static final int SIZE = 8;

    public InjectPoisonRequest {
        DpaRange.checkDpa("DPA", dpa);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static InjectPoisonRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Inject Poison input");
        InjectPoisonRequest v = new InjectPoisonRequest(b.getLong(0x00) & -DpaRange.LINE);
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putLong(0x00, dpa);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
