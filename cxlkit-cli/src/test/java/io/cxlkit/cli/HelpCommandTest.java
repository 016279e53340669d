package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code cxlkit help [COMMAND]} and {@code cxlkit version}, as ndctl's {@code cxl help} and
 * {@code cxl version}: the command list, a command's page through the viewer when stdout is a
 * terminal, its {@code --help} text otherwise or when no viewer can be run.
 */
class HelpCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    /** {@code cxlkit ARGS} with stdout a terminal or not, and {@code viewer} as the page viewer. */
    private static Run run(boolean tty, List<String> viewer, String... args) {
        CommandLine cl = Main.commandLine(args);
        HelpCommand help = cl.getSubcommands().get("help").getCommand();
        help.terminal = new Terminal(tty, false);
        help.viewer = viewer;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    private static String[] words(String line) {
        return line.split(" ");
    }

    private static String[] with(String[] words, String... more) {
        return Stream.concat(Stream.of(words), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void withoutACommandItListsTheCommandsAsHelpDoes() {
        Run r = run(true, List.of("/nonexistent/viewer"), "help");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(Cli.run("--help").out());
        assertThat(r.out()).contains("  update-firmware ", "  help ", "  version ")
                .endsWith("See 'cxlkit help COMMAND' for more information on a specific command."
                        + System.lineSeparator());
    }

    @ParameterizedTest
    @ValueSource(strings = {"update-firmware", "list", "serve", "stop", "fw", "fw pack", "cci get-fw-info", "help",
        "version", "generate-completion"})
    void notOnATerminalItPrintsTheCommandsHelpText(String command) {
        Run r = run(false, List.of("/bin/false"), with(new String[] {"help"}, words(command)));

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Usage: cxlkit " + command).isEqualTo(Cli.run(with(words(command), "--help")).out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"update-firmware", "fw pack", "cci get-fw-info", "serve"})
    void onATerminalTheViewerShowsTheCommandsPageAndItsStatusIsTheExitStatus(String command) throws IOException {
        Path seen = dir.resolve("seen.1");
        Path name = dir.resolve("name");
        // the viewer copies the page it is given, notes the file's name, and exits 3
        List<String> viewer = List.of("/bin/sh", "-c", "cp \"$0\" " + seen + " && echo \"$0\" > " + name + " && exit 3");

        Run r = run(true, viewer, with(new String[] {"help"}, words(command)));

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
        CommandLine target = Main.commandLine();
        for (String w : words(command)) {
            target = target.getSubcommands().get(w);
        }
        assertThat(seen).content(StandardCharsets.UTF_8).isEqualTo(ManPages.page(target.getCommandSpec()))
                .contains(".TH \"CXLKIT\\-" + ManPage.escape(command.replace(' ', '-').toUpperCase()) + "\" \"1\"");
        Path shown = Path.of(Files.readString(name).strip());
        assertThat(shown.getFileName().toString()).endsWith("-cxlkit-" + command.replace(' ', '-') + ".1");
        assertThat(shown).as("the temporary page is gone once the viewer is done").doesNotExist();
    }

    @Test
    void onATerminalWithoutAViewerItPrintsTheHelpText() {
        Run r = run(true, List.of(dir.resolve("no-such-man").toString(), "-l"), "help", "update-firmware");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(Cli.run("update-firmware", "--help").out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "fw bogus", "update-firmware pack", "fw pack extra"})
    void anUnknownCommandIsOneLineAndExit2(String command) {
        Run r = run(true, List.of("/bin/true"), with(new String[] {"help"}, words(command)));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("cxlkit: help: unknown command '" + command + "' (try 'cxlkit help --help')"
                + System.lineSeparator());
    }

    @Test
    void versionPrintsWhatDashDashVersionPrints() {
        Cli.Run version = Cli.run("version");
        Cli.Run option = Cli.run("--version");

        assertThat(version.exit()).isZero();
        assertThat(version.err()).isEmpty();
        assertThat(version.out()).isEqualTo(option.out())
                .isEqualTo("cxlkit " + VersionProvider.version() + System.lineSeparator());
        assertThat(Main.commandLine("version").getSubcommands()).containsOnlyKeys("version");
    }

    @Test
    void versionTakesNoArguments() {
        Cli.Run r = Cli.run("version", "81");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(
                "cxlkit: version: Unmatched argument at index 1: '81' (try 'cxlkit version --help')");
    }
}
