package io.cxlkit.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/** A whole CCI message: the 12-byte header and its payload, whose length the header states. */
public record CciMessage(CciHeader header, byte[] payload) {

    public CciMessage {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        if (header.payloadLength() != payload.length) {
            throw new IllegalArgumentException("header says " + header.payloadLength()
                    + " payload bytes, got " + payload.length);
        }
    }

    public static CciMessage request(int tag, Opcode opcode, byte[] payload) {
        return new CciMessage(CciHeader.request(tag, opcode, payload.length), payload);
    }

    /** A response; the BO flag is set exactly when the return code is 0001h. */
    public static CciMessage response(int tag, Opcode opcode, int returnCode, byte[] payload) {
        return new CciMessage(CciHeader.response(tag, opcode, payload.length, returnCode), payload);
    }

    public Opcode opcode() {
        return header.opcode();
    }

    public int tag() {
        return header.tag();
    }

    public int returnCode() {
        return header.returnCode();
    }

    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    public int encodedLength() {
        return CciHeader.SIZE + payload.length;
    }

    public void encodeTo(ByteBuffer out) {
        header.encodeTo(out);
        out.put(payload);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(encodedLength());
        encodeTo(b);
        return b.array();
    }

    /** Decodes exactly one message occupying all of {@code bytes}. */
    public static CciMessage decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CciHeader h = CciHeader.decode(b);
        if (b.remaining() != h.payloadLength()) {
            throw new IllegalArgumentException("header says " + h.payloadLength() + " payload bytes, "
                    + b.remaining() + " follow");
        }
        byte[] payload = new byte[h.payloadLength()];
        b.get(payload);
        return new CciMessage(h, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CciMessage m && m.header.equals(header) && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "CciMessage[" + header + ", " + payload.length + " payload bytes]";
    }
}
