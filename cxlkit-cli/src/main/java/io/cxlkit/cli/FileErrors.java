package io.cxlkit.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Why a file could not be read, in the words a user knows from {@code cat} and friends
 * ({@code no such file}, {@code permission denied}, {@code is a directory}), not Java's
 * exception text, which for a missing file is just its name.
 */
public final class FileErrors {

    private FileErrors() {
    }

    /** The reason {@code e} gives for {@code file}: a few words, no file name, one line. */
    public static String reason(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        // Java says "Is a directory" with no type of its own to tell it by
        if (Files.isDirectory(file)) {
            return "is a directory";
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason == null || reason.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return reason.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
