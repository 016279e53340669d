package io.cxlkit.cli;

import static io.cxlkit.cli.LauncherProcess.noChange;
import static io.cxlkit.cli.LauncherProcess.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cxlkit.cli.LauncherProcess.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/cxlkit} on the packaged jar: {@code help} and {@code version} as ndctl's,
 * {@code help COMMAND} through {@code man} on a terminal (a pseudo-terminal made by
 * {@code script}), and the built pages through {@code MANPATH} as the README says.
 */
class HelpManPagesIT {

    private static String launcher;
    private static Path root;

    @BeforeAll
    static void locate() throws IOException {
        root = LauncherProcess.root();
        launcher = root.resolve("bin/cxlkit").toString();
    }

    @Test
    void versionIsDashDashVersion(@TempDir Path cwd) throws Exception {
        Result command = run(cwd, noChange(), launcher, "version");
        Result option = run(cwd, noChange(), launcher, "--version");

        assertThat(command.exit()).isZero();
        assertThat(command.stderr()).isEmpty();
        assertThat(command.stdout()).isEqualTo(option.stdout()).isEqualTo("cxlkit " + LauncherProcess.version() + "\n");
    }

    @Test
    void helpListsTheCommandsAndHelpCommandIsItsHelpTextOnAPipe(@TempDir Path cwd) throws Exception {
        Result list = run(cwd, noChange(), launcher, "help");
        assertThat(list.exit()).isZero();
        assertThat(list.stdout()).isEqualTo(run(cwd, noChange(), launcher, "--help").stdout())
                .contains("  update-firmware ", "See 'cxlkit help COMMAND'");

        Result page = run(cwd, noChange(), launcher, "help", "update-firmware");
        assertThat(page.exit()).isZero();
        assertThat(page.stderr()).isEmpty();
        assertThat(page.stdout()).isEqualTo(run(cwd, noChange(), launcher, "update-firmware", "--help").stdout())
                .startsWith("Usage: cxlkit update-firmware");
    }

    @Test
    void helpCommandOnATerminalShowsTheManPage(@TempDir Path cwd) throws Exception {
        assumeTrue(ManPagesTest.onPath("man") && ManPagesTest.onPath("script"), "needs man and script");
        Result r = run(cwd, env -> {
            env.put("MANPAGER", "cat");
            env.put("MANWIDTH", "100");
        }, "script", "-qec", launcher + " help fw pack", "/dev/null");

        assertThat(r.exit()).as(r.stdout()).isZero();
        String screen = plain(r.stdout());
        assertThat(screen).contains("CXLKIT-FW-PACK(1)", "NAME", "cxlkit-fw-pack - Wrap a file's bytes",
                "SYNOPSIS", "OPTIONS", "SEE ALSO", "cxlkit-fw(1)");
        for (String option : new String[] {"--revision=REV", "-o, --output=OUT", "--force", "--sign=KEYFILE",
            "--security-version=N", "-h, --help", "-V, --version"}) {
            assertThat(screen).contains(option);
        }
        assertThat(screen).doesNotContain("Usage:");
    }

    @Test
    void thePagesTheBuildMadeWorkThroughManpath(@TempDir Path cwd) throws Exception {
        assumeTrue(ManPagesTest.onPath("man"), "needs man");
        Path man = root.resolve("cxlkit-cli/target/man");
        Result where = run(cwd, env -> env.put("MANPATH", man + ":"), "man", "-w", "cxlkit-update-firmware");
        assertThat(where.stdout().strip()).isEqualTo(man.resolve("man1/cxlkit-update-firmware.1").toString());

        Result page = run(cwd, env -> {
            env.put("MANPATH", man + ":");
            env.put("MANWIDTH", "100");
        }, "man", "cxlkit-update-firmware");
        assertThat(page.exit()).isZero();
        assertThat(plain(page.stdout())).contains("CXLKIT-UPDATE-FIRMWARE(1)", "-F, --firmware-file=FILE");
    }

    private static final Pattern OVERSTRIKE = Pattern.compile(".\b");

    /** Terminal output as text: carriage returns and man's overstrike bold and underline gone. */
    private static String plain(String screen) {
        Matcher m = OVERSTRIKE.matcher(screen.replace("\r", ""));
        return m.replaceAll("");
    }
}
