package io.cxlkit.protocol.payload;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Get Supported Logs Sub-List (0405h) output (r3.1 §8.2.9.5.6).
 *
 * <pre>
 * 00h 1 number of entries returned
 * 01h 1 reserved
 * 02h 2 total number of supported logs
 * 04h 1 start entry index
 * 05h 3 reserved
 * 08h   entries of 14h bytes
 * </pre>
 */
public record SupportedLogsSubList(int totalLogs, int startIndex, List<SupportedLogEntry> entries) {

    public static final int HEADER_SIZE = 8;

    public SupportedLogsSubList {
        Wire.checkUnsigned("total number of supported logs", totalLogs, 16);
        Wire.checkUnsigned("start entry index", startIndex, 8);
        Objects.requireNonNull(entries, "entries");
        entries = List.copyOf(entries);
        Wire.checkUnsigned("number of entries returned", entries.size(), 8);
    }

    /** The encoded length: {@code 8 + 14h * entries}. */
    public int size() {
        return SupportedLogEntry.answerSize(entries.size());
    }

    /** Reads the header and as many entries as it announces at {@code in}'s position, advancing it. */
    public static SupportedLogsSubList decode(ByteBuffer in) {
        ByteBuffer h = Wire.view(in, HEADER_SIZE, "Get Supported Logs Sub-List output");
        int count = Wire.u8(h, 0);
        int size = SupportedLogEntry.answerSize(count);
        ByteBuffer b = Wire.view(in, size, "Get Supported Logs Sub-List output with " + count + " entries");
        List<SupportedLogEntry> entries = SupportedLogEntry.decodeEntries(b, count);
        SupportedLogsSubList v = new SupportedLogsSubList(Wire.u16(h, 2), Wire.u8(h, 4), entries);
        Wire.skip(in, size);
        return v;
    }

    /** Writes {@link #size()} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        if (out.remaining() < size()) {
            throw new BufferOverflowException();
        }
        ByteBuffer b = Wire.target(out, HEADER_SIZE);
        b.put(0, (byte) entries.size());
        b.putShort(2, (short) totalLogs);
        b.put(4, (byte) startIndex);
        Wire.skip(out, HEADER_SIZE);
        SupportedLogEntry.encodeEntries(entries, out);
    }

    public byte[] encode() {
        byte[] bytes = new byte[size()];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
