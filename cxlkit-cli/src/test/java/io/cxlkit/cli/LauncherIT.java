package io.cxlkit.cli;

import static io.cxlkit.cli.LauncherProcess.noChange;
import static io.cxlkit.cli.LauncherProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.LauncherProcess.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code bin/cxlkit} on the packaged jar, run from elsewhere, never building. */
class LauncherIT {

    private static Path launcher;
    private static String version;

    @BeforeAll
    static void locate() throws IOException {
        launcher = LauncherProcess.root().resolve("bin/cxlkit");
        version = LauncherProcess.version();
        assertThat(launcher).isExecutable();
        assertThat(LauncherProcess.jar()).isRegularFile();
    }

    @Test
    void versionFromAnotherDirectory(@TempDir Path cwd) throws Exception {
        Result r = run(cwd, noChange(), launcher.toString(), "--version");
        assertThat(r.stderr()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).isEqualTo("cxlkit " + version + "\n");
    }

    @Test
    void helpMentionsUsage(@TempDir Path cwd) throws Exception {
        Result r = run(cwd, noChange(), launcher.toString(), "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).startsWith("Usage: cxlkit").contains("--version", "--help");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void unknownOptionIsAUsageError(@TempDir Path cwd) throws Exception {
        Result r = run(cwd, noChange(), launcher.toString(), "--bogus");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderrLines()).singleElement().asString().startsWith("cxlkit: Unknown option: '--bogus'");
    }

    @Test
    void worksThroughSymlinks(@TempDir Path dir) throws Exception {
        Path absolute = Files.createSymbolicLink(dir.resolve("cxlkit-abs"), launcher);
        Files.createDirectories(dir.resolve("sub"));
        Path relative = Files.createSymbolicLink(dir.resolve("sub/cxlkit"), Paths.get("../cxlkit-abs"));
        for (Path link : List.of(absolute, relative)) {
            Result r = run(dir.resolve("sub"), noChange(), link.toString(), "--version");
            assertThat(r.exit()).as(link + ": " + r.stderr()).isZero();
            assertThat(r.stdout()).isEqualTo("cxlkit " + version + "\n");
        }
    }

    @Test
    void passesTtyFlagsAndSplitsJavaOpts(@TempDir Path cwd) throws Exception {
        // -XshowSettings:properties makes the JVM list its system properties on stderr
        Result r = run(cwd, env -> env.put("CXLKIT_JAVA_OPTS", " -XshowSettings:properties\n -Dcxlkit.probe=yes "),
                launcher.toString(), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).isEqualTo("cxlkit " + version + "\n");
        assertThat(r.stderr())
                .contains("cxlkit.stdout.tty = false", "cxlkit.stderr.tty = false", "cxlkit.probe = yes");
    }

    @Test
    void javaOptsCanOverrideTheTtyFlags(@TempDir Path cwd) throws Exception {
        Result r = run(cwd, env -> env.put("CXLKIT_JAVA_OPTS", "-XshowSettings:properties -Dcxlkit.stderr.tty=true"),
                launcher.toString(), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.stderr()).contains("cxlkit.stderr.tty = true").doesNotContain("cxlkit.stderr.tty = false");
    }
}
