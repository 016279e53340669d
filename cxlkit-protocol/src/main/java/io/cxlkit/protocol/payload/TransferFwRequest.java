package io.cxlkit.protocol.payload;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * Transfer FW (0201h) input: an 80h-byte header followed by the part's data (r3.1 §8.2.9.3.2).
 *
 * <pre>
 * 00h 1   Action (00h Full, 01h Initiate, 02h Continue, 03h End, 04h Abort)
 * 01h 1   Slot (Full and End only)
 * 02h 2   reserved
 * 04h 4   Offset, in 128-byte units (ignored for Full)
 * 08h 78h reserved
 * 80h     data
 * </pre>
 *
 * {@code action} and {@code slot} are raw bytes so that a device can decode, and answer, values
 * the spec does not define. {@code data} is a read-only view (never a copy) of the bytes it was
 * built or decoded from; two requests are equal when their fields and data contents are.
 *
 * @param offsetUnits the unsigned 32-bit Offset field, in units of {@link #OFFSET_UNIT} bytes
 */
public record TransferFwRequest(int action, int slot, long offsetUnits, ByteBuffer data) {

    public static final int HEADER_SIZE = 0x80;
    /** The Offset field counts 128-byte units. */
    public static final int OFFSET_UNIT = 128;

    public TransferFwRequest {
        Wire.checkUnsigned("action", action, 8);
        Wire.checkUnsigned("slot", slot, 8);
        Wire.checkUnsigned("offset", offsetUnits, 32);
        Objects.requireNonNull(data, "data");
        data = data.slice().asReadOnlyBuffer();
    }

    public static TransferFwRequest of(TransferFwAction action, int slot, long offsetUnits, ByteBuffer data) {
        return new TransferFwRequest(action.value(), slot, offsetUnits, data);
    }

    /** The whole package in one part, to be stored in {@code slot}. */
    public static TransferFwRequest full(int slot, ByteBuffer data) {
        return of(TransferFwAction.FULL, slot, 0, data);
    }

    /** The first part of a multi-part transfer (slot 0). */
    public static TransferFwRequest initiate(long offsetUnits, ByteBuffer data) {
        return of(TransferFwAction.INITIATE, 0, offsetUnits, data);
    }

    /** A middle part (slot 0). */
    public static TransferFwRequest continuePart(long offsetUnits, ByteBuffer data) {
        return of(TransferFwAction.CONTINUE, 0, offsetUnits, data);
    }

    /** The last part; the package is then stored in {@code slot}. */
    public static TransferFwRequest end(int slot, long offsetUnits, ByteBuffer data) {
        return of(TransferFwAction.END, slot, offsetUnits, data);
    }

    /** Abandons the transfer in progress: the 128-byte header only. */
    public static TransferFwRequest abort() {
        return of(TransferFwAction.ABORT, 0, 0, ByteBuffer.allocate(0));
    }

    /**
     * The part's data: a read-only view positioned at 0 (a fresh duplicate on every call, so
     * reading it never disturbs this request).
     */
    @Override
    public ByteBuffer data() {
        return data.duplicate();
    }

    public int dataLength() {
        return data.remaining();
    }

    /** The part's offset in bytes: {@code offsetUnits * 128}. */
    public long byteOffset() {
        return offsetUnits * OFFSET_UNIT;
    }

    /** The action, if the spec defines this byte value. */
    public Optional<TransferFwAction> knownAction() {
        return TransferFwAction.fromValue(action);
    }

    /** The encoded length: header plus data. */
    public int size() {
        return HEADER_SIZE + dataLength();
    }

    /**
     * Reads the header at {@code in}'s position and takes every remaining byte as the data (a
     * read-only view, not a copy); {@code in} is advanced to its limit.
     */
    public static TransferFwRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, HEADER_SIZE, "Transfer FW input");
        TransferFwRequest v = new TransferFwRequest(Wire.u8(b, 0x00), Wire.u8(b, 0x01), Wire.u32(b, 0x04),
                Wire.trailingData(in, HEADER_SIZE));
        in.position(in.limit());
        return v;
    }

    /** Writes header and data at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        if (out.remaining() < size()) {
            throw new BufferOverflowException();
        }
        ByteBuffer b = Wire.target(out, HEADER_SIZE);
        b.put(0x00, (byte) action);
        b.put(0x01, (byte) slot);
        b.putInt(0x04, (int) offsetUnits);
        Wire.skip(out, HEADER_SIZE);
        out.put(data.duplicate());
    }

    /**
     * Fills the 80h-byte header of {@code input}, whose data the caller has already placed behind
     * it (an uploader reading each part straight into the command's input saves a copy of the part).
     * Returns {@code input}.
     */
    public static byte[] encodeHeaderInPlace(TransferFwAction action, int slot, long offsetUnits, byte[] input) {
        if (input.length < HEADER_SIZE) {
            throw new IllegalArgumentException("a Transfer FW input holds at least the " + HEADER_SIZE + "-byte header");
        }
        new TransferFwRequest(action.value(), slot, offsetUnits, ByteBuffer.allocate(0))
                .encodeTo(ByteBuffer.wrap(input, 0, HEADER_SIZE));
        return input;
    }

    public byte[] encode() {
        byte[] bytes = new byte[size()];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }

    @Override
    public String toString() {
        String name = knownAction().map(Enum::name).orElse("unknown");
        return String.format("TransferFwRequest[action=%s(%02Xh), slot=%d, offset=%d units (byte %d), %d data bytes]",
                name, action, slot, offsetUnits, byteOffset(), dataLength());
    }
}
