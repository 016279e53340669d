package io.cxlkit.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the control API keeps uploaded images while they upload: {@code DIR/.spool}, owned by the
 * server, not by any device. Every upload gets a file with a name of its own, so one upload's
 * clean-up can never remove the next one's image. Emptied when the daemon starts: an image whose
 * upload a crash cut short is of no use to anyone.
 */
final class SpoolDirectory {

    static final String NAME = ".spool";
    private static final String SUFFIX = ".img";

    private final Path dir;

    private SpoolDirectory(Path dir) {
        this.dir = dir;
    }

    /** The spool directory of the state directory {@code stateDir}, created and emptied. */
    static SpoolDirectory open(Path stateDir) throws IOException {
        Path dir = stateDir.resolve(NAME);
        Files.createDirectories(dir);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : leftovers) {
                Files.deleteIfExists(f);
            }
        }
        return new SpoolDirectory(dir);
    }

    /** A new, empty file for one upload to {@code memdev}, named {@code <memdev>-<unique>.img}. */
    Path newFile(String memdev) throws IOException {
        return Files.createTempFile(dir, memdev + "-", SUFFIX);
    }
}
