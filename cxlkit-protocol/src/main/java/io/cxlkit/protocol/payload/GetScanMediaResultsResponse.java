package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Get Scan Media Results (4305h) output: a 20h-byte header and {@code n} media error records of
 * {@link MediaErrorRecord#SIZE} bytes (r3.1 §8.2.9.9.4.6, Table 8-146).
 *
 * <pre>
 * 00h 8   Scan Media Restart Physical Address: bits 5:0 reserved; bits 63:6 DPA
 * 08h 8   Scan Media Restart Physical Address Length, in units of 64 bytes
 * 10h 1   Flags: bit 0 More Media Error Records, bit 1 Scan Stopped Prematurely; bits 7:2 reserved
 * 11h 1   reserved
 * 12h 2   Media Error Record Count n
 * 14h 0Ch reserved
 * 20h     n media error records
 * </pre>
 *
 * @param restart                where a prematurely stopped scan would go on (0, 0 otherwise)
 * @param more                   flags bit 0: further results remain for the next call
 * @param scanStoppedPrematurely flags bit 1
 */
public record GetScanMediaResultsResponse(DpaRange restart, boolean more, boolean scanStoppedPrematurely,
                                          List<MediaErrorRecord> records) {

    public GetScanMediaResultsResponse {
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(records, "records");
        records = List.copyOf(records);
        Wire.checkUnsigned("media error record count", records.size(), 16);
    }

    /** An output of a scan that ran to its end: restart range 0, 0. */
    public static GetScanMediaResultsResponse of(boolean more, List<MediaErrorRecord> records) {
        return new GetScanMediaResultsResponse(new DpaRange(0, 0), more, false, records);
    }

    /** The encoded length: {@code 20h + 10h * n} ({@link MediaErrorList}). */
    public int size() {
        return MediaErrorList.sizeFor(records.size());
    }

    /**
     * Reads the header and as many records as it announces at {@code in}'s position, advancing it
     * (the position is left alone on failure). Bytes after the last record are not read.
     */
    public static GetScanMediaResultsResponse decode(ByteBuffer in) {
        ByteBuffer h = MediaErrorList.header(in, "Get Scan Media Results output");
        List<MediaErrorRecord> records = MediaErrorList.readRecords(in, h, 0x12, "Get Scan Media Results output");
        int flags = Wire.u8(h, 0x10);
        return new GetScanMediaResultsResponse(DpaRange.read(h, 0x00), (flags & 1) != 0, (flags & 2) != 0,
                records);
    }

    /** Writes {@link #size()} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = MediaErrorList.write(out, 0x12, records);
        restart.write(b, 0x00);
        b.put(0x10, (byte) ((more ? 1 : 0) | (scanStoppedPrematurely ? 2 : 0)));
    }

    public byte[] encode() {
        byte[] bytes = new byte[size()];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
