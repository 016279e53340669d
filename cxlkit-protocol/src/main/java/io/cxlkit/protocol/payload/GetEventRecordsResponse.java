package io.cxlkit.protocol.payload;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Get Event Records (0100h) output: a 20h-byte header and {@code n} records of
 * {@link EventRecord#SIZE} bytes, oldest first (r3.1 §8.2.9.2.2, Table 8-53).
 *
 * <pre>
 * 00h 1   Flags: bit 0 Overflow, bit 1 More Event Records; bits 7:2 reserved
 * 01h 1   reserved
 * 02h 2   Overflow Error Count
 * 04h 8   First Overflow Event Timestamp
 * 0Ch 8   Last Overflow Event Timestamp
 * 14h 2   Event Record Count n
 * 16h 0Ah reserved
 * 20h     n event records
 * </pre>
 *
 * The overflow fields are carried as given: that they read 0 without Overflow is the device's rule,
 * not the layout's.
 *
 * @param overflow    flags bit 0: the log dropped records since it last had room
 * @param moreRecords flags bit 1: records did not fit this output
 */
public record GetEventRecordsResponse(boolean overflow, boolean moreRecords, int overflowErrorCount,
                                      long firstOverflowTimestamp, long lastOverflowTimestamp,
                                      List<EventRecord> records) {

    public static final int HEADER_SIZE = 0x20;

    public GetEventRecordsResponse {
        Wire.checkUnsigned("overflow error count", overflowErrorCount, 16);
        Objects.requireNonNull(records, "records");
        records = List.copyOf(records);
        Wire.checkUnsigned("event record count", records.size(), 16);
    }

    /** An output without overflow. */
    public static GetEventRecordsResponse of(boolean moreRecords, List<EventRecord> records) {
        return new GetEventRecordsResponse(false, moreRecords, 0, 0, 0, records);
    }

    /** The encoded length: {@code 20h + 80h * n}. */
    public int size() {
        return sizeFor(records.size());
    }

    /** The encoded length of an output with {@code count} records. */
    public static int sizeFor(int count) {
        return HEADER_SIZE + count * EventRecord.SIZE;
    }

    /** How many whole records fit an output of at most {@code outputLimit} bytes (0 if not even the header fits). */
    public static int recordsFitting(int outputLimit) {
        return outputLimit < HEADER_SIZE ? 0 : Math.min((outputLimit - HEADER_SIZE) / EventRecord.SIZE, 0xFFFF);
    }

    /**
     * Reads the header and as many records as it announces at {@code in}'s position, advancing it
     * (the position is left alone on failure). Bytes after the last record are not read.
     */
    public static GetEventRecordsResponse decode(ByteBuffer in) {
        ByteBuffer h = Wire.view(in, HEADER_SIZE, "Get Event Records output");
        int count = Wire.u16(h, 0x14);
        int size = sizeFor(count);
        // all the announced bytes must be there before anything is allocated for them
        ByteBuffer b = Wire.view(in, size, "Get Event Records output with " + count + " records");
        b.position(HEADER_SIZE);
        List<EventRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(EventRecord.decode(b));
        }
        int flags = Wire.u8(h, 0x00);
        GetEventRecordsResponse v = new GetEventRecordsResponse((flags & 1) != 0, (flags & 2) != 0,
                Wire.u16(h, 0x02), h.getLong(0x04), h.getLong(0x0C), records);
        Wire.skip(in, size);
        return v;
    }

    /** Writes {@link #size()} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        if (out.remaining() < size()) {
            throw new BufferOverflowException();
        }
        ByteBuffer b = Wire.target(out, HEADER_SIZE);
        b.put(0x00, (byte) ((overflow ? 1 : 0) | (moreRecords ? 2 : 0)));
        b.putShort(0x02, (short) overflowErrorCount);
        b.putLong(0x04, firstOverflowTimestamp);
        b.putLong(0x0C, lastOverflowTimestamp);
        b.putShort(0x14, (short) records.size());
        Wire.skip(out, HEADER_SIZE);
        for (EventRecord r : records) {
            r.encodeTo(out);
        }
    }

    public byte[] encode() {
        byte[] bytes = new byte[size()];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
