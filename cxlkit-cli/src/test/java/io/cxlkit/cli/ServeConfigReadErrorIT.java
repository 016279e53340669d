package io.cxlkit.cli;

import static io.cxlkit.cli.LauncherProcess.noChange;
import static io.cxlkit.cli.LauncherProcess.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cxlkit.cli.LauncherProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/cxlkit serve --config FILE} with a file it cannot read: one line that says
 * why, exit 2, nothing started. Permission denied is shown as the user {@code nobody}, to whom
 * permissions apply.
 */
class ServeConfigReadErrorIT {

    private static String launcher() throws java.io.IOException {
        return LauncherProcess.root().resolve("bin/cxlkit").toString();
    }

    private static void assertRefused(Result r, Path config, String reason, Path dir) {
        assertThat(r.exit()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderrLines()).containsExactly("cxlkit: serve: cannot read " + config + ": " + reason
                + " (try 'cxlkit serve --help')");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void aMissingFile(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("nope.yaml");
        assertRefused(run(dir, noChange(), launcher(), "serve", "--state-dir", dir.resolve("state").toString(),
                "--config", config.toString()), config, "no such file", dir);
    }

    @Test
    void aDirectory(@TempDir Path dir) throws Exception {
        Path config = Files.createDirectory(dir.resolve("devices.yaml"));
        assertRefused(run(dir, noChange(), launcher(), "serve", "--state-dir", dir.resolve("state").toString(),
                "--config", config.toString()), config, "is a directory", dir);
    }

    @Test
    void aFileTheUserMayNotRead(@TempDir Path dir) throws Exception {
        // permissions apply to nobody, not to root
        assumeTrue(onPath("setpriv") && "root".equals(System.getProperty("user.name")),
                "needs root and setpriv to run as nobody");
        // a checkout in a directory closed to other users (a CI clone under a 0700 mktemp) cannot be run as nobody
        assumeTrue(run(dir, noChange(), "setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "sh",
                "-c", "test -x \"$0\" && test -r \"$1\"", launcher(), LauncherProcess.jar().toString()).exit() == 0,
                "nobody may not run this checkout's launcher or read its jar");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = Files.writeString(dir.resolve("secret.yaml"), "devices:\n  - name: mem0\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("---------"));
        assertRefused(run(dir, env -> env.put("HOME", dir.toString()), "setpriv", "--reuid", "65534", "--regid",
                "65534", "--clear-groups", launcher(), "serve", "--state-dir", dir.resolve("state").toString(),
                "--config", config.toString()), config, "permission denied", dir);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
