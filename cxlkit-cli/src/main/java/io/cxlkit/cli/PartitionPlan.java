package io.cxlkit.cli;

import io.cxlkit.host.json.MemdevView.PartitionView;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ndctl v81's arithmetic of {@code cxl set-partition} ({@code validate_partition},
 * {@code param_size_to_volatile_size}, {@code partition_align} in cxl/memdev.c;
 * memdev-commands.md §15.4), in its unsigned 64-bit arithmetic and with its bit-mask alignment
 * macros, and its messages (a memdev's failure line adds {@code memN: } before them).
 */
final class PartitionPlan {
    private PartitionPlan() {
    }

    /** {@code -t}: which capacity SIZE is for. */
    enum Type { PMEM, VOLATILE }

    /**
     * {@code -t pmem|ram|volatile} (none: pmem).
     *
     * @throws IllegalArgumentException {@code invalid type 'X'}
     */
    static Type type(String text) {
        if (text == null || text.equals("pmem")) {
            return Type.PMEM;
        }
        if (text.equals("ram") || text.equals("volatile")) {
            return Type.VOLATILE;
        }
        throw new IllegalArgumentException("invalid type '" + text + "'");
    }

    private static final Pattern SIZE = Pattern.compile("(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)"
            + "(|[kKmMgGtT]|B|KiB|MiB|GiB|TiB)");

    /**
     * {@code -s SIZE}: ndctl's {@code parse_size64} (C's {@code strtoull} base 0: decimal, 0x
     * hexadecimal or 0-prefixed octal, then one binary suffix k, m, g or t in either case) and
     * cli.md's forms ({@code B}, {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}); bytes as an
     * unsigned 64-bit value below 2^64-1.
     *
     * @throws IllegalArgumentException {@code failed to parse size option 'X'}
     */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        IllegalArgumentException bad = new IllegalArgumentException("failed to parse size option '" + text + "'");
        if (!m.matches()) {
            throw bad;
        }
        String digits = m.group(1);
        long value;
        try {
            if (digits.length() > 1 && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X')) {
                value = Long.parseUnsignedLong(digits.substring(2), 16);
            } else if (digits.startsWith("0")) {
                value = digits.length() == 1 ? 0 : Long.parseUnsignedLong(digits.substring(1), 8);
            } else {
                value = Long.parseUnsignedLong(digits);
            }
        } catch (NumberFormatException e) {
            throw bad;
        }
        int shift = switch (m.group(2)) {
            case "k", "K", "KiB" -> 10;
            case "m", "M", "MiB" -> 20;
            case "g", "G", "GiB" -> 30;
            case "t", "T", "TiB" -> 40;
            default -> 0;
        };
        if (value == -1L || (shift > 0 && Long.compareUnsigned(value, -1L >>> shift) > 0)) {
            throw bad; // ULLONG_MAX itself, or an overflow of the suffix's multiplication
        }
        return value << shift;
    }

    /**
     * The volatile capacity in bytes to ask for.
     *
     * @param size  SIZE in bytes, empty without {@code -s} (all available capacity to the type)
     * @param align {@code -a}: align an unaligned result (down for pmem, up for ram) instead of failing
     * @throws IllegalArgumentException with ndctl's message when the request cannot be met
     */
    static long volatileSize(PartitionView p, Type type, OptionalLong size, boolean align) {
        long alignment = p.alignmentSize();
        long available = p.totalSize() - p.volatileOnlySize() - p.persistentOnlySize();
        // ndctl fails on the alignment alone; memdev-commands.md §15.4 also on no capacity to move
        if (alignment == 0 || available == 0) {
            throw new IllegalArgumentException("no available capacity");
        }
        long volatileSize;
        if (size.isEmpty()) {
            volatileSize = type == Type.PMEM ? 0 : available;
        } else {
            long s = size.getAsLong();
            if (Long.compareUnsigned(s, available) > 0) {
                throw new IllegalArgumentException(s + " exceeds available capacity " + available);
            }
            volatileSize = type == Type.PMEM ? available - s : s;
        }
        if ((volatileSize & (alignment - 1)) == 0) { // IS_ALIGNED
            return volatileSize;
        }
        if (!align) {
            throw new IllegalArgumentException("size " + volatileSize + " is not partition aligned " + alignment);
        }
        volatileSize = type == Type.PMEM
                ? ((volatileSize + alignment) & ~(alignment - 1)) - alignment // ALIGN_DOWN
                : (volatileSize + (alignment - 1)) & ~(alignment - 1); // ALIGN
        if (Long.compareUnsigned(volatileSize, available) > 0) {
            throw new IllegalArgumentException("aligned partition size " + volatileSize + " exceeds available size "
                    + available);
        }
        return volatileSize;
    }
}
