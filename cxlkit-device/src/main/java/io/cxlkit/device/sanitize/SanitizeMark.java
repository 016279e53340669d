package io.cxlkit.device.sanitize;

import io.cxlkit.device.persist.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Sanitize pending mark on disk (memdev-commands.md §9, §11): the file {@value #FILE} in the
 * device's directory. Present means a Sanitize was accepted and has not completed, so media is
 * disabled, across resets and restarts, until one completes. Written crash-safely (temporary
 * file, fsync, rename, directory fsync) before the Sanitize answers; deleted, with a directory
 * fsync, as the last step of its completion. Only its presence counts: a crash while writing it
 * leaves at most {@value #FILE}.tmp, which {@link #open} removes (that Sanitize never answered).
 *
 * <p>Not thread-safe: the device calls it on its worker, one step at a time.
 */
public final class SanitizeMark {

    public static final String FILE = "sanitize.pending";
    private static final byte[] CONTENT = "sanitize pending\n".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final AtomicFiles files;

    private SanitizeMark(Path file, AtomicFiles files) {
        this.file = file;
        this.files = files;
    }

    /** The mark of the device in {@code dir}; a temporary file left by a crash is removed. */
    public static SanitizeMark open(Path dir, AtomicFiles files) throws IOException {
        SanitizeMark mark = new SanitizeMark(dir.resolve(FILE), files);
        files.delete(dir.resolve(FILE + ".tmp"));
        return mark;
    }

    /** Whether the mark is on disk now. */
    public boolean present() {
        return Files.exists(file);
    }

    /** Puts the mark on disk; durable when it returns. */
    public void persist() throws IOException {
        files.write(file, CONTENT);
    }

    /** Removes the mark; durable (directory fsynced) when it returns. */
    public void clear() throws IOException {
        files.delete(file);
    }
}
