package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Whatever a command throws becomes one line per item on stderr, never a stack trace. */
class FailureHandlerTest {

    @Command(name = "probe")
    static final class Probe extends CliCommand {
        Exception toThrow;

        @Override
        protected int execute() throws Exception {
            throw toThrow;
        }
    }

    private static Cli.Run run(Exception e) {
        Probe probe = new Probe();
        probe.toThrow = e;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine().addSubcommand(probe);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute("probe");
        return new Cli.Run(exit, out.toString(), err.toString());
    }

    @Test
    void aFailurePrintsEachMessageOnItsOwnLineWithItsExitCode() {
        Cli.Run r = run(new Failure(1, List.of("mem0: first", "mem1: second\nline")));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: probe: mem0: first", "cxlkit: probe: mem1: second line");
        assertThat(run(new Failure(3, "custom")).exit()).isEqualTo(3);
    }

    @Test
    void fileErrorsNameTheFile() {
        Cli.Run r = run(new NoSuchFileException("/x/fw.img"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: probe: /x/fw.img: no such file or directory");
    }

    @Test
    void ioErrorsAreTheirMessage() {
        assertThat(run(new IOException("connection reset")).errLines())
                .containsExactly("cxlkit: probe: connection reset");
    }

    @Test
    void unexpectedExceptionsAreOneLineToo() {
        Cli.Run r = run(new IllegalStateException("boom\n\tat somewhere"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: probe: internal error: IllegalStateException: boom at somewhere");
        assertThat(run(new NullPointerException()).errLines())
                .containsExactly("cxlkit: probe: internal error: NullPointerException");
    }
}
