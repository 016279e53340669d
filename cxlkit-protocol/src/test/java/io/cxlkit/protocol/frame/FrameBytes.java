package io.cxlkit.protocol.frame;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.Opcode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Hand-built frame bytes for the tests, independent of {@link FrameEncoder}. */
final class FrameBytes {

    static final int GET_FW_INFO = 0x0200;
    static final int TRANSFER_FW = 0x0201;

    private FrameBytes() {
    }

    /** A frame whose length field is {@code length} whatever follows. */
    static byte[] raw(long length, int eid, int type, byte[]... rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((int) length);
        out.write((int) (length >>> 8));
        out.write((int) (length >>> 16));
        out.write((int) (length >>> 24));
        out.write(eid);
        out.write(type);
        for (byte[] r : rest) {
            out.writeBytes(r);
        }
        return out.toByteArray();
    }

    /** A CCI header with any category (0..15) and any stated payload length. */
    static byte[] header(int category, int tag, int opcode, int payloadLength) {
        return new CciHeader(category, tag, Opcode.of(opcode), payloadLength, false, 0, 0).encode();
    }

    /** A well-formed frame: L = 14 + payload, the header states the payload length. */
    static byte[] frame(int eid, int category, int tag, int opcode, byte[] payload) {
        return raw(14L + payload.length, eid, MctpMessageType.CXL_CCI,
                header(category, tag, opcode, payload.length), payload);
    }

    static byte[] request(int eid, int tag, int opcode, byte[] payload) {
        return frame(eid, 0, tag, opcode, payload);
    }

    static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 31 + 7);
        }
        return p;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] hex(String text) {
        String t = text.replaceAll("\\s+", "");
        byte[] b = new byte[t.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** Feeds each chunk in turn and returns every event. */
    static List<FrameEvent> decode(FrameDecoder decoder, byte[]... chunks) {
        List<FrameEvent> events = new ArrayList<>();
        for (byte[] c : chunks) {
            ByteBuffer b = ByteBuffer.wrap(c);
            decoder.feed(b);
            if (b.hasRemaining()) {
                throw new AssertionError("feed left " + b.remaining() + " bytes");
            }
            events.addAll(decoder.drain());
        }
        return events;
    }

    /** Feeds the stream one byte at a time. */
    static List<FrameEvent> decodeBytewise(FrameDecoder decoder, byte[] stream) {
        List<FrameEvent> events = new ArrayList<>();
        for (byte b : stream) {
            decoder.feed(new byte[] {b}, 0, 1);
            events.addAll(decoder.drain());
        }
        return events;
    }
}
