package io.cxlkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The one rule of every command that writes a file ({@code -o/--output FILE} with {@code --force}):
 * {@code -} is standard output (where the command writes one file); an existing file is replaced
 * only with {@code --force}; a directory, or a file in a missing directory, is refused before
 * anything is done; the file is written through {@link AtomicFile} (a uniquely named temporary
 * file, fsync, rename), so a reader or a crash never sees a part of it.
 */
public final class OutputFile {

    /** The name that means standard output. */
    public static final String STDOUT = "-";

    private final Path file;
    private final boolean force;

    private OutputFile(Path file, boolean force) {
        this.file = file;
        this.force = force;
    }

    /**
     * The output {@code file}, checked.
     *
     * @throws Failure (exit 1) for an existing file without {@code force}, a directory, or a missing
     *                 directory
     */
    public static OutputFile of(Path file, boolean force) {
        OutputFile out = new OutputFile(file, force);
        if (!out.isStdout()) {
            checkWritable(file, force);
        }
        return out;
    }

    /** The checks of {@link #of} for one file of a command that writes several (fw keygen). */
    public static void checkWritable(Path file, boolean force) {
        if (Files.isDirectory(file)) {
            throw new Failure(file + " is a directory");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new Failure((file.getParent() != null ? file.getParent() : parent) + ": no such directory");
        }
        if (!force && Files.exists(file)) {
            throw new Failure(file + " exists (use --force to overwrite)");
        }
    }

    /** Whether this is {@code -}: standard output. */
    public boolean isStdout() {
        return file.toString().equals(STDOUT);
    }

    /** Writes what {@code content} writes: to {@code stdout} for {@code -}, else crash-safely to the file. */
    public void write(Set<PosixFilePermission> permissions, OutputStream stdout, AtomicFile.Content content)
            throws IOException, ApiError, InterruptedException {
        if (isStdout()) {
            content.writeTo(stdout);
            stdout.flush();
            return;
        }
        if (!force && Files.exists(file)) {
            // it appeared since the check; --force is what allows a replacement
            throw new Failure(file + " exists (use --force to overwrite)");
        }
        AtomicFile.write(file, permissions, content);
    }
}
