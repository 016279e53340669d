package io.cxlkit.device.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path dir;

    @Test
    void deletesATreeAndLeavesWhatALinkPointsTo() throws Exception {
        Path outside = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("keep"), "x");
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/file"), "y");
        Files.writeString(root.resolve("top"), "z");
        Files.createSymbolicLink(root.resolve("link"), outside.getParent());

        FileTrees.delete(root);

        assertThat(root).doesNotExist();
        assertThat(outside).hasContent("x");
    }

    @Test
    void aMissingRootIsNothingToDo() throws Exception {
        FileTrees.delete(dir.resolve("none"));
        assertThat(dir).exists();
    }

    @Test
    void aFileIsDeletedToo() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "1");
        FileTrees.delete(f);
        assertThat(f).doesNotExist();
    }
}
