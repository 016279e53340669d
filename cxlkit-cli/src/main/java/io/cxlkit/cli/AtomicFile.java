package io.cxlkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file crash-safely: a temporary file next to the target, fsync, rename over the
 * target, fsync of the directory. A reader (or a crash) sees the old file or the whole new one,
 * never a part; a failed write leaves no temporary file behind.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** What writes the content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException, ApiError, InterruptedException;
    }

    /** rw-r--r--: an ordinary output file. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    /** rw-------: a secret (a private key). */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    /**
     * Replaces {@code target} with what {@code content} writes, with {@code permissions}.
     *
     * @throws java.nio.file.NoSuchFileException if the target's directory does not exist
     */
    public static void write(Path target, Set<PosixFilePermission> permissions, Content content)
            throws IOException, ApiError, InterruptedException {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PRIVATE));
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            if (!permissions.equals(PRIVATE)) {
                Files.setPosixFilePermissions(tmp, permissions);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(dir + ": cannot rename atomically", e);
            }
            done = true;
            fsyncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse to open a directory; the rename itself is atomic anyway
        }
    }
}
