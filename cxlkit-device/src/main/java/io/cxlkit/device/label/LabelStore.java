package io.cxlkit.device.label;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.persist.AtomicFiles;
import io.cxlkit.device.persist.CrashHook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * The Label Storage Area on disk (memdev-commands.md §6, docs/capacity-and-labels.md): every Set
 * LSA lands whole or not at all, before the command answers, without rewriting the whole area.
 *
 * <pre>
 * lsa.bin       the LSA, exactly S bytes; absent: all zeros. Created at the first Set LSA as a
 *               (sparse) temporary file holding that Set's bytes, fsynced and renamed into place
 * lsa.journal   the Sets since the last checkpoint, appended and fsynced one record each:
 *                 00h 4 magic "LSAJ"   04h 4 sequence number (1, 2, ... from the journal's start)
 *                 08h 4 offset         0Ch 4 length (at least 1)
 *                 10h 4 CRC-32C of bytes 00h..0Fh and the data
 *                 14h   the data
 * </pre>
 *
 * The LSA is lsa.bin with the journal's records applied in order. A record counts only if whole,
 * in sequence, in range and with a matching CRC; the first that is not ends the journal (a crash
 * mid-append). A checkpoint, once the journal holds S bytes or more and when a device opens, writes
 * the records into lsa.bin in place, fsyncs it and only then empties the journal; a crash
 * half-way leaves the journal to be applied again, which gives the same bytes. A journal without
 * lsa.bin belongs to a removed LSA (see {@link #zero()}) and is deleted.
 *
 * <p>Not thread-safe: after {@link #open} it is used by the device's state writer alone.
 */
public final class LabelStore {

    public static final String FILE = "lsa.bin";
    public static final String JOURNAL = "lsa.journal";
    static final int MAGIC = 0x4A41534C; // "LSAJ" little-endian
    static final int HEADER = 0x14;

    private static final Logger LOG = Logger.getLogger(LabelStore.class.getName());

    private final String deviceName;
    private final Path dir;
    private final Path file;
    private final Path journalPath;
    private final AtomicFiles files;
    private final CrashHook hook;
    private final int size;
    private boolean exists;
    private FileChannel journal;
    private long journalLength;
    private int nextSequence = 1;
    /** An append failed and its bytes could not be cut off: no more writes until a restart recovers. */
    private boolean broken;

    private LabelStore(String deviceName, Path dir, AtomicFiles files, int size) {
        this.deviceName = deviceName;
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.journalPath = dir.resolve(JOURNAL);
        this.files = files;
        this.hook = files.hook();
        this.size = size;
    }

    /**
     * Opens the LSA of the device in {@code dir}, applying what its journal holds. An lsa.bin of a
     * size other than the configured one is an error naming the device.
     */
    public static LabelStore open(Path dir, DeviceConfig config, AtomicFiles files)
            throws IOException, DeviceStateException {
        LabelStore store = new LabelStore(config.name(), dir, files, config.lsaSize());
        files.delete(dir.resolve(FILE + ".tmp"));
        store.exists = Files.exists(store.file);
        if (!store.exists) {
            files.delete(store.journalPath);
            return store;
        }
        long onDisk = Files.size(store.file);
        if (onDisk != store.size) {
            throw new DeviceStateException(config.name() + ": " + store.file + " holds a " + onDisk
                    + "-byte label storage area but the LSA size is " + store.size
                    + " bytes (configure " + onDisk + ", or delete the file to start with a zeroed LSA)");
        }
        if (Files.exists(store.journalPath)) {
            store.journal = FileChannel.open(store.journalPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            store.journalLength = store.journal.size();
            store.checkpoint();
        }
        return store;
    }

    public int size() {
        return size;
    }

    /** The LSA's bytes as stored, or null when there is no LSA file yet (all zeros). */
    public byte[] read() throws IOException {
        if (!exists) {
            return null;
        }
        byte[] bytes = new byte[size];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, ByteBuffer.wrap(bytes), 0);
        }
        if (journalLength > 0) {
            forEachRecord((offset, data) -> System.arraycopy(data, 0, bytes, offset, data.length));
        }
        return bytes;
    }

    /**
     * Stores {@code data} at {@code offset} (in range, at least one byte): durable when it returns,
     * whole or not at all. The first Set creates lsa.bin; later ones append to the journal.
     */
    public void write(int offset, byte[] data) throws IOException {
        if (broken) {
            throw new IOException(JOURNAL + " could not be repaired after a failed write; restart the device");
        }
        if (!exists) {
            create(offset, data);
        } else {
            append(offset, data);
        }
    }

    /** Whether the journal holds the LSA's size or more, so that a {@link #checkpoint()} is due. */
    public boolean checkpointDue() {
        return journalLength >= size;
    }

    /** Writes the journal's records into lsa.bin, fsyncs it, then empties the journal. */
    public void checkpoint() throws IOException {
        if (journal == null || journalLength == 0) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            int applied = forEachRecord((offset, data) -> {
                hook.reached("write " + FILE + " at " + offset);
                writeFully(ch, ByteBuffer.wrap(data), offset);
            });
            hook.reached("fsync " + FILE);
            ch.force(true);
            LOG.fine(() -> deviceName + ": LSA checkpoint of " + applied + " records");
        }
        hook.reached("truncate " + JOURNAL);
        journal.truncate(0);
        journalLength = 0;
        nextSequence = 1;
        hook.reached("fsync " + JOURNAL);
        journal.force(true);
    }

    /**
     * Sanitize's LSA step: the LSA becomes all zeros, durably. lsa.bin goes first (from
     * then on the LSA reads as zeros and the journal counts for nothing), then the journal.
     */
    public void zero() throws IOException {
        if (!exists) {
            return;
        }
        files.delete(file);
        exists = false;
        closeJournal();
        files.delete(journalPath);
        journalLength = 0;
        nextSequence = 1;
        broken = false;
    }

    /** Closes the journal; the files stay as they are. */
    public void close() {
        try {
            closeJournal();
        } catch (IOException e) {
            LOG.fine(() -> deviceName + ": closing " + JOURNAL + ": " + e);
        }
    }

    // ---- internals ----

    private void create(int offset, byte[] data) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        hook.reached("write " + tmp.getFileName());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(data), offset);
            if (offset + data.length < size) {
                writeFully(ch, ByteBuffer.allocate(1), size - 1L); // the rest is a hole: zeros
            }
            hook.reached("fsync " + tmp.getFileName());
            ch.force(true);
        }
        if (Files.exists(journalPath)) {
            // left by a zero() whose second delete failed: it must not apply to the new LSA
            closeJournal();
            files.delete(journalPath);
        }
        try {
            files.moveIntoPlace(tmp, file);
        } catch (IOException | UncheckedIOException e) {
            // the rename may have happened before the failure (the directory's fsync): lsa.bin is
            // then the LSA, and later Sets must append to it rather than create it again
            exists = Files.exists(file);
            throw e;
        }
        exists = true;
    }

    private void append(int offset, byte[] data) throws IOException {
        if (journal == null) {
            boolean created = !Files.exists(journalPath);
            hook.reached("create " + JOURNAL);
            journal = FileChannel.open(journalPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (created) {
                hook.reached("fsync dir after " + JOURNAL);
                AtomicFiles.fsyncDirectory(dir);
            }
            journalLength = journal.size();
        }
        int sequence = nextSequence;
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0, MAGIC).putInt(4, sequence).putInt(8, offset).putInt(12, data.length);
        header.putInt(16, crc(header, data));
        long at = journalLength;
        try {
            hook.reached("write " + JOURNAL + " record " + sequence);
            writeFully(journal, header, at);
            hook.reached("write " + JOURNAL + " data " + sequence);
            writeFully(journal, ByteBuffer.wrap(data), at + HEADER);
            hook.reached("fsync " + JOURNAL);
            journal.force(true);
        } catch (IOException e) {
            cutBack(at);
            throw e;
        }
        journalLength = at + HEADER + data.length;
        nextSequence = sequence + 1;
    }

    /** After a failed append: cut the journal back to its records, or stop writing if that fails too. */
    private void cutBack(long length) {
        try {
            journal.truncate(length);
            journal.force(true);
        } catch (IOException again) {
            broken = true;
            LOG.warning(deviceName + ": " + JOURNAL + " could not be cut back after a failed write: " + again);
        }
    }

    private void closeJournal() throws IOException {
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }

    @FunctionalInterface
    private interface RecordAction {
        void apply(int offset, byte[] data) throws IOException;
    }

    /** Runs {@code action} on each valid record from the journal's start, in order; returns how many. */
    private int forEachRecord(RecordAction action) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        long at = 0;
        int count = 0;
        while (at + HEADER <= journalLength) {
            header.clear();
            readFully(journal, header, at);
            int offset = header.getInt(8);
            int length = header.getInt(12);
            if (header.getInt(0) != MAGIC || header.getInt(4) != count + 1 || length <= 0 || offset < 0
                    || (long) offset + length > size || at + HEADER + length > journalLength) {
                break;
            }
            byte[] data = new byte[length];
            readFully(journal, ByteBuffer.wrap(data), at + HEADER);
            if (crc(header, data) != header.getInt(16)) {
                break;
            }
            action.apply(offset, data);
            count++;
            at += HEADER + length;
        }
        if (at != journalLength) {
            long end = at;
            LOG.info(() -> deviceName + ": " + JOURNAL + " ends in an incomplete record at byte " + end
                    + " (a write cut short): ignored");
        }
        return count;
    }

    private static int crc(ByteBuffer header, byte[] data) {
        CRC32C c = new CRC32C();
        c.update(header.array(), 0, 16);
        c.update(data, 0, data.length);
        return (int) c.getValue();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }
}
