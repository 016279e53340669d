package io.cxlkit.device.media;

import io.cxlkit.protocol.payload.PoisonSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The poisoned lines of a device and which of them the poison list holds (memdev-commands.md
 * §8.1), as a sorted map of runs of 64-byte lines, never one entry per line: a {@code media-error}
 * may poison gigabytes at once. Line numbers are DPA / 64.
 *
 * <p>The map is canonical: runs do not overlap, and two adjacent runs with the same source and the
 * same listed state are one run. So the listed runs are exactly the poison list's records (maximal
 * runs of adjacent listed lines of one source), and their number is bounded by M.
 *
 * <p>Listing rules: a new line is listed unless the list has overflowed or listing it would make
 * more than M records; then it stays unlisted and the list overflows. Clearing a line that splits a
 * listed run when M records exist unlists the upper fragment and overflows the list. Only a
 * whole-range Scan Media ({@link #rebuild}) lists lines again and clears the overflow. Since only
 * an overflow leaves lines unlisted and only a rebuild in which all fit clears it, unlisted lines
 * exist only while the list has overflowed: a Scan Media of part of the device never has lines
 * it may list.
 *
 * <p>Not thread-safe: {@link MediaModel} guards it.
 */
final class PoisonMap {

    /** Lines [start, end) poisoned with one source, listed or not. */
    record Run(long start, long end, PoisonSource source, boolean listed) {
        Run {
            if (end <= start || start < 0) {
                throw new IllegalArgumentException("empty or negative run " + start + ".." + end);
            }
        }

        long length() {
            return end - start;
        }

        Run with(long s, long e) {
            return new Run(s, e, source, listed);
        }

        Run withListed(boolean l) {
            return new Run(start, end, source, l);
        }
    }

    /** A run of lines that became poisoned, and whether the list took them. */
    record NewRun(long start, long end, boolean listed) {
    }

    private final int maxRecords;
    private final TreeMap<Long, Run> runs = new TreeMap<>();
    private int listedRuns;
    private boolean overflow;
    private long overflowTimestamp;

    PoisonMap(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    PoisonMap copy() {
        PoisonMap c = new PoisonMap(maxRecords);
        c.runs.putAll(runs);
        c.listedRuns = listedRuns;
        c.overflow = overflow;
        c.overflowTimestamp = overflowTimestamp;
        return c;
    }

    boolean overflow() {
        return overflow;
    }

    /** The device timestamp of the overflow (0 without it). */
    long overflowTimestamp() {
        return overflow ? overflowTimestamp : 0;
    }

    /** The run holding {@code line}, or null when it is not poisoned. */
    Run at(long line) {
        Map.Entry<Long, Run> e = runs.floorEntry(line);
        return e != null && e.getValue().end() > line ? e.getValue() : null;
    }

    /** The lines currently poisoned with source Injected (Identify 3Fh's count). */
    long injectedLines() {
        long n = 0;
        for (Run r : runs.values()) {
            if (r.source() == PoisonSource.INJECTED) {
                n += r.length();
            }
        }
        return n;
    }

    /**
     * Poisons the unpoisoned lines of [start, end) with {@code source} (poisoned lines keep
     * theirs), gap by gap in ascending order; each gap is listed or, per the rules, not.
     *
     * @return the gaps that became poisoned, ascending
     */
    List<NewRun> poison(long start, long end, PoisonSource source, long now) {
        List<NewRun> added = new ArrayList<>();
        long at = start;
        while (at < end) {
            Run holding = at(at);
            if (holding != null) {
                at = holding.end();
                continue;
            }
            Long next = runs.higherKey(at);
            long gapEnd = next == null ? end : Math.min(end, next);
            added.add(new NewRun(at, gapEnd, addNew(at, gapEnd, source, now)));
            at = gapEnd;
        }
        return added;
    }

    /** Lines [s, e), none poisoned, become poisoned; true if they are listed. */
    private boolean addNew(long s, long e, PoisonSource source, long now) {
        boolean listed = !overflow && recordsIfListed(s, e, source) <= maxRecords;
        if (!listed) {
            overflow(now);
        }
        insert(new Run(s, e, source, listed));
        return listed;
    }

    /** The number of records if [s, e) were added listed: one more, less one per listed neighbour it joins. */
    private int recordsIfListed(long s, long e, PoisonSource source) {
        int n = listedRuns + 1;
        Map.Entry<Long, Run> left = runs.lowerEntry(s);
        if (left != null && joins(left.getValue(), s, source)) {
            n--;
        }
        Run right = runs.get(e);
        if (right != null && right.listed() && right.source() == source) {
            n--;
        }
        return n;
    }

    private static boolean joins(Run left, long s, PoisonSource source) {
        return left.end() == s && left.listed() && left.source() == source;
    }

    private void overflow(long now) {
        if (!overflow) {
            overflow = true;
            overflowTimestamp = now; // when the device found the list overflowed; later losses keep it
        }
    }

    /**
     * {@code line} is no longer poisoned, whatever its source. A listed run it splits in two while
     * M records exist keeps its lower fragment listed; the upper one is unlisted and the list
     * overflows.
     *
     * @return whether the line was poisoned
     */
    boolean clear(long line, long now) {
        Run r = at(line);
        if (r == null) {
            return false;
        }
        remove(r);
        boolean lower = r.start() < line;
        boolean upper = line + 1 < r.end();
        boolean upperListed = r.listed();
        if (r.listed() && lower && upper && listedRuns + 2 > maxRecords) {
            upperListed = false;
            overflow(now);
        }
        if (lower) {
            insert(r.with(r.start(), line));
        }
        if (upper) {
            insert(new Run(line + 1, r.end(), r.source(), upperListed));
        }
        return true;
    }

    /** Removes all poison in lines [start, end) (a reset of the volatile partition). */
    void removeRange(long start, long end) {
        if (start >= end) {
            return;
        }
        for (Run r : meeting(start, end)) {
            remove(r);
            if (r.start() < start) {
                insert(r.with(r.start(), start));
            }
            if (r.end() > end) {
                insert(r.with(end, r.end()));
            }
        }
    }

    /** No poison, no list, no overflow. */
    void clearAll() {
        runs.clear();
        listedRuns = 0;
        overflow = false;
        overflowTimestamp = 0;
    }

    /** The listed runs (the list's records) meeting lines [start, end), clipped to it, ascending; at most {@code limit}. */
    List<Run> listed(long start, long end, int limit) {
        List<Run> out = new ArrayList<>();
        for (Run r : meeting(start, end)) {
            if (out.size() >= limit) {
                break;
            }
            if (r.listed()) {
                out.add(r.with(Math.max(start, r.start()), Math.min(end, r.end())));
            }
        }
        return out;
    }

    /**
     * The poisoned runs meeting lines [start, end), listed or not: maximal runs of adjacent
     * poisoned lines of one source, clipped to the range, ascending (Scan Media's results).
     */
    List<Run> poisoned(long start, long end) {
        List<Run> out = new ArrayList<>();
        for (Run r : meeting(start, end)) {
            long s = Math.max(start, r.start());
            long e = Math.min(end, r.end());
            Run last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end() == s && last.source() == r.source()) {
                out.set(out.size() - 1, new Run(last.start(), e, r.source(), false));
            } else {
                out.add(new Run(s, e, r.source(), false));
            }
        }
        return out;
    }

    /** Every run, as stored, from {@code line} on (clipped): what persists of the persistent partition. */
    List<Run> runsFrom(long line) {
        List<Run> out = new ArrayList<>();
        for (Run r : meeting(line, Long.MAX_VALUE)) {
            out.add(r.with(Math.max(line, r.start()), r.end()));
        }
        return out;
    }

    /**
     * A Scan Media of the whole device: the list is rebuilt from all poison, its first M runs
     * listed, the rest not; the overflow clears if all fit.
     *
     * @return the runs of lines that were unlisted and now are listed, ascending
     */
    List<Run> rebuild() {
        List<Run> all = poisoned(0, Long.MAX_VALUE);
        List<Run> newlyListed = new ArrayList<>();
        for (int i = 0; i < Math.min(all.size(), maxRecords); i++) {
            Run r = all.get(i);
            for (Run old : meeting(r.start(), r.end())) {
                if (!old.listed()) {
                    newlyListed.add(old.with(Math.max(r.start(), old.start()), Math.min(r.end(), old.end())));
                }
            }
        }
        runs.clear();
        listedRuns = 0;
        for (int i = 0; i < all.size(); i++) {
            insert(all.get(i).withListed(i < maxRecords));
        }
        if (all.size() <= maxRecords) {
            overflow = false;
            overflowTimestamp = 0;
        }
        return newlyListed;
    }

    /** Restores persisted state (at open); the runs must not overlap. */
    void load(List<Run> stored, boolean overflowed, long timestamp) {
        for (Run r : stored) {
            if (at(r.start()) != null || (runs.ceilingKey(r.start()) != null && runs.ceilingKey(r.start()) < r.end())) {
                throw new IllegalArgumentException("overlapping poison runs at line " + r.start());
            }
            insert(r);
        }
        overflow = overflowed;
        overflowTimestamp = overflowed ? timestamp : 0;
    }

    private List<Run> meeting(long start, long end) {
        List<Run> out = new ArrayList<>();
        Map.Entry<Long, Run> first = runs.lowerEntry(start);
        if (first != null && first.getValue().end() > start) {
            out.add(first.getValue());
        }
        out.addAll(runs.subMap(start, true, end, false).values());
        return out;
    }

    private void remove(Run r) {
        runs.remove(r.start());
        if (r.listed()) {
            listedRuns--;
        }
    }

    /** Adds a run over unpoisoned lines, joining a neighbour with the same source and listed state. */
    private void insert(Run r) {
        Run merged = r;
        Map.Entry<Long, Run> left = runs.lowerEntry(r.start());
        if (left != null && left.getValue().end() == r.start() && same(left.getValue(), r)) {
            remove(left.getValue());
            merged = merged.with(left.getValue().start(), merged.end());
        }
        Run right = runs.get(r.end());
        if (right != null && same(right, r)) {
            remove(right);
            merged = merged.with(merged.start(), right.end());
        }
        runs.put(merged.start(), merged);
        if (merged.listed()) {
            listedRuns++;
        }
    }

    private static boolean same(Run a, Run b) {
        return a.source() == b.source() && a.listed() == b.listed();
    }
}
