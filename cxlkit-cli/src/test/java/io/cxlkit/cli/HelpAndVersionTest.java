package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command answers --help (stdout, exit 0) and --version like the top-level command. */
class HelpAndVersionTest {

    /** Every command of the tree but the top-level one, as typed: {@code list}, {@code fw pack}, ... */
    static Stream<String> commands() {
        return ManPages.commands(Main.commandLine()).stream().map(spec -> spec.qualifiedName(" "))
                .filter(name -> !name.equals("cxlkit")).map(name -> name.substring("cxlkit ".length()));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpAndVersion(String command) {
        String[] words = command.split(" ");
        String[] help = java.util.Arrays.copyOf(words, words.length + 1);
        help[words.length] = "--help";
        Cli.Run h = Cli.run(help);
        assertThat(h.exit()).isZero();
        assertThat(h.out()).startsWith("Usage: cxlkit " + command);
        assertThat(h.err()).isEmpty();

        String[] version = help.clone();
        version[words.length] = "--version";
        Cli.Run v = Cli.run(version);
        assertThat(v.exit()).isZero();
        assertThat(v.out()).isEqualTo("cxlkit " + VersionProvider.version() + System.lineSeparator());
    }

    @org.junit.jupiter.api.Test
    void theTreeHasEveryCommand() {
        assertThat(commands()).contains("serve", "stop", "list", "fw pack", "cci get-fw-info", "generate-completion",
                "help", "version").hasSizeGreaterThan(CxlkitCommand.SUBCOMMANDS.size());
    }
}
