package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Get Event Records (0100h) input, 1 byte (r3.1 §8.2.9.2.2, Table 8-52): 00h Event Log. The log is
 * a raw byte so that a device can decode, and answer, a number it does not know.
 */
public record GetEventRecordsRequest(int log) {

    public static final int SIZE = 1;

    public GetEventRecordsRequest {
        Wire.checkUnsigned("event log", log, 8);
    }

    public static GetEventRecordsRequest of(EventLog log) {
        return new GetEventRecordsRequest(log.value());
    }

    /** The log, if this number names one. */
    public Optional<EventLog> knownLog() {
        return EventLog.fromValue(log);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static GetEventRecordsRequest decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get Event Records input");
        GetEventRecordsRequest v = new GetEventRecordsRequest(Wire.u8(b, 0));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0, (byte) log);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
