package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Identify Memory Device (4000h) output, 45h bytes (r3.1 §8.2.9.9.1.1). Capacities are raw
 * numbers in units of {@link #CAPACITY_UNIT} (256 MiB); the 8-byte fields are unsigned on the wire
 * and any {@code long} bit pattern is carried unchanged.
 *
 * <pre>
 * 00h 16 FW Revision of the active firmware (ASCII, NUL-padded)
 * 10h 8  Total Capacity
 * 18h 8  Volatile Only Capacity
 * 20h 8  Persistent Only Capacity
 * 28h 8  Partition Alignment
 * 30h 2  Informational Event Log Size
 * 32h 2  Warning Event Log Size
 * 34h 2  Failure Event Log Size
 * 36h 2  Fatal Event Log Size
 * 38h 4  LSA Size (bytes)
 * 3Ch 3  Poison List Maximum Media Error Records
 * 3Fh 2  Inject Poison Limit
 * 41h 1  Poison Handling Capabilities
 * 42h 1  QoS Telemetry Capabilities
 * 43h 2  Dynamic Capacity Event Log Size
 * </pre>
 */
public record IdentifyMemoryDevice(String fwRevision, long totalCapacity, long volatileOnlyCapacity,
                                   long persistentOnlyCapacity, long partitionAlignment, int infoEventLogSize,
                                   int warningEventLogSize, int failureEventLogSize, int fatalEventLogSize,
                                   long lsaSize, int poisonListMaxMediaErrorRecords, int injectPoisonLimit,
                                   int poisonHandlingCapabilities, int qosTelemetryCapabilities,
                                   int dynamicCapacityEventLogSize) {

    public static final int SIZE = 0x45;
    /** The unit of the capacity and alignment fields: 256 MiB. */
    public static final long CAPACITY_UNIT = 256L << 20;
    public static final int FW_REVISION_SIZE = 16;

    public IdentifyMemoryDevice {
        FixedAscii.requireEncodable(fwRevision, FW_REVISION_SIZE);
        Wire.checkUnsigned("informational event log size", infoEventLogSize, 16);
        Wire.checkUnsigned("warning event log size", warningEventLogSize, 16);
        Wire.checkUnsigned("failure event log size", failureEventLogSize, 16);
        Wire.checkUnsigned("fatal event log size", fatalEventLogSize, 16);
        Wire.checkUnsigned("LSA size", lsaSize, 32);
        Wire.checkUnsigned("poison list maximum media error records", poisonListMaxMediaErrorRecords, 24);
        Wire.checkUnsigned("inject poison limit", injectPoisonLimit, 16);
        Wire.checkUnsigned("poison handling capabilities", poisonHandlingCapabilities, 8);
        Wire.checkUnsigned("QoS telemetry capabilities", qosTelemetryCapabilities, 8);
        Wire.checkUnsigned("dynamic capacity event log size", dynamicCapacityEventLogSize, 16);
    }

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static IdentifyMemoryDevice decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Identify Memory Device output");
        String fw = FixedAscii.decode(b, FW_REVISION_SIZE);
        IdentifyMemoryDevice v = Wire.build("Identify Memory Device output", () -> new IdentifyMemoryDevice(fw,
                b.getLong(0x10), b.getLong(0x18), b.getLong(0x20), b.getLong(0x28),
                Wire.u16(b, 0x30), Wire.u16(b, 0x32), Wire.u16(b, 0x34), Wire.u16(b, 0x36),
                Wire.u32(b, 0x38), Wire.u24(b, 0x3C), Wire.u16(b, 0x3F), Wire.u8(b, 0x41), Wire.u8(b, 0x42),
                Wire.u16(b, 0x43)));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        FixedAscii.encode(fwRevision, b, FW_REVISION_SIZE);
        b.putLong(0x10, totalCapacity);
        b.putLong(0x18, volatileOnlyCapacity);
        b.putLong(0x20, persistentOnlyCapacity);
        b.putLong(0x28, partitionAlignment);
        b.putShort(0x30, (short) infoEventLogSize);
        b.putShort(0x32, (short) warningEventLogSize);
        b.putShort(0x34, (short) failureEventLogSize);
        b.putShort(0x36, (short) fatalEventLogSize);
        b.putInt(0x38, (int) lsaSize);
        Wire.putU24(b, 0x3C, poisonListMaxMediaErrorRecords);
        b.putShort(0x3F, (short) injectPoisonLimit);
        b.put(0x41, (byte) poisonHandlingCapabilities);
        b.put(0x42, (byte) qosTelemetryCapabilities);
        b.putShort(0x43, (short) dynamicCapacityEventLogSize);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
