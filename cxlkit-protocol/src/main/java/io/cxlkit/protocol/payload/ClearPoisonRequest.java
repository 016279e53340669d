package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Clear Poison (4302h) input, 48h bytes (r3.1 §8.2.9.9.4.3, Table 8-142).
 *
 * <pre>
 * 00h 8   bits 5:0 reserved; bits 63:6 DPA of the line to clear
 * 08h 40h Clear Poison Write Data: the 64 bytes written to the line
 * </pre>
 *
 * {@code data} is a read-only view (never a copy) of the bytes it was built or decoded from; two
 * requests are equal when their addresses and data contents are.
 *
 * @param dpa  a multiple of 64
 * @param data exactly 64 bytes
 */
public record ClearPoisonRequest(long dpa, ByteBuffer data) {

    public static final int SIZE = 0x48;
    public static final int DATA_SIZE = 0x40;

    public ClearPoisonRequest {
        DpaRange.checkDpa("DPA", dpa);
        Objects.requireNonNull(data, "data");
        if (data.remaining() != DATA_SIZE) {
            throw new IllegalArgumentException("write data is " + DATA_SIZE + " bytes: " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer();
    }

    /** A request writing {@code data} (copied by reference, not by value) to the line at {@code dpa}. */
    public static ClearPoisonRequest of(long dpa, byte[] data) {
        return new ClearPoisonRequest(dpa, ByteBuffer.wrap(data));
    }

    /**
     * The data: a read-only view positioned at 0 (a fresh duplicate on every call, so reading it
     * never disturbs this request).
     */
    @Override
    public ByteBuffer data() {
        return data.duplicate();
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it; the data is a view into {@code in}. */
    public static ClearPoisonRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Clear Poison input");
        ClearPoisonRequest v = new ClearPoisonRequest(b.getLong(0x00) & -DpaRange.LINE,
                in.slice(in.position() + 8, DATA_SIZE));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putLong(0x00, dpa);
        b.put(0x08, data.duplicate(), 0, DATA_SIZE);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
