package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * The Response Message Limit n (response payloads up to 2^n bytes), 1 byte: Get Response Message
 * Limit (0003h) output, Set Response Message Limit (0004h) input and output. Any byte value is
 * representable; whether n is acceptable is the device's decision.
 */
public record ResponseMessageLimit(int exponent) {

    public static final int SIZE = 1;

    public ResponseMessageLimit {
        Wire.checkUnsigned("response message limit", exponent, 8);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static ResponseMessageLimit decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Response Message Limit");
        ResponseMessageLimit v = new ResponseMessageLimit(Wire.u8(b, 0));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0, (byte) exponent);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
