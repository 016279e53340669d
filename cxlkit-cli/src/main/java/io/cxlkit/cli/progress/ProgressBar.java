package io.cxlkit.cli.progress;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The {@code update-firmware -w} progress display on a terminal's stderr: one bar line per memdev
 * and, with several, a {@code total} line, redrawn in place (ANSI cursor movement) at most ten
 * times a second. No line is ever wider than the terminal less one column (a character in the
 * last column makes some terminals wrap at once, and the redraw would then climb one line short);
 * see {@link BarLine} for what goes first when a line does not fit.
 *
 * <pre>
 * mem0  [#############.............] 16.0/32.0 MiB  50%  8.0 MiB/s  ETA 0:02
 * mem1  [..........................]  0.0/32.0 MiB   0%  receiving
 * total [######....................] 16.0/64.0 MiB  25%  8.0 MiB/s  ETA 0:02
 * </pre>
 *
 * A line's rate counts from the first time the wait saw the upload (it may be half done by then);
 * the total's ETA is the slowest upload's. An upload in a stage where no bytes move shows the
 * stage instead of a rate. A memdev whose upload ended shows its average rate and what happened,
 * after the line when it fits there, else on lines of its own below it, indented under the bar.
 * {@link #message} prints a line above the bars (which are redrawn below it); {@link #finish}
 * draws the final state and moves below it; {@link #abandon} moves below the bars as they stand,
 * so that what is printed next (Ctrl-C, a daemon gone) starts on a line of its own. Thread-safe:
 * a signal handler may abandon it while it draws.
 *
 * <p>When the terminal got narrower since the last drawing the bars are drawn anew below the old
 * ones instead of over them: a terminal that rewraps its lines on a resize has moved the old ones.
 */
public final class ProgressBar {

    static final long MIN_INTERVAL_NANOS = 100_000_000L;
    static final String TOTAL = "total";
    /** Continuation lines narrower than this start at the left edge instead of under the bar. */
    private static final int MIN_INDENTED_WIDTH = 20;
    private static final String ERASE_LINE_END = "\033[K";
    private static final String ERASE_SCREEN_END = "\033[J";

    private final PrintWriter out;
    private final LongSupplier nanoTime;
    private final IntSupplier columns;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final int labelWidth;
    private long lastDrawNanos;
    /** The physical lines of the block now on the screen (0: nothing drawn), and the width it was drawn for. */
    private int drawnHeight;
    private int drawnWidth;
    /** Something changed since the last drawing. */
    private boolean dirty;
    /** Finished or abandoned: draws nothing more. */
    private boolean ended;

    /** One memdev's upload as shown. */
    private static final class Row {
        final String name;
        long done;
        long total;
        String stage = "";
        /** What happened, once the upload ended; null while it runs. */
        String outcome;
        /** The first sighting: the rate is measured from there (an upload may be half done when the wait begins). */
        boolean seen;
        long firstDone;
        long firstNanos;
        long endNanos;

        Row(String name) {
            this.name = name;
        }

        double rate(long nowNanos) {
            long until = outcome != null ? endNanos : nowNanos;
            double seconds = (until - firstNanos) / 1e9;
            return seen && seconds > 0 && done > firstDone ? (done - firstDone) / seconds : 0;
        }
    }

    /**
     * @param columns the terminal's width, asked at every drawing (it may change)
     * @param memdevs the lines, in this order
     */
    public ProgressBar(PrintWriter out, LongSupplier nanoTime, IntSupplier columns, List<String> memdevs) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.columns = columns;
        int widest = memdevs.size() > 1 ? TOTAL.length() : 0;
        for (String m : memdevs) {
            rows.put(m, new Row(m));
            widest = Math.max(widest, m.length());
        }
        this.labelWidth = widest;
    }

    /** {@code memdev}'s upload has {@code done} of {@code total} bytes, in {@code stage}; redraws if due. */
    public synchronized void update(String memdev, long done, long total, String stage) {
        Row r = rows.get(memdev);
        if (r == null || ended) {
            return;
        }
        long now = nanoTime.getAsLong();
        see(r, done, now);
        r.done = done;
        r.total = total;
        r.stage = stage;
        dirty = true;
        refresh(now);
    }

    /** {@code memdev}'s upload ended at {@code done} of {@code total} bytes: {@code outcome} says how. */
    public synchronized void end(String memdev, long done, long total, String outcome) {
        Row r = rows.get(memdev);
        if (r == null || ended) {
            return;
        }
        long now = nanoTime.getAsLong();
        see(r, done, now);
        r.done = done;
        r.total = total;
        r.outcome = outcome;
        r.endNanos = now;
        dirty = true;
        refresh(now);
    }

    /** Redraws if the last drawing is at least 100 ms old (the rate and the ETA move with time). */
    public synchronized void tick() {
        if (!ended) {
            refresh(nanoTime.getAsLong());
        }
    }

    /** Prints {@code line} on a line of its own above the bars, which are drawn again below it. */
    public synchronized void message(String line) {
        if (ended) {
            out.println(line);
            out.flush();
            return;
        }
        StringBuilder b = new StringBuilder();
        boolean onScreen = drawnHeight > 0;
        if (onScreen) {
            moveToBlockStart(b, width());
            b.append(ERASE_SCREEN_END);
            drawnHeight = 0;
        }
        b.append(line).append('\n');
        out.print(b);
        if (onScreen) {
            draw(nanoTime.getAsLong(), false);
        }
        out.flush();
    }

    /** Draws the final state (unless it is drawn already) and moves to the line below it. */
    public synchronized void finish() {
        if (!ended && !rows.isEmpty()) {
            if (dirty || drawnHeight == 0) {
                draw(nanoTime.getAsLong(), true);
            } else {
                out.print('\n');
            }
            out.flush();
        }
        ended = true;
    }

    /** Moves below the bars as they stand (if any are drawn) and draws nothing more. */
    public synchronized void abandon() {
        if (!ended && drawnHeight > 0) {
            out.print('\n');
            out.flush();
        }
        ended = true;
    }

    private void see(Row r, long done, long now) {
        if (!r.seen) {
            r.seen = true;
            r.firstDone = done;
            r.firstNanos = now;
        }
    }

    /** Draws if every line has something to show and the last drawing is at least 100 ms old. */
    private void refresh(long now) {
        if (!rows.values().stream().allMatch(r -> r.seen)) {
            return; // a line without its sizes would show 0.0/0.0 MiB
        }
        if (drawnHeight == 0 || now - lastDrawNanos >= MIN_INTERVAL_NANOS) {
            draw(now, false);
            out.flush();
        }
    }

    private int width() {
        return Math.max(columns.getAsInt() - 1, 1);
    }

    private void draw(long now, boolean last) {
        int width = width();
        List<String> lines = render(width, now, last);
        StringBuilder b = new StringBuilder();
        boolean fresh = drawnHeight == 0 || width < drawnWidth;
        if (drawnHeight > 0) {
            moveToBlockStart(b, width);
        } else {
            b.append('\r');
        }
        for (int i = 0; i < lines.size(); i++) {
            b.append(lines.get(i)).append(ERASE_LINE_END);
            if (i < lines.size() - 1) {
                b.append('\n');
            }
        }
        if (!fresh && lines.size() < drawnHeight) {
            b.append(ERASE_SCREEN_END); // the lines the shorter block no longer covers
        }
        if (last) {
            b.append('\n');
            ended = true;
        }
        drawnHeight = lines.size();
        drawnWidth = width;
        lastDrawNanos = now;
        dirty = false;
        out.print(b);
    }

    /**
     * Moves the cursor to the first column of the block's first line; when the terminal got
     * narrower, to a new line below the block instead.
     */
    private void moveToBlockStart(StringBuilder b, int width) {
        if (width < drawnWidth) {
            b.append('\n');
            return;
        }
        b.append('\r');
        if (drawnHeight > 1) {
            b.append("\033[").append(drawnHeight - 1).append('A');
        }
    }

    /** The block's lines for a terminal {@code width} characters wide (less the last column). */
    List<String> render(int width, long now, boolean last) {
        long done = 0;
        long total = 0;
        long moved = 0;
        long since = Long.MAX_VALUE;
        int amountWidth = 0;
        for (Row r : rows.values()) {
            done += r.done;
            total += r.total;
            amountWidth = Math.max(amountWidth, BarLine.amount(r.total, r.total).length());
            if (r.seen) {
                moved += r.done - r.firstDone;
                since = Math.min(since, r.firstNanos);
            }
        }
        if (rows.size() > 1) {
            amountWidth = Math.max(amountWidth, BarLine.amount(total, total).length());
        }
        BarLine layout = BarLine.layout(width, labelWidth, amountWidth);
        List<String> lines = new ArrayList<>();
        double eta = -1;
        for (Row r : rows.values()) {
            double rate = r.rate(now);
            List<String> extras = new ArrayList<>();
            if (r.outcome == null && !r.stage.isEmpty() && !r.stage.equals("transferring")) {
                extras.add(r.stage); // nothing moves in this stage: say what the upload is doing instead
            } else if (rate > 0) {
                extras.add(BarLine.rate(rate));
                if (r.outcome == null && !last && r.done < r.total) {
                    double rowEta = (r.total - r.done) / rate;
                    extras.add(BarLine.eta(rowEta));
                    eta = Math.max(eta, rowEta);
                }
            }
            String line = layout.line(r.name, r.done, r.total, extras);
            if (r.outcome == null) {
                lines.add(line);
            } else if (line.length() + 2 + r.outcome.length() <= width) {
                lines.add(line + "  " + r.outcome);
            } else {
                lines.add(line);
                int indent = width - (labelWidth + 1) >= MIN_INDENTED_WIDTH ? labelWidth + 1 : 0;
                for (String l : BarLine.wrap(r.outcome, width - indent)) {
                    lines.add(" ".repeat(indent) + l);
                }
            }
        }
        if (rows.size() > 1) {
            List<String> extras = new ArrayList<>();
            // the bytes that moved while this wait watched, over its time: the whole's throughput
            double rate = moved > 0 && now > since ? moved / ((now - since) / 1e9) : 0;
            if (rate > 0) {
                extras.add(BarLine.rate(rate));
            }
            if (eta >= 0) {
                extras.add(BarLine.eta(eta)); // when the slowest upload ends
            }
            lines.add(layout.line(TOTAL, done, total, extras));
        }
        return lines;
    }
}
