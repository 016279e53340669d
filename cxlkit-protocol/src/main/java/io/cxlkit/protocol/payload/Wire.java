package io.cxlkit.protocol.payload;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Shared plumbing of the payload codecs: little-endian views at a buffer's position, unsigned
 * field access at absolute offsets, range checks for compact constructors.
 */
final class Wire {
    private Wire() {
    }

    /**
     * A little-endian view of the {@code size} bytes at {@code in}'s position; {@code in} is not
     * moved. Throws {@link MalformedPayloadException} if fewer bytes remain.
     */
    static ByteBuffer view(ByteBuffer in, int size, String what) {
        if (in.remaining() < size) {
            throw new MalformedPayloadException(what + " needs " + size + " bytes, got " + in.remaining());
        }
        return in.slice(in.position(), size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A zero-filled little-endian view of the {@code size} bytes at {@code out}'s position;
     * {@code out} is not moved. Throws {@link BufferOverflowException} if fewer bytes remain.
     */
    static ByteBuffer target(ByteBuffer out, int size) {
        if (out.remaining() < size) {
            throw new BufferOverflowException();
        }
        ByteBuffer b = out.slice(out.position(), size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) 0);
        }
        return b;
    }

    /**
     * The bytes after a {@code headerSize}-byte header at {@code in}'s position, up to its limit, as
     * a read-only view (not a copy): the data of a request whose data runs to the end. Does not
     * move {@code in}; check the header's length first ({@link #view}).
     */
    static ByteBuffer trailingData(ByteBuffer in, int headerSize) {
        int start = in.position() + headerSize;
        return in.slice(start, in.limit() - start).asReadOnlyBuffer();
    }

    static void skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
    }

    /** Runs a decoder's constructor call, turning a rejected field value into a malformed payload. */
    static <T> T build(String what, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw new MalformedPayloadException(what + ": " + e.getMessage());
        }
    }

    static int u8(ByteBuffer b, int off) {
        return b.get(off) & 0xFF;
    }

    static int u16(ByteBuffer b, int off) {
        return b.getShort(off) & 0xFFFF;
    }

    static int u24(ByteBuffer b, int off) {
        return u16(b, off) | (u8(b, off + 2) << 16);
    }

    static long u32(ByteBuffer b, int off) {
        return b.getInt(off) & 0xFFFFFFFFL;
    }

    static void putU24(ByteBuffer b, int off, int v) {
        b.putShort(off, (short) v);
        b.put(off + 2, (byte) (v >>> 16));
    }

    /** A UUID stored in RFC 4122 byte order: most significant byte first. */
    static UUID uuid(ByteBuffer le, int off) {
        return new UUID(Long.reverseBytes(le.getLong(off)), Long.reverseBytes(le.getLong(off + 8)));
    }

    static void putUuid(ByteBuffer le, int off, UUID id) {
        le.putLong(off, Long.reverseBytes(id.getMostSignificantBits()));
        le.putLong(off + 8, Long.reverseBytes(id.getLeastSignificantBits()));
    }

    /** Checks that {@code value} fits an unsigned field of {@code bits} bits. */
    static void checkUnsigned(String field, long value, int bits) {
        if (value < 0 || value > (1L << bits) - 1) {
            throw new IllegalArgumentException(field + " is an unsigned " + bits + "-bit field: " + value);
        }
    }

    /** Checks that {@code value} fits a two's complement field of {@code bits} bits. */
    static void checkSigned(String field, long value, int bits) {
        long min = -(1L << (bits - 1));
        if (value < min || value > -min - 1) {
            throw new IllegalArgumentException(field + " is a signed " + bits + "-bit field (" + min + ".."
                    + (-min - 1) + "): " + value);
        }
    }

    /**
     * Checks that a payload that is the whole of a command's input or output has one of the
     * lengths its layout allows: {@code min..max} bytes (both inclusive).
     */
    static void checkLength(String what, int length, int min, int max) {
        if (length < min || length > max) {
            String allowed = min == max ? Integer.toString(min) : max == min + 1 ? min + " or " + max : min + ".." + max;
            throw new MalformedPayloadException(what + " is " + allowed + " bytes, got " + length);
        }
    }
}
