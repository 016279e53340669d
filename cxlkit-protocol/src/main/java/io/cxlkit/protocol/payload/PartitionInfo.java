package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Get Partition Info (4100h) output, 20h bytes (r3.1 §8.2.9.9.2.1, Table 8-128). Capacities are
 * raw numbers in units of {@link IdentifyMemoryDevice#CAPACITY_UNIT} (256 MiB); the fields are
 * unsigned on the wire and any {@code long} bit pattern is carried unchanged.
 *
 * <pre>
 * 00h 8 Active Volatile Capacity
 * 08h 8 Active Persistent Capacity
 * 10h 8 Next Volatile Capacity (0 when no change is pending)
 * 18h 8 Next Persistent Capacity (0 when no change is pending)
 * </pre>
 */
public record PartitionInfo(long activeVolatile, long activePersistent, long nextVolatile, long nextPersistent) {

    public static final int SIZE = 0x20;

    /** Reads {@link #SIZE} bytes at {@code in}'s position, advancing it. */
    public static PartitionInfo decode(ByteBuffer in) {
        ByteBuffer b = Wire.view(in, SIZE, "Get Partition Info output");
        PartitionInfo v = new PartitionInfo(b.getLong(0x00), b.getLong(0x08), b.getLong(0x10), b.getLong(0x18));
        Wire.skip(in, SIZE);
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putLong(0x00, activeVolatile);
        b.putLong(0x08, activePersistent);
        b.putLong(0x10, nextVolatile);
        b.putLong(0x18, nextPersistent);
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
