package io.cxlkit.device.persist;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Whole directory trees: the one way cxlkit removes one (a state directory's leftovers, work directories). */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Deletes {@code root} and everything below it; nothing to do if it does not exist. Symbolic
     * links are removed, never followed, so nothing outside the tree is touched.
     */
    public static void delete(Path root) throws IOException {
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                for (Path e : entries) {
                    delete(e);
                }
            }
        }
        Files.deleteIfExists(root);
    }
}
