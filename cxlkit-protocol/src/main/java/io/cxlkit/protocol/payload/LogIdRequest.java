package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * Get Log Capabilities (0402h) input and Clear Log (0403h) input, 10h bytes (r3.1 §8.2.9.5.3–4,
 * Tables 8-89, 8-91): 00h log UUID (16, RFC 4122 byte order). One layout, one codec.
 */
public record LogIdRequest(UUID logId) {

    public static final int SIZE = 0x10;

    public LogIdRequest {
        Objects.requireNonNull(logId, "logId");
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static LogIdRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Log UUID input");
        LogIdRequest v = new LogIdRequest(Wire.uuid(b, 0x00));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        Wire.putUuid(b, 0x00, logId);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
