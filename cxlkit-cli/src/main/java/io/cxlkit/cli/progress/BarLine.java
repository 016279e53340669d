package io.cxlkit.cli.progress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lines of one drawing of the progress display, laid out for a width: the label (padded so
 * that the bars align), the bar, bytes done of the total (right-aligned), the percentage, then
 * extras such as the rate and the ETA. Every line of a drawing gets the same bar width, chosen so
 * that the widest extras fit (a rate up to {@code 9999.9 MiB/s}, an ETA up to {@code 999:59}):
 * the bar neither jumps as the figures change nor differs from line to line. When the width is
 * short, room goes in this order: the ETA's, the rate's (the bar never gets narrower than
 * {@link #MIN_BAR}), then the bar, then the byte counts; the rest is cut at the width.
 *
 * <pre>mem0 [#############..............] 16.0/32.0 MiB  50%  8.0 MiB/s  ETA 0:02</pre>
 */
record BarLine(int width, int labelWidth, int amountWidth, int bar, int extrasRoom) {

    static final int MIN_BAR = 10;
    /** Wider bars on wide terminals show nothing more, and move the figures far from the label. */
    static final int MAX_BAR = 50;
    static final int RATE_ROOM = "  ".length() + "9999.9 MiB/s".length();
    static final int ETA_ROOM = "  ".length() + "ETA 999:59".length();
    /** {@code " 100%"} */
    private static final int PERCENT = 5;

    /**
     * The layout for lines at most {@code width} characters wide, labels {@code labelWidth} wide
     * and byte counts ({@link #amount}) at most {@code amountWidth}.
     */
    static BarLine layout(int width, int labelWidth, int amountWidth) {
        int figures = amountWidth + PERCENT;
        for (int room : new int[] {RATE_ROOM + ETA_ROOM, RATE_ROOM, 0}) {
            int bar = width - labelWidth - " [] ".length() - figures - room;
            if (bar >= MIN_BAR) {
                return new BarLine(width, labelWidth, amountWidth, Math.min(bar, MAX_BAR), room);
            }
        }
        return new BarLine(width, labelWidth, amountWidth, 0, Math.max(width - labelWidth - 1 - figures, 0));
    }

    /**
     * One line: {@code label} padded, the bar, the counts, the percentage, then as many of
     * {@code extras} as fit (two spaces before each, in order). Never wider than the width.
     */
    String line(String label, long done, long total, List<String> extras) {
        String padded = label + " ".repeat(Math.max(labelWidth - label.length(), 0));
        String amount = amount(done, total);
        String figures = " ".repeat(Math.max(amountWidth - amount.length(), 0)) + amount
                + String.format(Locale.ROOT, " %3d%%", percent(done, total));
        StringBuilder tail = new StringBuilder();
        for (String extra : extras) {
            if (tail.length() + 2 + extra.length() > extrasRoom) {
                break;
            }
            tail.append("  ").append(extra);
        }
        String line = bar > 0
                ? padded + " [" + bar(done, total, bar) + "] " + figures + tail
                : padded + " " + figures + tail;
        if (line.length() <= width) {
            return line;
        }
        return cut(padded + String.format(Locale.ROOT, " %3d%%", percent(done, total)), width);
    }

    /** {@code 16.0/32.0 MiB}, the first figure padded to the width of the second. */
    static String amount(long done, long total) {
        String t = mib(total);
        return String.format(Locale.ROOT, "%" + t.length() + "s/%s MiB", mib(done), t);
    }

    /** The percentage shown for {@code done} of {@code total}: 0..100, also for 0 or more than the total. */
    static int percent(long done, long total) {
        return (int) Math.min(100, done * 100 / Math.max(total, 1));
    }

    /** {@code 12.3 MiB/s} */
    static String rate(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MiB/s", bytesPerSecond / (1 << 20));
    }

    /** {@code ETA 0:01}: minutes and seconds, the seconds rounded up. */
    static String eta(double seconds) {
        long s = (long) Math.ceil(seconds);
        return String.format(Locale.ROOT, "ETA %d:%02d", s / 60, s % 60);
    }

    /** {@code text} split at spaces into lines of at most {@code width} characters (a longer word is cut). */
    static List<String> wrap(String text, int width) {
        int w = Math.max(width, 1);
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > w) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
            while (line.length() > w) {
                lines.add(line.substring(0, w));
                line.delete(0, w);
            }
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(width, 0));
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (double) (1 << 20));
    }

    private static String bar(long done, long total, int width) {
        int filled = (int) Math.max(0, Math.min(width, done * width / Math.max(total, 1)));
        return "#".repeat(filled) + ".".repeat(width - filled);
    }
}
