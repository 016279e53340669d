package io.cxlkit.device.media;

import io.cxlkit.device.capacity.MediaWipe;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.PoisonSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A device's media (memdev-commands.md §8.1, docs/media-and-poison.md): the data of its 64-byte
 * lines, zero until written; the poisoned lines and the poison list ({@link PoisonMap}); and the
 * Scan Media results. The persistent partition's data lives in a sparse file and its poison in
 * poison.bin ({@link MediaStore}), written before a change is published; the volatile partition's
 * data and poison live in memory and a cold reset or restart clears them.
 *
 * <p>Thread-safe on its own monitor, which it holds across its file work: Sanitize's erase runs on
 * the device's worker outside the device lock. It never takes the device lock, so callers may hold
 * that one (the order is device lock, then this monitor).
 */
public final class MediaModel implements MediaErase, MediaWipe {

    /** The Scan Media state Get Scan Media Results answers from. */
    public enum ScanState {
        /** No Scan Media since the last cold reset or restart: 4305h answers 0003h. */
        NONE,
        /** A Scan Media runs: 4305h answers 0006h. */
        RUNNING,
        /** A scan completed, was aborted, or its results were discarded: 4305h returns what is left. */
        DONE
    }

    static final int LINE = 64;

    private final MediaStore store;
    private final long lines;
    /** The volatile partition's size in bytes now, V + share; read under the device lock by the callers' contract. */
    private final LongSupplier volatileBytes;
    private PoisonMap poison;
    /**
     * The poison as poison.bin holds it (the persistent partition's part and the overflow); null
     * while it also holds a marker of an unfinished change of both files, so the next write lands.
     */
    private MediaStore.Persisted persisted;
    /** Written volatile lines, by line number (Clear Poison writes one line at a time). */
    private final Map<Long, byte[]> volatileData = new HashMap<>();
    private ScanState scanState = ScanState.NONE;
    private List<MediaErrorRecord> results = List.of();
    private int nextResult;

    /**
     * The media of a device whose files {@code store} opened: its persistent poison and overflow
     * as stored (the volatile partition starts empty).
     *
     * @param volatileBytes the volatile partition's size now (V + share), read under the device lock
     */
    public MediaModel(MediaStore store, DeviceConfig config, LongSupplier volatileBytes) {
        this.store = store;
        this.lines = config.totalCapacity() / LINE;
        this.volatileBytes = volatileBytes;
        this.poison = new PoisonMap(config.poisonMaxRecords());
        MediaStore.Persisted p = store.initial();
        poison.load(p.runs(), p.overflow(), p.overflowTimestamp()); // MediaStore.open checked them
        this.persisted = p;
    }

    /** The number of 64-byte lines, total capacity / 64. */
    public long lines() {
        return lines;
    }

    // ---- poison ----

    /** The result of poisoning lines. */
    public record Poisoned(long startLine, long endLine, boolean listed) {
    }

    /** The records of the poison list meeting lines [start, end), clipped, ascending, at most {@code limit}. */
    synchronized List<PoisonMap.Run> listed(long start, long end, int limit) {
        return poison.listed(start, end, limit);
    }

    public synchronized boolean overflow() {
        return poison.overflow();
    }

    /** The overflow's device timestamp, 0 without overflow. */
    public synchronized long overflowTimestamp() {
        return poison.overflowTimestamp();
    }

    public synchronized boolean poisoned(long line) {
        return poison.at(line) != null;
    }

    public synchronized long injectedLines() {
        return poison.injectedLines();
    }

    /**
     * Poisons the unpoisoned lines of [start, end) with {@code source}; durable when it returns
     * (on an I/O error nothing changed).
     *
     * @param now the device timestamp, for a list overflow
     * @return the runs of lines that became poisoned, ascending
     */
    public synchronized List<Poisoned> poison(long start, long end, PoisonSource source, long now) throws IOException {
        PoisonMap before = poison.copy();
        List<PoisonMap.NewRun> added = poison.poison(start, end, source, now);
        persistOrRestore(before);
        List<Poisoned> out = new ArrayList<>(added.size());
        for (PoisonMap.NewRun r : added) {
            out.add(new Poisoned(r.start(), r.end(), r.listed()));
        }
        return out;
    }

    /**
     * Clear Poison's effect: {@code data} (64 bytes) written to the line, which is then no longer
     * poisoned or listed. The data lands first, then the poison change; both durable on return.
     */
    public synchronized void clearPoison(long line, byte[] data, long now) throws IOException {
        PoisonMap before = poison.copy();
        boolean wasPoisoned = poison.clear(line, now);
        MediaStore.Persisted target = snapshot();
        if (line * LINE >= volatileBytes.getAsLong() && !target.equals(persisted)) {
            // both files change: poison.bin lands first, carrying the line as a redo record that a
            // restart applies, so a crash leaves the line poisoned with its old data or cleared with
            // the new; then the line, then poison.bin without the record
            try {
                store.writePoison(target, false, new MediaStore.Redo(line * LINE, data.clone()));
            } catch (IOException | RuntimeException e) {
                poison = before;
                throw e;
            }
            persisted = null; // the file holds a redo record until the next line lands
            store.writeLine(line * LINE, data);
            store.writePoison(target);
            persisted = target;
            return;
        }
        writeLine(line, data);
        if (wasPoisoned) {
            persistOrRestore(before);
        }
    }

    // ---- Scan Media ----

    public synchronized ScanState scanState() {
        return scanState;
    }

    /** A Scan Media starts: earlier results are discarded. */
    public synchronized void scanStarted() {
        scanState = ScanState.RUNNING;
        results = List.of();
        nextResult = 0;
    }

    /** A Scan Media was aborted: no results (4305h answers 0000h with none). */
    public synchronized void scanAborted() {
        if (scanState == ScanState.RUNNING) {
            scanState = ScanState.DONE;
            results = List.of();
            nextResult = 0;
        }
    }

    /**
     * A Scan Media of lines [start, end) completes: its results are the poisoned runs there; a
     * scan of the whole device rebuilds the list (durable on return).
     *
     * @return the runs of lines it listed that were unlisted, ascending
     */
    synchronized List<PoisonMap.Run> scanCompleted(long start, long end) throws IOException {
        List<PoisonMap.Run> found = poison.poisoned(start, end);
        List<PoisonMap.Run> listedNow = List.of();
        if (start == 0 && end == lines) {
            PoisonMap before = poison.copy();
            listedNow = poison.rebuild();
            persistOrRestore(before);
        }
        // a part of the device: no line there can be listed (PoisonMap: unlisted lines mean overflow)
        results = MediaRecords.of(found, Integer.MAX_VALUE);
        nextResult = 0;
        scanState = ScanState.DONE;
        return listedNow;
    }

    /** The next unreturned results, at most {@code max}; they count as returned. */
    synchronized List<MediaErrorRecord> takeResults(int max) {
        int end = (int) Math.min(results.size(), (long) nextResult + max);
        List<MediaErrorRecord> out = List.copyOf(results.subList(nextResult, end));
        nextResult = end;
        return out;
    }

    public synchronized boolean resultsLeft() {
        return nextResult < results.size();
    }

    @Override
    public synchronized void discardScanResults() {
        if (scanState != ScanState.NONE) {
            scanState = ScanState.DONE;
        }
        results = List.of();
        nextResult = 0;
    }

    // ---- data ----

    /** The data of {@code length} bytes at {@code dpa} (64-byte aligned, in range): the model's, poison or not. */
    public synchronized byte[] read(long dpa, int length) throws IOException {
        byte[] out = new byte[length];
        long volatileLimit = volatileBytes.getAsLong();
        // the persistent part from the file in one read; then the volatile lines written in memory
        long persistentFrom = Math.max(dpa, volatileLimit);
        if (persistentFrom < dpa + length) {
            int off = (int) (persistentFrom - dpa);
            store.read(persistentFrom, out, off, length - off);
        }
        for (long at = dpa; at < Math.min(dpa + length, volatileLimit); at += LINE) {
            byte[] line = volatileData.get(at / LINE);
            if (line != null) {
                System.arraycopy(line, 0, out, (int) (at - dpa), LINE);
            }
        }
        return out;
    }

    private void writeLine(long line, byte[] data) throws IOException {
        if (line * LINE < volatileBytes.getAsLong()) {
            volatileData.put(line, data.clone());
        } else {
            store.writeLine(line * LINE, data);
        }
    }

    // ---- resets and erasure ----

    /**
     * A cold reset or restart (memdev-commands.md §11): the volatile partition's data and poison
     * are cleared and the Scan Media results dropped; persistent data, poison and the overflow stay.
     */
    public synchronized void coldReset() {
        volatileData.clear();
        poison.removeRange(0, volatileBytes.getAsLong() / LINE); // never persisted: nothing to write
        scanState = ScanState.NONE;
        results = List.of();
        nextResult = 0;
    }

    /** A changed volatile share (memdev-commands.md §5): all data zero, no poison, list or overflow; durable. */
    @Override
    public synchronized void wipeForRepartition() throws IOException {
        eraseAll();
    }

    @Override
    public synchronized void sanitizeMedia() throws IOException {
        eraseAll();
    }

    @Override
    public synchronized void secureEraseMedia() throws IOException {
        store.zeroData();
        volatileData.clear();
    }

    private void eraseAll() throws IOException {
        if (store.hasData() && !MediaStore.Persisted.NONE.equals(persisted)) {
            // both files change: poison.bin first says "erase pending" (a restart finishes it)
            store.writePoison(MediaStore.Persisted.NONE, true, null);
            persisted = null;
        }
        store.zeroData();
        volatileData.clear();
        PoisonMap before = poison.copy();
        poison.clearAll();
        persistOrRestore(before);
    }

    /** What poison.bin must hold now: the persistent partition's runs and the overflow. */
    private MediaStore.Persisted snapshot() {
        return new MediaStore.Persisted(poison.runsFrom(volatileBytes.getAsLong() / LINE), poison.overflow(),
                poison.overflowTimestamp());
    }

    /**
     * Writes poison.bin if what it must hold changed (the persistent partition's runs, the
     * overflow); on failure the poison goes back to {@code before}, so nothing unpersisted is
     * published.
     */
    private void persistOrRestore(PoisonMap before) throws IOException {
        MediaStore.Persisted now = snapshot();
        if (now.equals(persisted)) {
            return;
        }
        try {
            store.writePoison(now);
        } catch (IOException | RuntimeException e) {
            poison = before;
            throw e;
        }
        persisted = now;
    }
}
