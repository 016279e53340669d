package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * A DPA range, 10h bytes: the Get Scan Media Capabilities (4303h) input (r3.1 §8.2.9.9.4.4, Table
 * 8-143), and the first 10h bytes of the Get Poison List (4300h, Table 8-138) and Scan Media
 * (4304h, Table 8-145) inputs.
 *
 * <pre>
 * 00h 8 bits 5:0 reserved; bits 63:6 DPA (so 64-byte aligned)
 * 08h 8 Length, in units of 64 bytes
 * </pre>
 *
 * Reserved bits are ignored when decoding and written as zero; the 4300h Restart Request in bit 0
 * is {@link GetPoisonListRequest}'s.
 *
 * @param dpa    the device physical address, a multiple of 64
 * @param length the length in 64-byte lines, an unsigned 64-bit value (use the unsigned
 *               {@link Long} methods above {@link Long#MAX_VALUE})
 */
public record DpaRange(long dpa, long length) {

    public static final int SIZE = 0x10;
    /** The unit of {@link #length}, and the alignment of {@link #dpa}. */
    public static final int LINE = 64;

    public DpaRange {
        checkDpa("DPA", dpa);
    }

    /** Checks that {@code dpa} is a 64-byte aligned address (bits 5:0 clear). */
    static void checkDpa(String field, long dpa) {
        if ((dpa & (LINE - 1)) != 0) {
            throw new IllegalArgumentException(field + " is 64-byte aligned (bits 5:0 clear): 0x"
                    + Long.toHexString(dpa));
        }
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static DpaRange decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "DPA range");
        DpaRange v = read(b, 0);
        Wire.skip(in, SIZE);
        return v;
    }

    static DpaRange read(ByteBuffer le, int off) {
        return new DpaRange(le.getLong(off) & -LINE, le.getLong(off + 8));
    }

    void write(ByteBuffer le, int off) {
        le.putLong(off, dpa);
        le.putLong(off + 8, length);
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        write(b, 0);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
