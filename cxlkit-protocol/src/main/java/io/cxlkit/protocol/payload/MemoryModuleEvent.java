package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * Memory Module Event Record data (r3.1 §8.2.9.2.1.3, Table 8-47): the {@link EventRecord#DATA_SIZE}
 * bytes at record offset 30h of a record whose identifier is {@link #IDENTIFIER}. Offsets below are
 * the record's.
 *
 * <pre>
 * 30h 1   Device Event Type (00h health status change .. 05h LSA error)
 * 31h 12h Device Health Information: the Get Health Info output ({@link HealthInfo})
 * 43h 3Dh reserved (later revisions: validity flags and more)
 * </pre>
 *
 * The bytes from 43h on are written as zero and ignored when decoding. {@code deviceEventType} is a
 * raw byte.
 */
public record MemoryModuleEvent(int deviceEventType, HealthInfo health) implements EventRecordData {

    /** Memory Module Event Record identifier. */
    public static final UUID IDENTIFIER = UUID.fromString("fe927475-dd59-4339-a586-79bab113b774");

    public static final int HEALTH_STATUS_CHANGE = 0x00;
    public static final int MEDIA_STATUS_CHANGE = 0x01;
    public static final int LIFE_USED_CHANGE = 0x02;
    public static final int TEMPERATURE_CHANGE = 0x03;
    public static final int DATA_PATH_ERROR = 0x04;
    public static final int LSA_ERROR = 0x05;

    public MemoryModuleEvent {
        Wire.checkUnsigned("device event type", deviceEventType, 8);
        Objects.requireNonNull(health, "health");
    }

    @Override
    public UUID identifier() {
        return IDENTIFIER;
    }

    /** Reads {@link EventRecord#DATA_SIZE} bytes at {@code in}'s position, advancing it. */
    public static MemoryModuleEvent decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, EventRecord.DATA_SIZE, "Memory Module event record data");
        MemoryModuleEvent v = new MemoryModuleEvent(Wire.u8(b, 0x00), HealthInfo.decode(b.position(0x01)));
        Wire.skip(in, EventRecord.DATA_SIZE);
        return v;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, EventRecord.DATA_SIZE);
        b.put(0x00, (byte) deviceEventType);
        health.encodeTo(b.position(0x01));
        Wire.skip(out, EventRecord.DATA_SIZE);
    }
}
