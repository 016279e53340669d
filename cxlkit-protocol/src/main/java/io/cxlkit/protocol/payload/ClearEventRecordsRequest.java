package io.cxlkit.protocol.payload;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Clear Event Records (0101h) input: a 6-byte header and N handles of 2 bytes (r3.1 §8.2.9.2.3,
 * Table 8-54).
 *
 * <pre>
 * 00h 1  Event Log
 * 01h 1  Clear Event Flags: bit 0 Clear All Events; bits 7:1 reserved
 * 02h 1  Number of Event Record Handles N
 * 03h 3  reserved
 * 06h 2N Event Record Handles
 * </pre>
 *
 * The input is exactly {@code 6 + 2N} bytes: {@link #decode} takes every remaining byte as the
 * input and rejects any other length. The log is a raw byte, and Clear All with handles is
 * accepted, so that a device can decode, and answer, such requests.
 */
public record ClearEventRecordsRequest(int log, boolean clearAll, List<Integer> handles) {

    public static final int HEADER_SIZE = 6;
    /** The handle count is one byte. */
    public static final int MAX_HANDLES = 0xFF;

    public ClearEventRecordsRequest {
        Wire.checkUnsigned("event log", log, 8);
        Objects.requireNonNull(handles, "handles");
        handles = List.copyOf(handles);
        if (handles.size() > MAX_HANDLES) {
            throw new IllegalArgumentException("at most " + MAX_HANDLES + " handles, got " + handles.size());
        }
        for (int h : handles) {
            Wire.checkUnsigned("event record handle", h, 16);
        }
    }

    /** Clears the records with these handles, which must be the oldest ones in order. */
    public static ClearEventRecordsRequest handles(EventLog log, List<Integer> handles) {
        return new ClearEventRecordsRequest(log.value(), false, handles);
    }

    /** Clears every record of an overflowed log. */
    public static ClearEventRecordsRequest clearAll(EventLog log) {
        return new ClearEventRecordsRequest(log.value(), true, List.of());
    }

    /** The log, if this number names one. */
    public Optional<EventLog> knownLog() {
        return EventLog.fromValue(log);
    }

    /** The encoded length: {@code 6 + 2N}. */
    public int size() {
        return sizeFor(handles.size());
    }

    /** The length of an input announcing {@code handleCount} handles. */
    public static int sizeFor(int handleCount) {
        return HEADER_SIZE + 2 * handleCount;
    }

    /**
     * Decodes every byte from {@code in}'s position to its limit, advancing it to the limit. Fewer
     * than 6 bytes, or a length other than {@code 6 + 2N} for the N of byte 02h, is malformed (and
     * the position is left alone).
     */
    public static ClearEventRecordsRequest decode(ByteBuffer in) {
        ByteBuffer h = Wire.view(in, HEADER_SIZE, "Clear Event Records input");
        int count = Wire.u8(h, 0x02);
        Wire.checkLength("Clear Event Records input with " + count + " handles", in.remaining(), sizeFor(count),
                sizeFor(count));
        ByteBuffer b = Wire.view(in, sizeFor(count), "Clear Event Records input");
        List<Integer> handles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            handles.add(Wire.u16(b, HEADER_SIZE + 2 * i));
        }
        ClearEventRecordsRequest v = new ClearEventRecordsRequest(Wire.u8(h, 0x00), (Wire.u8(h, 0x01) & 1) != 0,
                handles);
        in.position(in.limit());
        return v;
    }

    /** Writes {@link #size()} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        if (out.remaining() < size()) {
            throw new BufferOverflowException();
        }
        ByteBuffer b = Wire.target(out, size());
        b.put(0x00, (byte) log);
        b.put(0x01, (byte) (clearAll ? 1 : 0));
        b.put(0x02, (byte) handles.size());
        for (int i = 0; i < handles.size(); i++) {
            b.putShort(HEADER_SIZE + 2 * i, (short) (int) handles.get(i));
        }
        Wire.skip(out, size());
    }

    public byte[] encode() {
        byte[] bytes = new byte[size()];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
