package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Scan Media (4304h) input, 11h bytes (r3.1 §8.2.9.9.4.5, Table 8-145).
 *
 * <pre>
 * 00h 8 bits 5:0 reserved; bits 63:6 DPA
 * 08h 8 Length, in units of 64 bytes
 * 10h 1 Flags: bit 0 No Event Log; bits 7:1 reserved
 * </pre>
 *
 * @param range      the DPA range to scan
 * @param noEventLog flags bit 0: add no event records for what the scan finds
 */
public record ScanMediaRequest(DpaRange range, boolean noEventLog) {

    public static final int SIZE = 0x11;

    public ScanMediaRequest {
        Objects.requireNonNull(range, "range");
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static ScanMediaRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Scan Media input");
        ScanMediaRequest v = new ScanMediaRequest(DpaRange.read(b, 0x00), (Wire.u8(b, 0x10) & 1) != 0);
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        range.write(b, 0x00);
        b.put(0x10, (byte) (noEventLog ? 1 : 0));
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
