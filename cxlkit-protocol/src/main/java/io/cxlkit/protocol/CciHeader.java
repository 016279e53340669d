package io.cxlkit.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 12-byte CCI message header (CXL r3.1 §7.6.3, Table 7-14).
 *
 * <pre>
 * 0  1  bits 3:0 category (0 request, 1 response), bits 7:4 reserved
 * 1  1  message tag
 * 2  1  reserved
 * 3  2  command opcode (byte 3 = command, byte 4 = command set)
 * 5  2  payload length bits 15:0
 * 7  1  bits 4:0 payload length bits 20:16, bits 6:5 reserved, bit 7 background operation (BO)
 * 8  2  return code
 * 10 2  vendor specific extended status
 * </pre>
 *
 * Decoding keeps only the defined fields; reserved bits are dropped (wire.md §1 ignores them).
 */
public record CciHeader(int category, int tag, Opcode opcode, int payloadLength, boolean background,
                        int returnCode, int vendorStatus) {

    public static final int SIZE = 12;
    public static final int CATEGORY_REQUEST = 0;
    public static final int CATEGORY_RESPONSE = 1;
    /** The payload length field is 21 bits wide. */
    public static final int MAX_PAYLOAD_LENGTH = (1 << 21) - 1;

    public CciHeader {
        if (category < 0 || category > 0xF) {
            throw new IllegalArgumentException("category is 4 bits: " + category);
        }
        if (tag < 0 || tag > 0xFF) {
            throw new IllegalArgumentException("tag is 8 bits: " + tag);
        }
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("payload length is 21 bits: " + payloadLength);
        }
        if (returnCode < 0 || returnCode > 0xFFFF || vendorStatus < 0 || vendorStatus > 0xFFFF) {
            throw new IllegalArgumentException("return code and vendor status are 16 bits");
        }
        java.util.Objects.requireNonNull(opcode, "opcode");
    }

    public static CciHeader request(int tag, Opcode opcode, int payloadLength) {
        return new CciHeader(CATEGORY_REQUEST, tag, opcode, payloadLength, false, 0, 0);
    }

    public static CciHeader response(int tag, Opcode opcode, int payloadLength, int returnCode) {
        return new CciHeader(CATEGORY_RESPONSE, tag, opcode, payloadLength,
                returnCode == ReturnCode.BACKGROUND_COMMAND_STARTED.value(), returnCode, 0);
    }

    public boolean isRequest() {
        return category == CATEGORY_REQUEST;
    }

    /** Reads 12 bytes at the buffer's position (advancing it). The buffer's byte order is not used. */
    public static CciHeader decode(ByteBuffer in) {
        ByteBuffer b = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < SIZE) {
            throw new IllegalArgumentException("a CCI header is 12 bytes, got " + b.remaining());
        }
        int category = b.get(0) & 0x0F;
        int tag = b.get(1) & 0xFF;
        int opcode = b.getShort(3) & 0xFFFF;
        int lenLow = b.getShort(5) & 0xFFFF;
        int byte7 = b.get(7) & 0xFF;
        int length = lenLow | ((byte7 & 0x1F) << 16);
        boolean bo = (byte7 & 0x80) != 0;
        int rc = b.getShort(8) & 0xFFFF;
        int vendor = b.getShort(10) & 0xFFFF;
        in.position(in.position() + SIZE);
        return new CciHeader(category, tag, Opcode.of(opcode), length, bo, rc, vendor);
    }

    public static CciHeader decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    /** Writes 12 bytes at the buffer's position (advancing it), little-endian whatever the buffer's order. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = out.slice().order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) category);
        b.put(1, (byte) tag);
        b.put(2, (byte) 0);
        b.putShort(3, (short) opcode.value());
        b.putShort(5, (short) payloadLength);
        b.put(7, (byte) (((payloadLength >>> 16) & 0x1F) | (background ? 0x80 : 0)));
        b.putShort(8, (short) returnCode);
        b.putShort(10, (short) vendorStatus);
        out.position(out.position() + SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }

    public CciHeader withPayloadLength(int length) {
        return new CciHeader(category, tag, opcode, length, background, returnCode, vendorStatus);
    }
}
