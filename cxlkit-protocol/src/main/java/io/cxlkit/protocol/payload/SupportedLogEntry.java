package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One Supported Log Entry, 14h bytes: 00h log UUID (16, RFC 4122 byte order, most significant
 * byte first), 10h log size in bytes (4, unsigned).
 */
public record SupportedLogEntry(UUID logId, long logSize) {

    public static final int ENTRY_SIZE = 0x14;

    public SupportedLogEntry {
        Objects.requireNonNull(logId, "logId");
        Wire.checkUnsigned("log size", logSize, 32);
    }

    /** Reads {@link #ENTRY_SIZE} bytes at {@code in}'s position, advancing it. */
    public static SupportedLogEntry decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, ENTRY_SIZE, "Supported Log Entry");
        SupportedLogEntry v = new SupportedLogEntry(Wire.uuid(b, 0x00), Wire.u32(b, 0x10));
        Wire.skip(in, ENTRY_SIZE);
        return v;
    }

    /** Writes {@link #ENTRY_SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, ENTRY_SIZE);
        Wire.putUuid(b, 0x00, logId);
        b.putInt(0x10, (int) logSize);
        Wire.skip(out, ENTRY_SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[ENTRY_SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }

    /** Encoded size of a Get Supported Logs (or Sub-List) answer: the 8-byte header and {@code count} entries. */
    static int answerSize(int count) {
        return 8 + ENTRY_SIZE * count;
    }

    /** The {@code count} entries that follow the 8-byte header of {@code answer} (positioned at 0). */
    static List<SupportedLogEntry> decodeEntries(ByteBuffer answer, int count) {
        answer.position(8);
        List<SupportedLogEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(decode(answer));
        }
        return entries;
    }

    /** Writes the entries after an answer's header. */
    static void encodeEntries(List<SupportedLogEntry> entries, ByteBuffer out) {
        for (SupportedLogEntry e : entries) {
            e.encodeTo(out);
        }
    }
}
