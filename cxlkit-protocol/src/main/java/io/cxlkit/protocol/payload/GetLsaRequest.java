package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Get LSA (4102h) input, 8 bytes (r3.1 §8.2.9.9.2.3, Table 8-130): 00h offset (4), 04h length
 * (4), unsigned byte counts into the Label Storage Area. The output is the bytes themselves.
 */
public record GetLsaRequest(long offset, long length) {

    public static final int SIZE = 8;

    public GetLsaRequest {
        Wire.checkUnsigned("offset", offset, 32);
        Wire.checkUnsigned("length", length, 32);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static GetLsaRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get LSA input");
        GetLsaRequest v = new GetLsaRequest(Wire.u32(b, 0x00), Wire.u32(b, 0x04));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putInt(0x00, (int) offset);
        b.putInt(0x04, (int) length);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
