package io.cxlkit.device.command;

import java.nio.ByteBuffer;

/**
 * A command's input payload length rule: {@code min..max} bytes and, for a list whose entry count
 * the input states, exactly {@code min + entrySize * count}, where count is the unsigned byte at
 * {@code countOffset} (below {@code min}, so it is always there).
 */
public record LengthRule(int min, int max, int countOffset, int entrySize) {

    private static final int NO_COUNT = -1;

    public LengthRule {
        if (min < 0 || max < min || (countOffset != NO_COUNT && (countOffset < 0 || countOffset >= min))) {
            throw new IllegalArgumentException("bad length rule " + min + ".." + max + " count at " + countOffset);
        }
    }

    public static LengthRule exactly(int n) {
        return new LengthRule(n, n, NO_COUNT, 0);
    }

    public static LengthRule atLeast(int n) {
        return new LengthRule(n, Integer.MAX_VALUE, NO_COUNT, 0);
    }

    public static LengthRule between(int min, int max) {
        return new LengthRule(min, max, NO_COUNT, 0);
    }

    /** A {@code header}-byte header whose byte {@code countOffset} counts the {@code entrySize}-byte entries after it. */
    public static LengthRule counted(int header, int countOffset, int entrySize) {
        return new LengthRule(header, Integer.MAX_VALUE, countOffset, entrySize);
    }

    /**
     * @param input the payload, from its position, holding at least {@code length} bytes (read only
     *              for a counted rule, and only when {@code length} reaches the header)
     */
    public boolean accepts(int length, ByteBuffer input) {
        if (length < min || length > max) {
            return false;
        }
        if (countOffset == NO_COUNT) {
            return true;
        }
        long count = input.get(input.position() + countOffset) & 0xFF;
        return length == min + entrySize * count;
    }

    @Override
    public String toString() {
        if (countOffset != NO_COUNT) {
            return "exactly " + min + " + " + entrySize + " x byte " + countOffset;
        }
        if (min == max) {
            return "exactly " + min;
        }
        return max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
    }
}
