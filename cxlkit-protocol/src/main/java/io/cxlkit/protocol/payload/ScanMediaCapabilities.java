package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Get Scan Media Capabilities (4303h) output, 4 bytes (r3.1 §8.2.9.9.4.4, Table 8-144): 00h (4)
 * Estimated Scan Media Time, in milliseconds. The input is a {@link DpaRange} (Table 8-143).
 *
 * @param estimatedScanMediaTimeMs how long a Scan Media of the asked range would take, unsigned
 *                                 32-bit
 */
public record ScanMediaCapabilities(long estimatedScanMediaTimeMs) {

    public static final int SIZE = 4;

    public ScanMediaCapabilities {
        Wire.checkUnsigned("estimated scan media time", estimatedScanMediaTimeMs, 32);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static ScanMediaCapabilities decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get Scan Media Capabilities output");
        ScanMediaCapabilities v = new ScanMediaCapabilities(Wire.u32(b, 0x00));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putInt(0x00, (int) estimatedScanMediaTimeMs);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
