package io.cxlkit.cli.progress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The {@code update-firmware -w} progress bar, drawn on a terminal's stderr: bytes, percent,
 * rate and ETA, redrawn in place (carriage return, then the line, padded over the previous one)
 * at most ten times a second. {@link #finish} draws the final state and ends the line;
 * {@link #abandon} ends it where it stands, so a message printed next (Ctrl-C, a daemon gone)
 * starts on a line of its own. Thread-safe: a signal handler may abandon it while it draws.
 *
 * <pre>mem0 [##########..........]  16.0/32.0 MiB  50%  12.3 MiB/s  ETA 0:01</pre>
 */
public final class ProgressBar {

    static final long MIN_INTERVAL_NANOS = 100_000_000L;
    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final LongSupplier nanoTime;
    private final String label;
    private final long startNanos;
    private long lastDrawNanos = Long.MIN_VALUE;
    private int lastLength;
    /** Finished or abandoned: draws nothing more. */
    private boolean ended;

    public ProgressBar(PrintWriter out, LongSupplier nanoTime, String label) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.label = label;
        this.startNanos = nanoTime.getAsLong();
    }

    /** Redraws if at least 100 ms passed since the last drawing; returns whether it drew. */
    public synchronized boolean update(long done, long total) {
        if (ended) {
            return false;
        }
        long now = nanoTime.getAsLong();
        if (lastDrawNanos != Long.MIN_VALUE && now - lastDrawNanos < MIN_INTERVAL_NANOS) {
            return false;
        }
        draw(done, total, now, false);
        return true;
    }

    /** Draws the final state and moves to the next line. */
    public synchronized void finish(long done, long total) {
        if (!ended) {
            draw(done, total, nanoTime.getAsLong(), true);
        }
    }

    /** Ends the line as it stands (if anything was drawn) and draws nothing more. */
    public synchronized void abandon() {
        if (!ended && lastLength > 0) {
            out.print('\n');
            out.flush();
        }
        ended = true;
    }

    private void draw(long done, long total, long now, boolean last) {
        lastDrawNanos = now;
        String line = render(done, total, now - startNanos, last);
        StringBuilder b = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
            b.append(' ');
        }
        lastLength = line.length();
        if (last) {
            b.append('\n');
            ended = true;
        }
        out.print(b);
        out.flush();
    }

    /** One line for {@code done} of {@code total} bytes after {@code elapsedNanos}. */
    String render(long done, long total, long elapsedNanos, boolean last) {
        long safeTotal = Math.max(total, 1);
        int pct = (int) Math.min(100, done * 100 / safeTotal);
        int filled = (int) Math.min(WIDTH, done * WIDTH / safeTotal);
        StringBuilder b = new StringBuilder(label).append(" [");
        for (int i = 0; i < WIDTH; i++) {
            b.append(i < filled ? '#' : '.');
        }
        b.append("] ").append(mib(done)).append('/').append(mib(total)).append(" MiB ")
                .append(String.format(Locale.ROOT, "%3d%%", pct));
        double seconds = elapsedNanos / 1e9;
        if (seconds > 0 && done > 0) {
            double rate = done / seconds;
            b.append(String.format(Locale.ROOT, "  %.1f MiB/s", rate / (1 << 20)));
            if (!last && done < total) {
                long eta = (long) Math.ceil((total - done) / rate);
                b.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
            }
        }
        return b.toString();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (double) (1 << 20));
    }
}
