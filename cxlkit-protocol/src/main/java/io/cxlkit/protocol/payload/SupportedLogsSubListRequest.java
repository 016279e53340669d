package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Get Supported Logs Sub-List (0405h) input, 2 bytes: 00h maximum number of entries to return,
 * 01h start entry index.
 */
public record SupportedLogsSubListRequest(int maxEntries, int startIndex) {

    public static final int SIZE = 2;

    public SupportedLogsSubListRequest {
        Wire.checkUnsigned("maximum number of entries", maxEntries, 8);
        Wire.checkUnsigned("start entry index", startIndex, 8);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static SupportedLogsSubListRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get Supported Logs Sub-List input");
        SupportedLogsSubListRequest v = new SupportedLogsSubListRequest(Wire.u8(b, 0), Wire.u8(b, 1));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0, (byte) maxEntries);
        b.put(1, (byte) startIndex);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
