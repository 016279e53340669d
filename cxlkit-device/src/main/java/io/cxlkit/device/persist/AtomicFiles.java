package io.cxlkit.device.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file replacement: write a temporary file, fsync it, rename it over the target, fsync
 * the directory. A reader after a crash at any point sees the old content or the new, never a mix.
 */
public final class AtomicFiles {

    private final CrashHook hook;

    public AtomicFiles(CrashHook hook) {
        this.hook = hook;
    }

    public CrashHook hook() {
        return hook;
    }

    /** Replaces {@code target} with {@code content} crash-safely. */
    public void write(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        hook.reached("write " + tmp.getFileName());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            hook.reached("fsync " + tmp.getFileName());
            ch.force(true);
        }
        moveIntoPlace(tmp, target);
    }

    /** Renames an already fsynced {@code source} over {@code target}, then fsyncs the directory. */
    public void moveIntoPlace(Path source, Path target) throws IOException {
        hook.reached("rename " + source.getFileName() + " -> " + target.getFileName());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the state directory's file system cannot rename atomically", e);
        }
        hook.reached("fsync dir after " + target.getFileName());
        fsyncDirectory(target.getParent());
    }

    /** Deletes a file if present and fsyncs its directory, so the deletion survives a crash. */
    public void delete(Path file) throws IOException {
        hook.reached("delete " + file.getFileName());
        if (Files.deleteIfExists(file)) {
            fsyncDirectory(file.getParent());
        }
    }

    /** fsync of a directory: makes renames and deletions in it durable (Linux allows opening it for read). */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms refuse to open directories; the rename itself is still atomic there.
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
        }
    }
}
