package io.cxlkit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code cxlkit} in-process through {@link Main#commandLine()}, capturing stdout and stderr. */
final class Cli {
    private Cli() {
    }

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs with {@code cxlkit.stdout.tty} set to {@code tty} for the duration. */
    static Run runWithStdoutTty(boolean tty, String... args) {
        String old = System.getProperty(Terminal.STDOUT_TTY);
        System.setProperty(Terminal.STDOUT_TTY, Boolean.toString(tty));
        try {
            return run(args);
        } finally {
            if (old == null) {
                System.clearProperty(Terminal.STDOUT_TTY);
            } else {
                System.setProperty(Terminal.STDOUT_TTY, old);
            }
        }
    }
}
