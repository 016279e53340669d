package io.cxlkit.protocol.payload;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout Get Poison List (4300h) and Get Scan Media Results (4305h) outputs share: a
 * {@value #HEADER_SIZE}-byte header whose 2-byte record count sits at an offset of its own, then
 * {@code n} {@link MediaErrorRecord}s. Each output's codec writes and reads its header fields;
 * the sizes, the count and the records are done here once, and the device asks it how many
 * records fit an output.
 */
public final class MediaErrorList {

    public static final int HEADER_SIZE = 0x20;

    private MediaErrorList() {
    }

    /** The encoded length of an output with {@code count} records. */
    public static int sizeFor(int count) {
        return HEADER_SIZE + count * MediaErrorRecord.SIZE;
    }

    /** How many whole records fit an output of at most {@code outputLimit} bytes (0 if not even the header fits). */
    public static int recordsFitting(int outputLimit) {
        return outputLimit < HEADER_SIZE ? 0
                : Math.min((outputLimit - HEADER_SIZE) / MediaErrorRecord.SIZE, 0xFFFF);
    }

    /** A view of the header at {@code in}'s position; {@code in} is not moved. */
    static ByteBuffer header(ByteBuffer in, String what) {
        return Wire.view(in, HEADER_SIZE, what);
    }

    /**
     * The records {@code header} announces at {@code countOffset}, read from {@code in} (whose
     * position is the header's), which is then advanced past the last one; left alone on failure.
     */
    static List<MediaErrorRecord> readRecords(ByteBuffer in, ByteBuffer header, int countOffset, String what) {
        int count = Wire.u16(header, countOffset);
        int size = sizeFor(count);
        ByteBuffer b = Wire.view(in, size, what + " with " + count + " records");
        b.position(HEADER_SIZE);
        List<MediaErrorRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(MediaErrorRecord.decode(b));
        }
        Wire.skip(in, size);
        return records;
    }

    /**
     * A zero-filled view of the header at {@code out}'s position with the record count written at
     * {@code countOffset}, for the caller's own fields; the records are written after it and
     * {@code out} is advanced past them.
     */
    static ByteBuffer write(ByteBuffer out, int countOffset, List<MediaErrorRecord> records) {
        if (out.remaining() < sizeFor(records.size())) {
            throw new BufferOverflowException();
        }
        ByteBuffer header = Wire.target(out, HEADER_SIZE);
        header.putShort(countOffset, (short) records.size());
        Wire.skip(out, HEADER_SIZE);
        for (MediaErrorRecord r : records) {
            r.encodeTo(out);
        }
        return header;
    }
}
