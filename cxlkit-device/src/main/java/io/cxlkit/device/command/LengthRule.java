package io.cxlkit.device.command;

/** A command's input payload length rule: exactly n bytes, at least n bytes, or n to m bytes. */
public record LengthRule(int bytes, int maxBytes) {

    public static LengthRule exactly(int n) {
        return new LengthRule(n, n);
    }

    public static LengthRule atLeast(int n) {
        return new LengthRule(n, Integer.MAX_VALUE);
    }

    /** {@code min} to {@code max} bytes, both included (Set Partition Info: 9 or 10). */
    public static LengthRule between(int min, int max) {
        if (max < min) {
            throw new IllegalArgumentException("max " + max + " below min " + min);
        }
        return new LengthRule(min, max);
    }

    public boolean accepts(int length) {
        return length >= bytes && length <= maxBytes;
    }

    @Override
    public String toString() {
        return bytes == maxBytes ? "exactly " + bytes
                : maxBytes == Integer.MAX_VALUE ? "at least " + bytes : bytes + " to " + maxBytes;
    }
}
