package io.cxlkit.protocol.payload;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Set LSA (4103h) input: an 8-byte header followed by the data (r3.1 §8.2.9.9.2.4, Table 8-132).
 *
 * <pre>
 * 00h 4 Offset, an unsigned byte count into the Label Storage Area
 * 04h 4 reserved
 * 08h   data
 * </pre>
 *
 * {@code data} is a read-only view (never a copy) of the bytes it was built or decoded from; two
 * requests are equal when their offsets and data contents are.
 */
public record SetLsaRequest(long offset, ByteBuffer data) {

    public static final int HEADER_SIZE = 8;

    public SetLsaRequest {
        Wire.checkUnsigned("offset", offset, 32);
        Objects.requireNonNull(data, "data");
        data = data.slice().asReadOnlyBuffer();
    }

    /**
     * The data: a read-only view positioned at 0 (a fresh duplicate on every call, so reading it
     * never disturbs this request).
     */
    @Override
    public ByteBuffer data() {
        return data.duplicate();
    }

    public int dataLength() {
        return data.remaining();
    }

    /** The encoded length: header plus data. */
    public int size() {
        return HEADER_SIZE + dataLength();
    }

    /**
     * Reads the header at {@code in}'s position and takes every remaining byte as the data (a
     * read-only view, not a copy); {@code in} is advanced to its limit.
     */
    public static SetLsaRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, HEADER_SIZE, "Set LSA input");
        SetLsaRequest v = new SetLsaRequest(Wire.u32(b, 0x00), Wire.trailingData(in, HEADER_SIZE));
        in.position(in.limit());
        return v;
    }

    /** Writes header and data at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        if (out.remaining() < size()) {
            throw new BufferOverflowException();
        }
        ByteBuffer b = Wire.target(out, HEADER_SIZE);
        b.putInt(0x00, (int) offset);
        Wire.skip(out, HEADER_SIZE);
        out.put(data.duplicate());
    }

    public byte[] encode() {
        byte[] bytes = new byte[size()];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }

    @Override
    public String toString() {
        return "SetLsaRequest[offset=" + offset + ", " + dataLength() + " data bytes]";
    }
}
