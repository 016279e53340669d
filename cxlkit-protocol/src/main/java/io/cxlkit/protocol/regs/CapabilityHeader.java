package io.cxlkit.protocol.regs;

/**
 * A 16-byte capability header of the device register block (r3.1 §8.2.8.2): ID 15:0, version
 * 23:16 of the first dword; offset in the second dword; length in the third. The capabilities
 * array header (ID 0) instead carries type in bits 27:24 and the count in dword 1 bits 15:0.
 */
public record CapabilityHeader(int id, int version, int offset, int length) {

    /** {@code offset} and {@code length} are unsigned 32-bit fields: any int bit pattern is carried unchanged. */
    public CapabilityHeader {
        if (id < 0 || id > 0xFFFF) {
            throw new IllegalArgumentException("capability ID is 16 bits: " + id);
        }
        if (version < 0 || version > 0xFF) {
            throw new IllegalArgumentException("capability version is 8 bits: " + version);
        }
    }

    public long lowQword() {
        return (id & 0xFFFFL) | ((version & 0xFFL) << 16) | ((offset & 0xFFFFFFFFL) << 32);
    }

    public long highQword() {
        return length & 0xFFFFFFFFL;
    }

    public static CapabilityHeader fromQwords(long low, long high) {
        return new CapabilityHeader((int) (low & 0xFFFF), (int) ((low >>> 16) & 0xFF),
                (int) (low >>> 32), (int) (high & 0xFFFFFFFFL));
    }

    /** The capabilities array header at offset 0: ID 0000h, version, type, count. */
    public static long arrayHeader(int version, int type, int count) {
        return Bits.put(Bits.put(Bits.put(0, 16, 8, version), 24, 4, type), 32, 16, count);
    }

    public static int arrayCount(long arrayHeaderLow) {
        return (int) ((arrayHeaderLow >>> 32) & 0xFFFF);
    }
}
