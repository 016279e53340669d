package io.cxlkit.device.fw;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.persist.AtomicFiles;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageHeader;
import io.cxlkit.protocol.fwpkg.VerificationFailure;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A device's non-volatile state on disk (device-behaviour.md §6), one directory per device:
 *
 * <pre>
 * device.properties   serial, slot count, active and staged slot, security floor (atomic rewrite)
 * slot-N.pkg          the package stored in slot N (1..4), replaced only by an atomic rename
 * staging.bin         the transfer in progress; deleted at open, since no transfer survives a restart
 * </pre>
 *
 * Methods are not synchronised: the device calls the slot and state methods under its lock and the
 * staging methods from its single worker thread.
 */
public final class FirmwareStore {

    /** The file that makes a directory a device's: its persisted state (serial, slots, staged mark). */
    public static final String STATE_FILE = "device.properties";
    static final String STAGING_FILE = "staging.bin";

    private final Path dir;
    private final AtomicFiles files;
    private final PackageChecker checker;
    private final long serial;
    private final int slots;
    private final String[] revisions = new String[5];
    private int active;
    private int staged;
    /** Highest security version ever activated (§5 anti-rollback); read by the worker's verification. */
    private volatile long securityFloor;
    private FileChannel staging;
    private final PartBuffers partBuffers = new PartBuffers();
    private final StagingDigest stagingDigest;
    private final StagingWriteBehind writeBehind;

    private FirmwareStore(Path dir, AtomicFiles files, PackageChecker checker, Executor hashing, long serial,
                          int slots) {
        this.dir = dir;
        this.files = files;
        this.checker = checker;
        this.stagingDigest = new StagingDigest(hashing, partBuffers::give);
        this.writeBehind = new StagingWriteBehind(hashing);
        this.serial = serial;
        this.slots = slots;
    }

    /**
     * Opens the device directory, creating it with the factory package on first start. Persisted
     * serial and slot count win over {@code config}; a different configured slot count is an error.
     *
     * @param hashing runs the staged body's digest and write-behind flushes beside the transfer
     *                ({@link StagingDigest}, {@link StagingWriteBehind})
     */
    public static FirmwareStore open(Path dir, DeviceConfig config, AtomicFiles files, PackageChecker checker,
                                     Executor hashing) throws IOException, DeviceStateException {
        Files.createDirectories(dir);
        Path stateFile = dir.resolve(STATE_FILE);
        FirmwareStore store;
        if (Files.exists(stateFile)) {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(stateFile, StandardCharsets.UTF_8)));
            long serial;
            int slots;
            try {
                serial = Long.parseLong(p.getProperty("serial"));
                slots = Integer.parseInt(p.getProperty("slots"));
                if (slots < 2 || slots > 4) {
                    throw new NumberFormatException("slots " + slots);
                }
            } catch (NumberFormatException | NullPointerException e) {
                throw corrupt(config, stateFile);
            }
            if (slots != config.slots()) {
                throw new DeviceStateException(config.name() + ": state directory " + dir + " holds " + slots
                        + " firmware slots but " + config.slots() + " are configured");
            }
            store = new FirmwareStore(dir, files, checker, hashing, serial, slots);
            try {
                store.active = Integer.parseInt(p.getProperty("active"));
                store.staged = Integer.parseInt(p.getProperty("staged", "0"));
                store.securityFloor = Long.parseLong(p.getProperty("security_floor", "0"));
            } catch (NumberFormatException | NullPointerException e) {
                throw corrupt(config, stateFile);
            }
            if (store.active < 1 || store.active > slots || store.staged < 0 || store.staged > slots
                    || store.securityFloor < 0) {
                throw corrupt(config, stateFile);
            }
        } else {
            store = new FirmwareStore(dir, files, checker, hashing, config.serial(), config.slots());
            files.write(store.slotPath(1), FirmwarePackage.factory());
            store.active = 1;
            store.staged = 0;
            store.persistState();
        }
        // An open transfer never survives a restart; nor do leftovers of interrupted atomic writes.
        files.delete(dir.resolve(STAGING_FILE));
        try (var leftovers = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path tmp : leftovers) {
                files.delete(tmp);
            }
        }
        for (int s = 1; s <= store.slots; s++) {
            if (Files.exists(store.slotPath(s))) {
                store.revisions[s] = checker.revisionOf(store.slotPath(s));
            }
        }
        if (store.revisions[store.active] == null) {
            throw new DeviceStateException(config.name() + ": active slot " + store.active + " has no package in " + dir);
        }
        if (store.staged != 0 && store.revisions[store.staged] == null) {
            store.staged = 0;
            store.persistState();
        }
        return store;
    }

    private static DeviceStateException corrupt(DeviceConfig config, Path stateFile) {
        return new DeviceStateException(config.name() + ": " + stateFile + " is damaged (fields missing or out of range)");
    }

    public long serial() {
        return serial;
    }

    public int slots() {
        return slots;
    }

    public int active() {
        return active;
    }

    /** The staged slot, 0 when none. */
    public int staged() {
        return staged;
    }

    public long securityFloor() {
        return securityFloor;
    }

    public boolean hasPackage(int slot) {
        return slot >= 1 && slot <= slots && revisions[slot] != null;
    }

    /** The revision of the package in {@code slot}, or "" when empty. */
    public String revision(int slot) {
        return hasPackage(slot) ? revisions[slot] : "";
    }

    public Path slotPath(int slot) {
        return dir.resolve("slot-" + slot + ".pkg");
    }

    public Path stagingPath() {
        return dir.resolve(STAGING_FILE);
    }

    // ---- slot state (device lock) ----

    /**
     * Makes {@code slot} active; {@code securityVersion} is its verified package's, which raises the
     * security floor if higher (persisted in the same atomic write).
     */
    public void setActive(int slot, long securityVersion) throws IOException {
        active = slot;
        securityFloor = Math.max(securityFloor, securityVersion);
        if (staged == slot) {
            staged = 0;
        }
        persistState();
    }

    public void setStaged(int slot) throws IOException {
        staged = slot;
        persistState();
    }

    /**
     * Moves the verified staging file into {@code slot}. A staged mark on that slot is removed
     * first, so a crash in between never leaves a mark on a package that was not the staged one.
     */
    public void commitStaging(int slot, String revision) throws IOException {
        closeStagingChannel();
        if (staged == slot) {
            staged = 0;
            persistState();
        }
        try {
            files.moveIntoPlace(stagingPath(), slotPath(slot));
        } finally {
            // once renamed, the slot holds the new package even if the directory fsync failed
            if (!Files.exists(stagingPath())) {
                revisions[slot] = revision;
            }
        }
    }

    /** Verifies the package in {@code slot} as stored, anti-rollback included. */
    public Verdict verifySlot(int slot, io.cxlkit.device.config.VerifyPolicy policy,
                              Collection<? extends PublicKey> trustedKeys) {
        return antiRollback(checker.check(slotPath(slot), policy, trustedKeys), policy);
    }

    /**
     * Anti-rollback (§5): a package whose security version is below the floor fails verification.
     * Not applied under the {@code none} policy, which accepts any bytes.
     */
    private Verdict antiRollback(Verdict v, io.cxlkit.device.config.VerifyPolicy policy) {
        long floor = securityFloor;
        if (v.ok() && policy != io.cxlkit.device.config.VerifyPolicy.NONE && v.securityVersion() < floor) {
            return Verdict.fail(VerificationFailure.belowFloor(v.securityVersion(), floor));
        }
        return v;
    }

    private void persistState() throws IOException {
        Properties p = new Properties();
        p.setProperty("serial", Long.toString(serial));
        p.setProperty("slots", Integer.toString(slots));
        p.setProperty("active", Integer.toString(active));
        p.setProperty("staged", Integer.toString(staged));
        p.setProperty("security_floor", Long.toString(securityFloor));
        StringWriter w = new StringWriter();
        p.store(w, "cxlkit device state");
        files.write(dir.resolve(STATE_FILE), w.toString().getBytes(StandardCharsets.UTF_8));
    }

    // ---- staging (device worker) ----

    /** Starts a new staging file, discarding any previous one. */
    public void stagingBegin() {
        try {
            closeStagingChannel();
            files.hook().reached("write " + STAGING_FILE);
            staging = FileChannel.open(stagingPath(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            stagingDigest.begin();
            writeBehind.begin();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An array for a private copy of a part of {@code length} bytes, for {@link #stagingWrite}. */
    public byte[] partBuffer(int length) {
        return partBuffers.take(length);
    }

    /**
     * Positional write of one part, {@code part[0, length)}, an array from {@link #partBuffer}
     * that the store owns from here on; retransmissions simply write the same range again.
     */
    public void stagingWrite(long position, byte[] part, int length) {
        boolean kept = false;
        try {
            if (staging == null) {
                stagingBegin();
            }
            files.hook().reached("write " + STAGING_FILE + " at " + position);
            ByteBuffer data = ByteBuffer.wrap(part, 0, length);
            long pos = position;
            while (data.hasRemaining()) {
                pos += staging.write(data, pos);
            }
            writeBehind.written(staging, length);
            kept = stagingDigest.written(position, part, 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!kept) {
                partBuffers.give(part);
            }
        }
    }

    /** Cuts the staging file to the package's final size and makes it durable. */
    public void stagingFinish(long size) {
        try {
            if (staging == null) {
                stagingBegin();
            }
            staging.truncate(size);
            files.hook().reached("fsync " + STAGING_FILE);
            staging.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The corrupt-staging fault: flips the first body byte (just past the header) of the staged bytes. */
    public void stagingCorruptFirstBodyByte() {
        stagingDigest.invalidate();
        try {
            long size = staging.size();
            long at = size > PackageHeader.SIZE ? PackageHeader.SIZE : 0;
            if (size == 0) {
                return;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            staging.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0xFF)).rewind();
            staging.write(one, at);
            staging.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Verifies the finished staging file as stored, anti-rollback included. */
    public Verdict verifyStaging(io.cxlkit.device.config.VerifyPolicy policy, Collection<? extends PublicKey> trustedKeys) {
        try {
            var knownBody = stagingDigest.result(Files.size(stagingPath()));
            return antiRollback(checker.check(stagingPath(), policy, trustedKeys, knownBody), policy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the staging bytes (abort, failed verification, reset). */
    public void stagingDiscard() {
        try {
            closeStagingChannel();
            files.delete(stagingPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void closeStagingChannel() throws IOException {
        if (staging != null) {
            staging.close();
            staging = null;
        }
    }
}
