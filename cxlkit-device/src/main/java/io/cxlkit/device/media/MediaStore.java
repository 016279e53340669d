package io.cxlkit.device.media;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.persist.AtomicFiles;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.protocol.payload.MalformedPayloadException;
import io.cxlkit.protocol.payload.PoisonSource;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The media model's files in the device's directory (docs/media-and-poison.md):
 *
 * <pre>
 * media.bin    the persistent partition's data, at offset = DPA: a sparse file of the total
 *              capacity (holes read as zeros), created at the first write of a persistent line;
 *              absent: all zeros. The volatile partition's range of it is never written.
 * poison.bin   the persistent partition's poison and the list's overflow (atomic rewrite):
 *                00h 4 magic "CXPL"    04h 4 version 1
 *                08h 1 bit 0 overflow, bit 1 erase pending, bit 2 redo record present
 *                09h 3 reserved        0Ch 4 run count n
 *                10h 8 overflow timestamp
 *                18h n x 18h runs: 00h 8 first line (DPA / 64), 08h 8 lines,
 *                                  10h 1 source (r3.1 Table 8-140 code), 11h 1 bit 0 listed, 12h 6 reserved
 *                with bit 2: 8 the DPA of a line and 40h its data (a redo record)
 *                then 4 CRC-32C of everything before it
 *              absent: no persistent poison and no overflow.
 * </pre>
 *
 * A change of both files is made whole by poison.bin, which lands first and says what media.bin
 * must still get: "erase pending" (delete media.bin: a wipe or Sanitize) or a redo record (write
 * this line: a Clear Poison of a poisoned persistent line). Opening a device finishes such a
 * change, then rewrites poison.bin without it; so does the change itself once media.bin has it.
 *
 * Not thread-safe: {@link MediaModel} guards it.
 */
public final class MediaStore {

    public static final String DATA_FILE = "media.bin";
    public static final String POISON_FILE = "poison.bin";
    static final int MAGIC = 0x4C505843; // "CXPL" little-endian
    static final int VERSION = 1;
    static final int HEADER = 0x18;
    static final int RUN = 0x18;
    static final int REDO = 8 + 64;

    /** What poison.bin holds. */
    record Persisted(List<PoisonMap.Run> runs, boolean overflow, long overflowTimestamp) {
        static final Persisted NONE = new Persisted(List.of(), false, 0);
    }

    /** A line media.bin must still get: poison.bin's redo record. */
    record Redo(long dpa, byte[] data) {
    }

    /** poison.bin as read: its poison, and the media.bin change it says is not done yet. */
    private record Stored(Persisted persisted, boolean erasePending, Redo redo) {
    }

    private final String deviceName;
    private final Path dataFile;
    private final Path poisonFile;
    private final AtomicFiles files;
    private final CrashHook hook;
    private final long capacity;
    /** What poison.bin held at open. */
    private Persisted initial = Persisted.NONE;

    private MediaStore(String deviceName, Path dir, AtomicFiles files, long capacity) {
        this.deviceName = deviceName;
        this.dataFile = dir.resolve(DATA_FILE);
        this.poisonFile = dir.resolve(POISON_FILE);
        this.files = files;
        this.hook = files.hook();
        this.capacity = capacity;
    }

    /**
     * Opens the media files of the device in {@code dir} and reads its persistent poison. A
     * media.bin of a size other than the capacity (an empty one is a creation cut short, so
     * zeros) or a damaged poison.bin is an error naming the device.
     */
    public static MediaStore open(Path dir, DeviceConfig config, AtomicFiles files) throws IOException, DeviceStateException {
        MediaStore store = new MediaStore(config.name(), dir, files, config.totalCapacity());
        files.delete(dir.resolve(POISON_FILE + ".tmp"));
        if (Files.exists(store.dataFile)) {
            long size = Files.size(store.dataFile);
            if (size != 0 && size != store.capacity) {
                throw new DeviceStateException(config.name() + ": " + store.dataFile + " holds " + size
                        + " bytes of media but the capacity is " + store.capacity
                        + " bytes (configure that capacity again, or delete the file to start with zeroed media)");
            }
        }
        Stored stored = store.readPoison();
        store.initial = stored.persisted();
        // a change of both files that a crash cut short: finish it (both steps may run again)
        if (stored.erasePending()) {
            store.zeroData();
        }
        if (stored.redo() != null) {
            store.writeLine(stored.redo().dpa(), stored.redo().data());
        }
        if (stored.erasePending() || stored.redo() != null) {
            store.writePoison(stored.persisted());
        }
        try {
            new PoisonMap(config.poisonMaxRecords()).load(store.initial.runs(), false, 0);
        } catch (IllegalArgumentException e) {
            throw store.damaged(e);
        }
        return store;
    }

    /** Reads poison.bin; a damaged one is an error naming the device. */
    private Stored readPoison() throws IOException, DeviceStateException {
        if (!Files.exists(poisonFile)) {
            return new Stored(Persisted.NONE, false, null);
        }
        byte[] bytes = Files.readAllBytes(poisonFile);
        try {
            return decode(bytes);
        } catch (IllegalArgumentException | MalformedPayloadException e) {
            throw damaged(e);
        }
    }

    private DeviceStateException damaged(RuntimeException e) {
        return new DeviceStateException(deviceName + ": " + poisonFile + " is damaged (" + e.getMessage()
                + "); delete it to start with no persistent poison");
    }

    Persisted initial() {
        return initial;
    }

    private Stored decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HEADER + 4 || b.getInt(0) != MAGIC || b.getInt(4) != VERSION) {
            throw new IllegalArgumentException("not a version 1 poison file");
        }
        long n = Integer.toUnsignedLong(b.getInt(0x0C));
        int flags = b.get(8);
        boolean hasRedo = (flags & 4) != 0;
        if (bytes.length != HEADER + n * RUN + (hasRedo ? REDO : 0) + 4) {
            throw new IllegalArgumentException("length does not match its " + n + " runs");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != b.getInt(bytes.length - 4)) {
            throw new IllegalArgumentException("checksum mismatch");
        }
        List<PoisonMap.Run> runs = new ArrayList<>();
        long lines = capacity / 64;
        for (int i = 0; i < n; i++) {
            int at = HEADER + i * RUN;
            long start = b.getLong(at);
            long length = b.getLong(at + 8);
            if (start < 0 || length <= 0 || length > lines || start > lines - length) {
                throw new IllegalArgumentException("a run outside the device's " + lines + " lines");
            }
            PoisonSource source = PoisonSource.fromCode(b.get(at + 0x10) & 7);
            runs.add(new PoisonMap.Run(start, start + length, source, (b.get(at + 0x11) & 1) != 0));
        }
        boolean overflow = (flags & 1) != 0;
        Redo redo = null;
        if (hasRedo) {
            int at = (int) (HEADER + n * RUN);
            long dpa = b.getLong(at);
            if (dpa < 0 || dpa % 64 != 0 || dpa > capacity - 64) {
                throw new IllegalArgumentException("a redo record outside the device");
            }
            redo = new Redo(dpa, Arrays.copyOfRange(bytes, at + 8, at + REDO));
        }
        return new Stored(new Persisted(runs, overflow, overflow ? b.getLong(0x10) : 0), (flags & 2) != 0, redo);
    }

    /** Replaces poison.bin crash-safely (deletes it when there is nothing to keep); durable when it returns. */
    void writePoison(Persisted p) throws IOException {
        if (p.runs().isEmpty() && !p.overflow()) {
            files.delete(poisonFile);
            return;
        }
        writePoison(p, false, null);
    }

    /**
     * The first step of a change of both files: poison.bin with the poison after it and what
     * media.bin must still get ({@code erasePending}, or the {@code redo} line). Once media.bin has
     * it, {@link #writePoison(Persisted)} again drops the marker.
     */
    void writePoison(Persisted p, boolean erasePending, Redo redo) throws IOException {
        int size = HEADER + p.runs().size() * RUN + (redo != null ? REDO : 0) + 4;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        int flags = (p.overflow() ? 1 : 0) | (erasePending ? 2 : 0) | (redo != null ? 4 : 0);
        b.putInt(0, MAGIC).putInt(4, VERSION).put(8, (byte) flags).putInt(0x0C, p.runs().size())
                .putLong(0x10, p.overflowTimestamp());
        int at = HEADER;
        for (PoisonMap.Run r : p.runs()) {
            b.putLong(at, r.start()).putLong(at + 8, r.length()).put(at + 0x10, (byte) r.source().code())
                    .put(at + 0x11, (byte) (r.listed() ? 1 : 0));
            at += RUN;
        }
        if (redo != null) {
            b.putLong(at, redo.dpa()).put(at + 8, redo.data());
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, size - 4);
        b.putInt(size - 4, (int) crc.getValue());
        files.write(poisonFile, b.array());
    }

    /** Fills {@code dst} with the stored bytes at {@code offset}; holes and a missing file read as zeros. */
    void read(long offset, byte[] dst, int off, int len) throws IOException {
        Arrays.fill(dst, off, off + len, (byte) 0);
        if (!Files.exists(dataFile)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(dst, off, len);
            long pos = offset;
            while (b.hasRemaining()) {
                int n = ch.read(b, pos);
                if (n < 0) {
                    return; // past the end of an empty (cut short) file: zeros
                }
                pos += n;
            }
        }
    }

    /**
     * Writes one line at {@code offset} and fsyncs it; the first write creates the sparse file at
     * the capacity's size (and fsyncs the directory).
     */
    void writeLine(long offset, byte[] line) throws IOException {
        boolean created = !Files.exists(dataFile);
        hook.reached("write " + DATA_FILE);
        try (RandomAccessFile raf = new RandomAccessFile(dataFile.toFile(), "rw")) {
            if (raf.length() != capacity) {
                raf.setLength(capacity); // ftruncate: the file stays sparse, unwritten lines read zeros
            }
            FileChannel ch = raf.getChannel();
            ByteBuffer b = ByteBuffer.wrap(line);
            long pos = offset;
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
            hook.reached("fsync " + DATA_FILE);
            ch.force(true);
        }
        if (created) {
            AtomicFiles.fsyncDirectory(dataFile.getParent());
        }
    }

    /**
     * All data zero: media.bin is deleted (absent reads as zeros) and the deletion made durable.
     * No 16 GiB of zeros are written, and a crash leaves either the old data or none.
     */
    void zeroData() throws IOException {
        files.delete(dataFile);
    }

    /** Whether media.bin exists (some persistent line was written since the last zeroing). */
    boolean hasData() {
        return Files.exists(dataFile);
    }
}
