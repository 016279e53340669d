package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command answers --help (stdout, exit 0) and --version like the top-level command. */
class HelpAndVersionTest {

    @ParameterizedTest
    @ValueSource(strings = {"list", "activate-firmware", "reset", "inject", "fw", "fw read-slot", "cci",
        "cci identify", "cci transfer-fw", "cci raw"})
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
}
