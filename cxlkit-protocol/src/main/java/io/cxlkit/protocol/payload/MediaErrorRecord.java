package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A media error record, 10h bytes (r3.1 §8.2.9.9.4.1, Table 8-140), as listed by Get Poison List
 * (4300h) and Get Scan Media Results (4305h).
 *
 * <pre>
 * 00h 8 bits 2:0 Error Source ({@link PoisonSource}); bits 5:3 reserved; bits 63:6 DPA
 * 08h 4 Length, in units of 64 bytes
 * 0Ch 4 reserved
 * </pre>
 *
 * @param dpa    the first poisoned line's address, a multiple of 64
 * @param source where the poison came from
 * @param length the number of 64-byte lines, unsigned 32-bit
 */
public record MediaErrorRecord(long dpa, PoisonSource source, long length) {

    public static final int SIZE = 0x10;

    public MediaErrorRecord {
        DpaRange.checkDpa("DPA", dpa);
        Objects.requireNonNull(source, "source");
        Wire.checkUnsigned("length", length, 32);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it; a reserved source is malformed. */
    public static MediaErrorRecord decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Media error record");
        long raw = b.getLong(0x00);
        MediaErrorRecord v = new MediaErrorRecord(raw & -DpaRange.LINE, PoisonSource.fromCode((int) raw & 7),
                Wire.u32(b, 0x08));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putLong(0x00, dpa | source.code());
        b.putInt(0x08, (int) length);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
