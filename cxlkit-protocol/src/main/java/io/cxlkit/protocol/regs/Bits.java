package io.cxlkit.protocol.regs;

/** Field extraction and insertion over a 64-bit register value. */
final class Bits {
    private Bits() {
    }

    static long get(long raw, int lowBit, int width) {
        return (raw >>> lowBit) & mask(width);
    }

    static long put(long raw, int lowBit, int width, long value) {
        long m = mask(width);
        if ((value & ~m) != 0) {
            throw new IllegalArgumentException("value " + value + " does not fit in " + width + " bits");
        }
        return (raw & ~(m << lowBit)) | (value << lowBit);
    }

    static long mask(int width) {
        return width == 64 ? -1L : (1L << width) - 1;
    }
}
