package io.cxlkit.device.capacity;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.persist.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * The partition state of one device (memdev-commands.md §5, §11): the volatile share s of the
 * partitionable capacity and an optional pending share, in bytes, in the device's directory:
 *
 * <pre>
 * partition.properties   volatile_share, [pending_volatile_share]   (atomic rewrite)
 * </pre>
 *
 * The file is created at the first change; absent, the share is 0 and nothing is pending. Not
 * thread-safe: the device calls it under its lock.
 */
public final class PartitionStore {

    public static final String FILE = "partition.properties";

    private final Path file;
    private final AtomicFiles files;
    private long share;
    private OptionalLong pending = OptionalLong.empty();

    private PartitionStore(Path file, AtomicFiles files) {
        this.file = file;
        this.files = files;
    }

    /**
     * Reads the device's partition state. A persisted share that the configuration no longer allows
     * (above the partitionable capacity, or not a multiple of the alignment) is an error naming the
     * device: which share to keep is for the user to decide, since changing it zeroes the media.
     */
    public static PartitionStore open(Path dir, DeviceConfig config, AtomicFiles files)
            throws IOException, DeviceStateException {
        PartitionStore store = new PartitionStore(dir.resolve(FILE), files);
        files.delete(dir.resolve(FILE + ".tmp"));
        if (!Files.exists(store.file)) {
            return store;
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(store.file, StandardCharsets.UTF_8)));
        try {
            store.share = Long.parseLong(p.getProperty("volatile_share"));
            String next = p.getProperty("pending_volatile_share");
            store.pending = next == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(next));
        } catch (NumberFormatException | NullPointerException e) {
            throw new DeviceStateException(config.name() + ": " + store.file + " is damaged (fields missing or not numbers)");
        }
        store.check(config, "volatile share", store.share);
        if (store.pending.isPresent()) {
            store.check(config, "pending volatile share", store.pending.getAsLong());
        }
        return store;
    }

    private void check(DeviceConfig config, String what, long bytes) throws DeviceStateException {
        long x = config.partitionableCapacity();
        long a = config.partitionAlignment();
        boolean fits = bytes >= 0 && bytes <= x && (a == 0 ? bytes == 0 : bytes % a == 0);
        if (!fits) {
            throw new DeviceStateException(config.name() + ": " + file + " holds a " + what + " of " + bytes
                    + " bytes, which a partitionable capacity of " + x + " bytes with alignment " + a
                    + " does not allow (set them back, or delete the file to start with no volatile share)");
        }
    }

    /** The active volatile share, bytes. */
    public long share() {
        return share;
    }

    /** The pending volatile share, bytes, if one is pending. */
    public OptionalLong pending() {
        return pending;
    }

    /** Persists (crash-safely, before it returns) and then holds the given state; no write when unchanged. */
    public void set(long share, OptionalLong pending) throws IOException {
        if (share == this.share && pending.equals(this.pending)) {
            return;
        }
        // by hand, in a fixed order (Properties.store has none); Properties.load reads it back
        StringBuilder text = new StringBuilder("# cxlkit partition state, bytes\nvolatile_share=").append(share)
                .append('\n');
        pending.ifPresent(v -> text.append("pending_volatile_share=").append(v).append('\n'));
        files.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        this.share = share;
        this.pending = pending;
    }
}
