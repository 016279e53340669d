package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Get Poison List (4300h) output: a 20h-byte header and {@code n} media error records of
 * {@link MediaErrorRecord#SIZE} bytes (r3.1 §8.2.9.9.4.1, Table 8-139).
 *
 * <pre>
 * 00h 1   Flags: bit 0 More Media Error Records, bit 1 Poison List Overflow, bit 2 Scan Media in
 *         Progress, bit 3 Restart Acknowledged; bits 7:4 reserved
 * 01h 1   reserved
 * 02h 8   Overflow Timestamp
 * 0Ah 2   Media Error Record Count n
 * 0Ch 14h reserved
 * 20h     n media error records
 * </pre>
 *
 * The overflow timestamp is carried as given: that it reads 0 without Overflow is the device's
 * rule, not the layout's.
 *
 * @param more              flags bit 0: records did not fit this output
 * @param overflow          flags bit 1: the list is incomplete
 * @param scanMediaInProgress flags bit 2
 * @param restartAck        flags bit 3: the input's Restart Request was honoured
 */
public record GetPoisonListResponse(boolean more, boolean overflow, boolean scanMediaInProgress,
                                    boolean restartAck, long overflowTimestamp, List<MediaErrorRecord> records) {

    public GetPoisonListResponse {
        Objects.requireNonNull(records, "records");
        records = List.copyOf(records);
        Wire.checkUnsigned("media error record count", records.size(), 16);
    }

    /** An output without overflow, scan or restart flags. */
    public static GetPoisonListResponse of(boolean more, List<MediaErrorRecord> records) {
        return new GetPoisonListResponse(more, false, false, false, 0, records);
    }

    /** The encoded length: {@code 20h + 10h * n} ({@link MediaErrorList}). */
    public int size() {
        return MediaErrorList.sizeFor(records.size());
    }

    /**
     * Reads the header and as many records as it announces at {@code in}'s position, advancing it
     * (the position is left alone on failure). Bytes after the last record are not read.
     */
    public static GetPoisonListResponse decode(ByteBuffer in) {
        ByteBuffer h = MediaErrorList.header(in, "Get Poison List output");
        List<MediaErrorRecord> records = MediaErrorList.readRecords(in, h, 0x0A, "Get Poison List output");
        int flags = Wire.u8(h, 0x00);
        return new GetPoisonListResponse((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0,
                h.getLong(0x02), records);
    }

    /** Writes {@link #size()} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = MediaErrorList.write(out, 0x0A, records);
        b.put(0x00, (byte) ((more ? 1 : 0) | (overflow ? 2 : 0) | (scanMediaInProgress ? 4 : 0)
                | (restartAck ? 8 : 0)));
        b.putLong(0x02, overflowTimestamp);
    }

    public byte[] encode() {
        byte[] bytes = new byte[size()];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
