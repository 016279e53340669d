package io.cxlkit.protocol.payload;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Get Supported Logs (0400h) output: 00h number of entries (2), 02h reserved (6), 08h entries of
 * {@link SupportedLogEntry#ENTRY_SIZE} bytes.
 */
public record SupportedLogs(List<SupportedLogEntry> entries) {

    public static final int HEADER_SIZE = 8;

    public SupportedLogs {
        Objects.requireNonNull(entries, "entries");
        entries = List.copyOf(entries);
        Wire.checkUnsigned("number of supported log entries", entries.size(), 16);
    }

    /** The encoded length: {@code 8 + 14h * entries}. */
    public int size() {
        return SupportedLogEntry.answerSize(entries.size());
    }

    /** Reads the header and as many entries as it announces at {@code in}'s position, advancing it. */
    public static SupportedLogs decode(ByteBuffer in) {
        ByteBuffer h = Wire.view(in, HEADER_SIZE, "Get Supported Logs output");
        int count = Wire.u16(h, 0);
        int size = SupportedLogEntry.answerSize(count);
        ByteBuffer b = Wire.view(in, size, "Get Supported Logs output with " + count + " entries");
        List<SupportedLogEntry> entries = SupportedLogEntry.decodeEntries(b, count);
        Wire.skip(in, size);
        return new SupportedLogs(entries);
    }

    /** Writes {@link #size()} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        if (out.remaining() < size()) {
            throw new BufferOverflowException();
        }
        ByteBuffer b = Wire.target(out, HEADER_SIZE);
        b.putShort(0, (short) entries.size());
        Wire.skip(out, HEADER_SIZE);
        SupportedLogEntry.encodeEntries(entries, out);
    }

    public byte[] encode() {
        byte[] bytes = new byte[size()];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
