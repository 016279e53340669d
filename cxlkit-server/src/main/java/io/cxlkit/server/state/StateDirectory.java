package io.cxlkit.server.state;

import io.cxlkit.device.persist.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The daemon's state directory (wire.md §2): created 0700 (a wider existing one is narrowed with a
 * warning), held under an exclusive lock on {@code daemon.lock} for the daemon's whole life, and
 * home of {@code daemon.json} (present = ready) and of one sub-directory per device.
 */
public final class StateDirectory implements AutoCloseable {

    public static final String LOCK_FILE = "daemon.lock";
    public static final String DAEMON_FILE = "daemon.json";

    /** Prefix of a device directory being deleted ({@link #dropDevice}); such leftovers go at the next start. */
    static final String DROP_PREFIX = ".drop-";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Thrown when another live daemon holds the directory. */
    public static final class InUseException extends IOException {
        private final Optional<Long> pid;

        public InUseException(Path dir, Optional<Long> pid) {
            super(dir + " is in use by pid " + pid.map(String::valueOf).orElse("unknown"));
            this.pid = pid;
        }

        public Optional<Long> pid() {
            return pid;
        }
    }

    /**
     * Creates or opens {@code dir} and takes its lock. The pid of the holder is written into the
     * lock file so a refused second daemon can name it.
     */
    public static StateDirectory acquire(Path dir, Consumer<String> warn) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
        if (!Files.exists(abs)) {
            Files.createDirectories(abs, PosixFilePermissions.asFileAttribute(owner));
        } else if (!Files.isDirectory(abs)) {
            throw new IOException(abs + " is not a directory");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(abs);
        if (!owner.containsAll(perms) || !perms.containsAll(owner)) {
            if (perms.stream().anyMatch(p -> !owner.contains(p))) {
                warn.accept("state directory " + abs + " was accessible to others; narrowed to 0700");
            }
            Files.setPosixFilePermissions(abs, owner);
        }
        Path lockPath = abs.resolve(LOCK_FILE);
        // Only ever this channel on the lock file while the lock is held: POSIX drops a process's locks on
        // a file when it closes any descriptor of it.
        FileChannel ch = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = tryLockAwhile(ch);
            if (lock == null) {
                Optional<Long> pid = readPid(lockPath);
                ch.close();
                throw new InUseException(abs, pid);
            }
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            ch.force(true);
            // a daemon.json left by a killed daemon must not look ready while this one starts
            Files.deleteIfExists(abs.resolve(DAEMON_FILE));
            deleteDropLeftovers(abs);
            return new StateDirectory(abs, ch, lock);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** How long a start waits out a lock held by someone who only probes it ({@link #isLocked}). */
    static final long PROBE_GRACE_MILLIS = 500;

    /**
     * The lock, or null if another daemon holds it. A client looking for daemon.json
     * ({@link #isLocked}) holds the lock for an instant; a start that met one of those would be
     * refused, naming the pid of the last daemon. A daemon holds it for good, so the start tries
     * again for {@link #PROBE_GRACE_MILLIS} before giving up.
     */
    private static FileLock tryLockAwhile(FileChannel ch) throws IOException {
        long deadline = System.nanoTime() + PROBE_GRACE_MILLIS * 1_000_000;
        while (true) {
            try {
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                return null; // held by this very JVM: no probe, a second platform
            }
            if (System.nanoTime() >= deadline) {
                return null;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** The pid the last daemon of {@code dir} wrote into its lock file, if any (the holder's while it is held). */
    public static Optional<Long> lockHolder(Path dir) {
        return readPid(dir.resolve(LOCK_FILE));
    }

    private static Optional<Long> readPid(Path lockPath) {
        try {
            String s = Files.readString(lockPath).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * True if some process holds the lock of {@code dir}: then its daemon.json is live. Probes by
     * trying the lock and releasing it at once.
     */
    public static boolean isLocked(Path dir) {
        Path lockPath = dir.resolve(LOCK_FILE);
        if (!Files.exists(lockPath)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lockPath, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by this very JVM
        } catch (IOException e) {
            return false;
        }
    }

    public Path path() {
        return dir;
    }

    public Path deviceDirectory(String name) {
        return dir.resolve(name);
    }

    public Path daemonFile() {
        return dir.resolve(DAEMON_FILE);
    }

    /** Publishes daemon.json atomically (temporary file, fsync, rename, directory fsync), mode 0600. */
    public void writeDaemonFile(DaemonInfo info) throws IOException {
        Path tmp = dir.resolve(DAEMON_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(info.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, daemonFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        io.cxlkit.device.persist.AtomicFiles.fsyncDirectory(dir);
    }

    public void removeDaemonFile() throws IOException {
        Files.deleteIfExists(daemonFile());
    }

    /**
     * The devices this directory holds: its sub-directories with a device state file, dot-names aside, in
     * order: {@code memN} by N, then any other names (a config file's) alphabetically.
     */
    public List<String> persistedDevices() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                String name = e.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)
                        && Files.isRegularFile(e.resolve(io.cxlkit.device.fw.FirmwareStore.STATE_FILE))) {
                    names.add(name);
                }
            }
        }
        names.sort(DEVICE_ORDER);
        return names;
    }

    /**
     * {@code memN} by N first, then other names in alphabetical order. A class of its own rather
     * than a chain of {@code Comparator.comparing} lambdas: this class is initialised by every CLI
     * command (the lock probe), and those lambdas cost a short command milliseconds of start-up
     * that the class-data sharing archive cannot save (docs/startup.md).
     */
    public static final Comparator<String> DEVICE_ORDER = new DeviceOrder();

    private static final class DeviceOrder implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            long ia = memIndex(a);
            long ib = memIndex(b);
            if ((ia < 0) != (ib < 0)) {
                return ia < 0 ? 1 : -1;
            }
            return ia != ib ? Long.compare(ia, ib) : a.compareTo(b);
        }
    }

    /** N of a device name {@code memN} (no leading zeros), or -1 for any other name. */
    public static long memIndex(String name) {
        if (!name.matches("mem(0|[1-9][0-9]{0,8})")) {
            return -1;
        }
        return Long.parseLong(name.substring(3));
    }

    /**
     * Deletes a device's state for good. The directory is first renamed out of the way
     * ({@value #DROP_PREFIX}NAME, atomically, the rename made durable), so a crash in the middle leaves
     * nothing that looks like a device; the next start removes such leftovers.
     */
    public void dropDevice(String name) throws IOException {
        Path device = deviceDirectory(name);
        if (!device.getParent().equals(dir) || name.startsWith(".")) {
            throw new IllegalArgumentException("not a device name: " + name);
        }
        Path doomed = dir.resolve(DROP_PREFIX + name);
        FileTrees.delete(doomed);
        Files.move(device, doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        io.cxlkit.device.persist.AtomicFiles.fsyncDirectory(dir);
        FileTrees.delete(doomed);
    }

    private static void deleteDropLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, DROP_PREFIX + "*")) {
            for (Path p : leftovers) {
                FileTrees.delete(p);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
