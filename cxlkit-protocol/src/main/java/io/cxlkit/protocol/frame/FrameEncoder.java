package io.cxlkit.protocol.frame;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Encodes socket endpoint frames (wire.md §1): a 4-byte little-endian length L of the rest, the EID, the
 * MCTP message type, then the CCI message. All methods are stateless and thread-safe; the byte order of
 * the buffers passed in is neither used nor changed.
 */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    /** The whole frame's size in bytes, length field included: 4 + 2 + 12 + payload. */
    public static int frameSize(CciMessage message) {
        return FrameFormat.PREFIX_SIZE + message.encodedLength();
    }

    /** The frame carrying {@code message} to or from {@code eid} as a CXL CCI (08h) message. */
    public static byte[] encode(int eid, CciMessage message) {
        return encode(eid, MctpMessageType.CXL_CCI, message);
    }

    /** As {@link #encode(int, CciMessage)} with another MCTP message type (e.g. FM API 07h). */
    public static byte[] encode(int eid, int messageType, CciMessage message) {
        byte[] frame = new byte[frameSize(message)];
        encodeTo(eid, messageType, message, ByteBuffer.wrap(frame));
        return frame;
    }

    /**
     * Writes the frame at {@code out}'s position, advancing it by {@link #frameSize(CciMessage)}.
     *
     * @throws BufferOverflowException if fewer bytes remain; nothing is written then
     */
    public static void encodeTo(int eid, CciMessage message, ByteBuffer out) {
        encodeTo(eid, MctpMessageType.CXL_CCI, message, out);
    }

    /** As {@link #encodeTo(int, CciMessage, ByteBuffer)} with another MCTP message type. */
    public static void encodeTo(int eid, int messageType, CciMessage message, ByteBuffer out) {
        Objects.requireNonNull(message, "message");
        if (out.remaining() < frameSize(message)) {
            throw new BufferOverflowException();
        }
        encodeHeadTo(eid, messageType, message.header(), out);
        out.put(message.payload());
    }

    /**
     * Writes everything but the payload ({@link FrameFormat#HEAD_SIZE} = 18 bytes: length field, EID, type
     * 08h and the CCI header), so a server can send a large payload from its own array with a gathering
     * write instead of copying it. The length field counts {@code header.payloadLength()} payload bytes.
     *
     * @throws BufferOverflowException if fewer than 18 bytes remain; nothing is written then
     */
    public static void encodeHeadTo(int eid, CciHeader header, ByteBuffer out) {
        encodeHeadTo(eid, MctpMessageType.CXL_CCI, header, out);
    }

    /** As {@link #encodeHeadTo(int, CciHeader, ByteBuffer)} with another MCTP message type. */
    public static void encodeHeadTo(int eid, int messageType, CciHeader header, ByteBuffer out) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(out, "out");
        checkByte("EID", eid);
        checkByte("MCTP message type", messageType);
        if (out.remaining() < FrameFormat.HEAD_SIZE) {
            throw new BufferOverflowException();
        }
        int length = FrameFormat.ADDRESS_SIZE + CciHeader.SIZE + header.payloadLength();
        out.put((byte) length);
        out.put((byte) (length >>> 8));
        out.put((byte) (length >>> 16));
        out.put((byte) (length >>> 24));
        out.put((byte) eid);
        out.put((byte) messageType);
        header.encodeTo(out);
    }

    private static void checkByte(String what, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(what + " is 8 bits: " + value);
        }
    }
}
