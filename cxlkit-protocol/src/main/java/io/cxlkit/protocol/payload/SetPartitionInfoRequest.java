package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;

/**
 * Set Partition Info (4101h) input (r3.1 §8.2.9.9.2.2, Table 8-129).
 *
 * <pre>
 * 00h 8 Volatile Partition Capacity, in units of 256 MiB
 * 08h 1 Flags: bit 0 Immediate; bits 7:1 reserved
 * </pre>
 *
 * The layout is 9 bytes ({@link #SIZE}, what {@link #encode()} writes); Linux sends
 * {@link #LINUX_SIZE} bytes, so a 10th byte is accepted and ignored. {@link #decode} takes every
 * remaining byte as the input and rejects a length other than 9 or 10.
 *
 * @param volatileCapacity unsigned on the wire; any {@code long} bit pattern is carried unchanged
 * @param immediate        apply now rather than at the next cold reset
 */
public record SetPartitionInfoRequest(long volatileCapacity, boolean immediate) {

    public static final int SIZE = 9;
    /** The input size of Linux's command table (0Ah): one byte more than the layout. */
    public static final int LINUX_SIZE = 0x0A;

    /**
     * Decodes every byte from {@code in}'s position to its limit, advancing it to the limit; a
     * length other than 9 or 10 is malformed (and the position is left alone).
     */
    public static SetPartitionInfoRequest decode(ByteBuffer in) {
        Wire.checkLength("Set Partition Info input", in.remaining(), SIZE, LINUX_SIZE);
        ByteBuffer b = Wire.view(in, SIZE, "Set Partition Info input");
        SetPartitionInfoRequest v = new SetPartitionInfoRequest(b.getLong(0x00), (Wire.u8(b, 0x08) & 1) != 0);
        in.position(in.limit());
        return v;
    }

    /** Writes {@link #SIZE} bytes at {@code out}'s position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        ByteBuffer b = Wire.target(out, SIZE);
        b.putLong(0x00, volatileCapacity);
        b.put(0x08, (byte) (immediate ? 1 : 0));
        Wire.skip(out, SIZE);
    }

    public byte[] encode() {
        byte[] bytes = new byte[SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
