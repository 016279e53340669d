package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The words for why a file could not be read. */
class FileErrorsTest {

    @TempDir
    Path dir;

    @Test
    void whatReadingRealFilesThrows() {
        Path missing = dir.resolve("nope.yaml");
        IOException e = readFailure(missing);
        assertThat(FileErrors.reason(missing, e)).isEqualTo("no such file");

        IOException d = readFailure(dir);
        assertThat(FileErrors.reason(dir, d)).isEqualTo("is a directory");
    }

    @Test
    void permissionDenied() {
        Path f = dir.resolve("secret");
        assertThat(FileErrors.reason(f, new AccessDeniedException(f.toString()))).isEqualTo("permission denied");
    }

    @Test
    void otherReasonsAreTheSystemsWordsOnOneLine() {
        Path f = dir.resolve("f");
        assertThat(FileErrors.reason(f, new FileSystemException(f.toString(), null, "Input/output error")))
                .isEqualTo("Input/output error");
        assertThat(FileErrors.reason(f, new IOException("first\nsecond"))).isEqualTo("first second");
        assertThat(FileErrors.reason(f, new IOException())).isEqualTo("IOException");
    }

    private static IOException readFailure(Path file) {
        try {
            Files.readString(file);
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError(file + " was read");
    }
}
