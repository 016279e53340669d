package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One event record, {@value #SIZE} bytes: the common header (r3.1 §8.2.9.2.1, Table 8-42) and
 * {@value #DATA_SIZE} bytes whose format the identifier names.
 *
 * <pre>
 * 00h 16  Event Record Identifier: the format's UUID, RFC 4122 byte order
 *         ({@link GeneralMediaEvent#IDENTIFIER}, {@link MemoryModuleEvent#IDENTIFIER})
 * 10h 1   Event Record Length = 80h
 * 11h 3   Event Record Flags: bits 1:0 severity (the log's number, {@link EventLog}), bit 2
 *         permanent condition, bit 3 maintenance needed, bit 4 performance degraded, bit 5
 *         hardware replacement needed; bits 23:6 reserved
 * 14h 2   Event Record Handle
 * 16h 2   Related Event Record Handle
 * 18h 8   Event Record Timestamp: the device timestamp (Get Timestamp) when the record was added
 * 20h 10h Maintenance Operation Class and Subclass, reserved (r3.2: LD-ID, Head ID)
 * 30h 50h Event Record Data ({@link EventRecordData})
 * </pre>
 *
 * cxlkit models no maintenance operation: the 10h bytes at 20h are written as zero and ignored when
 * decoding, like the reserved flag bits. A Length other than 80h is malformed: records sit at fixed
 * 80h strides in a Get Event Records output, so another length could not be honoured.
 *
 * <p>{@code data} is kept raw, so a record of a format cxlkit does not know survives a round trip;
 * {@link #generalMedia()} and {@link #memoryModule()} read it by format. Two records are equal when
 * their fields and data contents are.
 *
 * @param identifier the Event Record Identifier
 * @param flags      the Event Record Flags, bits 5:0 ({@link #severity()}, {@link #PERMANENT_CONDITION} ...)
 * @param timestamp  nanoseconds since 1970-01-01 UTC, unsigned on the wire
 * @param data       exactly {@value #DATA_SIZE} bytes (copied)
 */
public record EventRecord(UUID identifier, int flags, int handle, int relatedHandle, long timestamp, byte[] data) {

    public static final int SIZE = 0x80;
    /** The format-specific part, at offset {@link #DATA_OFFSET}. */
    public static final int DATA_SIZE = 0x50;
    public static final int DATA_OFFSET = 0x30;

    /** Flags bits 1:0: the severity, which is the number of the log that holds the record. */
    public static final int SEVERITY_MASK = 0x03;
    public static final int PERMANENT_CONDITION = 0x04;
    public static final int MAINTENANCE_NEEDED = 0x08;
    public static final int PERFORMANCE_DEGRADED = 0x10;
    public static final int HW_REPLACEMENT_NEEDED = 0x20;
    static final int FLAG_BITS = 0x3F;

    public EventRecord {
        Objects.requireNonNull(identifier, "identifier");
        Wire.checkUnsigned("event record flags", flags, 6);
        Wire.checkUnsigned("event record handle", handle, 16);
        Wire.checkUnsigned("related event record handle", relatedHandle, 16);
        Objects.requireNonNull(data, "data");
        if (data.length != DATA_SIZE) {
            throw new IllegalArgumentException("event record data is " + DATA_SIZE + " bytes, got " + data.length);
        }
        data = data.clone();
    }

    /** A record of a format cxlkit knows: its identifier and data come from {@code body}. */
    public static EventRecord of(EventRecordData body, int flags, int handle, int relatedHandle, long timestamp) {
        return new EventRecord(body.identifier(), flags, handle, relatedHandle, timestamp, body.encode());
    }

    /** A copy of the {@value #DATA_SIZE} data bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Flags bits 1:0. */
    public int severity() {
        return flags & SEVERITY_MASK;
    }

    /** The log this record's severity names. */
    public EventLog log() {
        return EventLog.fromValue(severity()).orElseThrow();
    }

    /** The data as a General Media event, if the identifier says it is one. */
    public Optional<GeneralMediaEvent> generalMedia() {
        return identifier.equals(GeneralMediaEvent.IDENTIFIER)
                ? Optional.of(GeneralMediaEvent.decode(ByteBuffer.wrap(data))) : Optional.empty();
    }

    /** The data as a Memory Module event, if the identifier says it is one. */
    public Optional<MemoryModuleEvent> memoryModule() {
        return identifier.equals(MemoryModuleEvent.IDENTIFIER)
                ? Optional.of(MemoryModuleEvent.decode(ByteBuffer.wrap(data))) : Optional.empty();
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static EventRecord decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Event record");
        int length = Wire.u8(b, 0x10);
        if (length != SIZE) {
            throw new MalformedPayloadException(String.format(
                    "Event record length is %02Xh, not the %02Xh of every r3.1 record", length, SIZE));
        }
        byte[] data = new byte[DATA_SIZE];
        b.get(DATA_OFFSET, data);
        EventRecord v = new EventRecord(Wire.uuid(b, 0x00), Wire.u24(b, 0x11) & FLAG_BITS, Wire.u16(b, 0x14),
                Wire.u16(b, 0x16), b.getLong(0x18), data);
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        Wire.putUuid(b, 0x00, identifier);
        b.put(0x10, (byte) SIZE);
        Wire.putU24(b, 0x11, flags);
        b.putShort(0x14, (short) handle);
        b.putShort(0x16, (short) relatedHandle);
        b.putLong(0x18, timestamp);
        b.put(DATA_OFFSET, data);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventRecord r && r.identifier.equals(identifier) && r.flags == flags
                && r.handle == handle && r.relatedHandle == relatedHandle && r.timestamp == timestamp
                && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(identifier, flags, handle, relatedHandle, timestamp) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("EventRecord[identifier=%s, flags=%02Xh, handle=%04Xh, relatedHandle=%04Xh, "
                + "timestamp=%d, data=%s]", identifier, flags, handle, relatedHandle, timestamp,
                HexFormat.of().formatHex(data));
    }
}
