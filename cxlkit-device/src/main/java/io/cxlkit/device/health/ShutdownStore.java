package io.cxlkit.device.health;

import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.persist.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The shutdown state and the Dirty Shutdown Count (docs/events-and-health.md "Shutdown state"; r3.1
 * §8.2.9.9.3.4-5), persisted in the device's directory:
 *
 * <pre>
 * shutdown.properties   dirty=true|false, dirty_shutdown_count=N (0..4294967295)
 * </pre>
 *
 * Both values land in one crash-safe write ({@link AtomicFiles}: temporary file, fsync, rename,
 * directory fsync) before the change is visible, so a command answers only after its state is on
 * disk, and a kill at any instant leaves the old pair or the new one. The file is created at the
 * first change; without it the state is clean with a count of 0. Not thread-safe: the device calls
 * it under its lock.
 */
public final class ShutdownStore {

    public static final String FILE = "shutdown.properties";
    static final long MAX_COUNT = 0xFFFF_FFFFL;

    private final Path file;
    private final AtomicFiles files;
    private boolean dirty;
    private long count;

    private ShutdownStore(Path file, AtomicFiles files) {
        this.file = file;
        this.files = files;
    }

    /**
     * Reads the state of the device in {@code dir}; a damaged file is a startup error naming the
     * device.
     */
    public static ShutdownStore open(Path dir, AtomicFiles files, String deviceName)
            throws IOException, DeviceStateException {
        ShutdownStore s = new ShutdownStore(dir.resolve(FILE), files);
        if (Files.exists(s.file)) {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(s.file, StandardCharsets.UTF_8)));
            String dirty = p.getProperty("dirty");
            String count = p.getProperty("dirty_shutdown_count");
            try {
                if (!"true".equals(dirty) && !"false".equals(dirty)) {
                    throw new NumberFormatException("dirty " + dirty);
                }
                s.dirty = Boolean.parseBoolean(dirty);
                s.count = Long.parseLong(count);
                if (s.count < 0 || s.count > MAX_COUNT) {
                    throw new NumberFormatException("count " + count);
                }
            } catch (NumberFormatException | NullPointerException e) {
                throw new DeviceStateException(deviceName + ": " + s.file
                        + " is damaged (fields missing or out of range)");
            }
        }
        return s;
    }

    public boolean dirty() {
        return dirty;
    }

    /** The Dirty Shutdown Count, 0..FFFFFFFFh. */
    public long count() {
        return count;
    }

    /** Set Shutdown State: persisted before it returns (nothing is written when nothing changes). */
    public void set(boolean dirty) throws IOException {
        store(dirty, count);
    }

    /**
     * A graceful power-off (daemon exit, the power-off half of a cold reset), modelling a global
     * persistent flush: the state becomes clean, or dirty when the flush is made to fail.
     */
    public void powerOff(boolean gpfFails) throws IOException {
        store(gpfFails, count);
    }

    /**
     * A power-on (daemon start, the end of a cold reset): a dirty state adds 1 to the count (wrapping
     * to 0 after FFFFFFFFh) and becomes clean, both in one write.
     */
    public void powerOn() throws IOException {
        if (dirty) {
            store(false, (count + 1) & MAX_COUNT);
        }
    }

    private void store(boolean newDirty, long newCount) throws IOException {
        if (newDirty == dirty && newCount == count) {
            return;
        }
        String text = "dirty=" + newDirty + "\ndirty_shutdown_count=" + newCount + "\n";
        files.write(file, text.getBytes(StandardCharsets.UTF_8));
        dirty = newDirty;
        count = newCount;
    }
}
