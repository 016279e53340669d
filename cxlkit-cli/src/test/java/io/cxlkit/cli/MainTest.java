package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The top-level command run in-process. */
class MainTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void versionPrintsOneLine() {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("cxlkit " + VersionProvider.version() + System.lineSeparator());
        assertThat(r.err()).isEmpty();
    }

    @Test
    void helpGoesToStdout() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: cxlkit").contains("--version", "--help");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void unknownOptionIsOneLineAndExit2() {
        Run r = run("--bogus");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly(
                "cxlkit: Unknown option: '--bogus' (try 'cxlkit --help')");
    }

    @Test
    void noCommandIsAUsageError() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("cxlkit: missing command (try 'cxlkit --help')");
    }

    @Test
    void subcommandUsageErrorsNameTheSubcommand() {
        @CommandLine.Command(name = "probe")
        class Probe implements Runnable {
            @CommandLine.Option(names = "--count")
            int count;

            @Override
            public void run() {
            }
        }
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine().addSubcommand(new Probe());
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute("probe", "--count", "many");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("cxlkit: probe: Invalid value for option '--count': 'many' is not an int")
                .endsWith(" (try 'cxlkit probe --help')");
    }
}
