package io.cxlkit.cli.serve;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The size and duration syntax of cli.md: {@code 4096}, {@code 4KiB}, {@code 32MiB}, and ndctl's
 * binary suffixes {@code 4k}/{@code 4K}, {@code 32m}/{@code 32M}, {@code 1g}/{@code 1G}; {@code 2ms},
 * {@code 30s}, {@code 1m}.
 */
public final class Units {
    private Units() {
    }

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*(|B|KiB|MiB|GiB|k|K|m|M|g|G)");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})\\s*(ms|s|m)");

    /** Bytes from {@code N}, {@code NB}, {@code NKiB}, {@code NMiB}, {@code NGiB}, or N with k, m, g (either case: binary, as ndctl). */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (a byte count, or N with KiB/MiB/GiB or k/m/g)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        int shift = switch (m.group(2)) {
            case "KiB", "k", "K" -> 10;
            case "MiB", "m", "M" -> 20;
            case "GiB", "g", "G" -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return n << shift;
    }

    /** A duration that names its unit: ms, s or m. */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (a number with ms, s or m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    /** log2 of a power-of-two size within [2^min, 2^max]. */
    public static int powerOfTwo(long bytes, int minExp, int maxExp, String what) {
        if (bytes <= 0 || Long.bitCount(bytes) != 1) {
            throw new IllegalArgumentException(what + " must be a power of two, not " + bytes);
        }
        int exp = Long.numberOfTrailingZeros(bytes);
        if (exp < minExp || exp > maxExp) {
            throw new IllegalArgumentException(what + " must be " + describe(1L << minExp) + ".." + describe(1L << maxExp)
                    + ", not " + describe(bytes));
        }
        return exp;
    }

    static String describe(long bytes) {
        if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
