package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * Get Log (0401h) input, 18h bytes: 00h log UUID (16, RFC 4122 byte order), 10h offset (4),
 * 14h length (4); offset and length are unsigned byte counts.
 */
public record GetLogRequest(UUID logId, long offset, long length) {

    public static final int SIZE = 0x18;

    public GetLogRequest {
        Objects.requireNonNull(logId, "logId");
        Wire.checkUnsigned("offset", offset, 32);
        Wire.checkUnsigned("length", length, 32);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static GetLogRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get Log input");
        GetLogRequest v = new GetLogRequest(Wire.uuid(b, 0x00), Wire.u32(b, 0x10), Wire.u32(b, 0x14));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        Wire.putUuid(b, 0x00, logId);
        b.putInt(0x10, (int) offset);
        b.putInt(0x14, (int) length);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
