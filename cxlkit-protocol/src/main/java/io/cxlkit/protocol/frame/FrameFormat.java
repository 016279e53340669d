package io.cxlkit.protocol.frame;

import io.cxlkit.protocol.CciHeader;

/**
 * Sizes of the socket endpoint's frame (wire.md §1):
 *
 * <pre>
 * 0  4      length L of the rest of the frame, little-endian
 * 4  1      EID (destination in a request, source in a response)
 * 5  1      MCTP message type (08h CXL CCI)
 * 6  L - 2  the CCI message: 12-byte header + payload
 * </pre>
 */
public final class FrameFormat {

    /** The 4-byte little-endian length field. */
    public static final int LENGTH_FIELD_SIZE = 4;
    /** EID + MCTP message type. */
    public static final int ADDRESS_SIZE = 2;
    /** Length field + EID + type: the bytes before the CCI message. */
    public static final int PREFIX_SIZE = LENGTH_FIELD_SIZE + ADDRESS_SIZE;
    /** Prefix + CCI header: every byte of a frame but its payload. */
    public static final int HEAD_SIZE = PREFIX_SIZE + CciHeader.SIZE;
    /** The smallest L (check 1): EID + type + a CCI header without payload. */
    public static final long MIN_LENGTH = ADDRESS_SIZE + CciHeader.SIZE;
    /** The largest L (check 1): the largest CCI message a header can describe. */
    public static final long MAX_LENGTH = ADDRESS_SIZE + CciHeader.SIZE + (long) CciHeader.MAX_PAYLOAD_LENGTH;

    private FrameFormat() {
    }
}
