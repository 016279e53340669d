package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Get Timestamp (0300h) output and Set Timestamp (0301h) input, 8 bytes: nanoseconds since
 * 1970-01-01 UTC (0 from Get when never set since reset). The field is unsigned on the wire; any
 * {@code long} bit pattern is carried unchanged.
 */
public record Timestamp(long nanos) {

    public static final int SIZE = 8;

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static Timestamp decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Timestamp");
        Timestamp v = new Timestamp(b.getLong(0));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putLong(0, nanos);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
