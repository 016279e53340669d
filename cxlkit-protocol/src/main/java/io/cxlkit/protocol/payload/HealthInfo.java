package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Get Health Info (4200h) output, 12h bytes (r3.1 §8.2.9.9.3.1, Table 8-133). The same 12h bytes
 * are a Memory Module event record's Device Health Information ({@link MemoryModuleEvent}).
 *
 * <pre>
 * 00h 1 Health Status: bit 0 maintenance needed, bit 1 performance degraded, bit 2 hardware
 *       replacement needed, bit 3 memory capacity degraded; bits 7:4 reserved
 * 01h 1 Media Status (00h Normal .. 09h Data Loss Imminent)
 * 02h 1 Additional Status: bits 1:0 life used, bits 3:2 device temperature, bit 4 corrected
 *       volatile error count, bit 5 corrected persistent error count; bits 7:6 reserved
 * 03h 1 Life Used, percent (FFh: not implemented)
 * 04h 2 Device Temperature, degrees Celsius, two's complement (7FFFh: not implemented)
 * 06h 4 Dirty Shutdown Count
 * 0Ah 4 Corrected Volatile Error Count
 * 0Eh 4 Corrected Persistent Error Count
 * </pre>
 *
 * Reserved bits are ignored when decoding and written as zero. {@code mediaStatus} and
 * {@code lifeUsed} are raw bytes (values the spec does not define are carried unchanged).
 *
 * @param healthStatus bits 3:0 of byte 00h ({@link #MAINTENANCE_NEEDED} ...)
 * @param temperature  signed 16-bit, -32768..32767
 */
public record HealthInfo(int healthStatus, int mediaStatus, AdditionalStatus additionalStatus, int lifeUsed,
                         int temperature, long dirtyShutdownCount, long correctedVolatileErrorCount,
                         long correctedPersistentErrorCount) {

    public static final int SIZE = 0x12;

    /** Health Status bit 0. */
    public static final int MAINTENANCE_NEEDED = 0x01;
    /** Health Status bit 1. */
    public static final int PERFORMANCE_DEGRADED = 0x02;
    /** Health Status bit 2. */
    public static final int HW_REPLACEMENT_NEEDED = 0x04;
    /** Health Status bit 3. */
    public static final int CAPACITY_DEGRADED = 0x08;
    static final int HEALTH_STATUS_BITS = 0x0F;

    public static final int MEDIA_NORMAL = 0x00;
    public static final int MEDIA_NOT_READY = 0x01;
    public static final int MEDIA_PERSISTENCE_LOST = 0x02;
    public static final int MEDIA_DATA_LOST = 0x03;
    public static final int MEDIA_POWERLOSS_PERSISTENCE_LOSS = 0x04;
    public static final int MEDIA_SHUTDOWN_PERSISTENCE_LOSS = 0x05;
    public static final int MEDIA_PERSISTENCE_LOSS_IMMINENT = 0x06;
    public static final int MEDIA_POWERLOSS_DATA_LOSS = 0x07;
    public static final int MEDIA_SHUTDOWN_DATA_LOSS = 0x08;
    public static final int MEDIA_DATA_LOSS_IMMINENT = 0x09;

    /** Life Used FFh: the device does not report it. */
    public static final int LIFE_USED_NOT_IMPLEMENTED = 0xFF;
    /** Device Temperature 7FFFh: the device does not report it. */
    public static final int TEMPERATURE_NOT_IMPLEMENTED = 0x7FFF;

    public HealthInfo {
        Wire.checkUnsigned("health status", healthStatus, 4);
        Wire.checkUnsigned("media status", mediaStatus, 8);
        Objects.requireNonNull(additionalStatus, "additionalStatus");
        Wire.checkUnsigned("life used", lifeUsed, 8);
        Wire.checkSigned("device temperature", temperature, 16);
        Wire.checkUnsigned("dirty shutdown count", dirtyShutdownCount, 32);
        Wire.checkUnsigned("corrected volatile error count", correctedVolatileErrorCount, 32);
        Wire.checkUnsigned("corrected persistent error count", correctedPersistentErrorCount, 32);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static HealthInfo decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get Health Info output");
        HealthInfo v = new HealthInfo(Wire.u8(b, 0x00) & HEALTH_STATUS_BITS, Wire.u8(b, 0x01),
                AdditionalStatus.fromBits(Wire.u8(b, 0x02)), Wire.u8(b, 0x03), b.getShort(0x04), Wire.u32(b, 0x06),
                Wire.u32(b, 0x0A), Wire.u32(b, 0x0E));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.put(0x00, (byte) healthStatus);
        b.put(0x01, (byte) mediaStatus);
        b.put(0x02, (byte) additionalStatus.bits());
        b.put(0x03, (byte) lifeUsed);
        b.putShort(0x04, (short) temperature);
        b.putInt(0x06, (int) dirtyShutdownCount);
        b.putInt(0x0A, (int) correctedVolatileErrorCount);
        b.putInt(0x0E, (int) correctedPersistentErrorCount);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }

    /**
     * Health Info byte 02h. The two-bit statuses are raw ({@link #NORMAL}, {@link #WARNING},
     * {@link #CRITICAL}; 11b is carried unchanged, ndctl prints it "unknown").
     *
     * @param lifeUsed                   bits 1:0
     * @param temperature                bits 3:2
     * @param correctedVolatileWarning   bit 4: the corrected volatile error count reached its warning
     * @param correctedPersistentWarning bit 5: likewise for the persistent count
     */
    public record AdditionalStatus(int lifeUsed, int temperature, boolean correctedVolatileWarning,
                                   boolean correctedPersistentWarning) {

        public static final int NORMAL = 0b00;
        public static final int WARNING = 0b01;
        public static final int CRITICAL = 0b10;
        /** Everything normal: byte 02h = 00h. */
        public static final AdditionalStatus ALL_NORMAL = new AdditionalStatus(NORMAL, NORMAL, false, false);

        public AdditionalStatus {
            Wire.checkUnsigned("life used status", lifeUsed, 2);
            Wire.checkUnsigned("temperature status", temperature, 2);
        }

        /** Byte 02h; bits 7:6 (reserved) are ignored. */
        public static AdditionalStatus fromBits(int bits) {
            return new AdditionalStatus(bits & 0x3, (bits >>> 2) & 0x3, (bits & 0x10) != 0, (bits & 0x20) != 0);
        }

        /** Byte 02h. */
        public int bits() {
            return lifeUsed | temperature << 2 | (correctedVolatileWarning ? 0x10 : 0)
                    | (correctedPersistentWarning ? 0x20 : 0);
        }
    }
}
