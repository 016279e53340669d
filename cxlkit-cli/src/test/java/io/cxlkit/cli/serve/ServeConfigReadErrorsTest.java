package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.cxlkit.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --config FILE} that cannot be read: one line saying why, as {@code cat} would
 * (no such file, permission denied, is a directory), exit 2 as any bad option, nothing started.
 */
class ServeConfigReadErrorsTest {

    @TempDir
    Path dir;

    private Cli.Run serve(Path config) {
        return Cli.run("serve", "--state-dir", dir.resolve("state").toString(), "--config", config.toString());
    }

    private void assertRefused(Path config, String reason) {
        Cli.Run r = serve(config);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(
                "cxlkit: serve: cannot read " + config + ": " + reason + " (try 'cxlkit serve --help')");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void aMissingFile() {
        assertRefused(dir.resolve("nope.yaml"), "no such file");
    }

    @Test
    void aFileInAMissingDirectory() {
        assertRefused(dir.resolve("nowhere/devices.json"), "no such file");
    }

    @Test
    void aDirectory() throws Exception {
        assertRefused(Files.createDirectory(dir.resolve("conf.yaml")), "is a directory");
    }

    @Test
    void anUnreadableFile() throws Exception {
        Path config = Files.writeString(dir.resolve("secret.yaml"), "devices:\n  - name: mem0\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("---------"));
        // root reads it all the same: FileErrorsTest covers the words for it
        assumeFalse(Files.isReadable(config), "running as root");
        assertRefused(config, "permission denied");
    }

    @Test
    void aTrustedKeyThatIsADirectorySaysSo() {
        Cli.Run r = Cli.run("serve", "--state-dir", dir.resolve("state").toString(), "--fw-verify", "signed",
                "--trusted-key", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "cxlkit: serve: trusted key " + dir + ": is a directory (try 'cxlkit serve --help')");
    }
}
