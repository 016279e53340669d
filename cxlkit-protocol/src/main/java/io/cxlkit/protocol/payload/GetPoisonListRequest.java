package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Get Poison List (4300h) input, 10h bytes (r3.1 §8.2.9.9.4.1, Table 8-138).
 *
 * <pre>
 * 00h 8 bit 0 Restart Request; bits 5:1 reserved; bits 63:6 DPA
 * 08h 8 Length, in units of 64 bytes
 * </pre>
 *
 * @param restartRequest bit 0: list from the range start, not from where a previous output with
 *                       More stopped
 * @param range          the DPA range to list
 */
public record GetPoisonListRequest(boolean restartRequest, DpaRange range) {

    public static final int SIZE = 0x10;

    public GetPoisonListRequest {
        Objects.requireNonNull(range, "range");
    }

    public static GetPoisonListRequest of(long dpa, long length) {
        return new GetPoisonListRequest(false, new DpaRange(dpa, length));
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static GetPoisonListRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get Poison List input");
        GetPoisonListRequest v = new GetPoisonListRequest((Wire.u8(b, 0) & 1) != 0, DpaRange.read(b, 0));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        range.write(b, 0);
        b.put(0, (byte) (Wire.u8(b, 0) | (restartRequest ? 1 : 0)));
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
