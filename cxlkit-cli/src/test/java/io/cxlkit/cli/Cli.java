package io.cxlkit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code cxlkit} in-process through {@link Main#commandLine()}, capturing stdout and stderr. */
public final class Cli {
    private Cli() {
    }

    public record Run(int exit, String out, String err) {
        public List<String> errLines() {
            return err.lines().toList();
        }
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs with {@code cxlkit.stdout.tty} set to {@code tty} for the duration. */
    public static Run runWithStdoutTty(boolean tty, String... args) {
        return runWithProperty(Terminal.STDOUT_TTY, Boolean.toString(tty), args);
    }

    /** Runs with {@code cxlkit.stderr.tty=true}, so update-firmware -w draws its progress bar. */
    public static Run runOnStderrTerminal(String... args) {
        return runWithProperty(Terminal.STDERR_TTY, "true", args);
    }

    /**
     * Runs with {@code cxlkit.stderr.tty=true} and {@code cxlkit.columns} set to {@code columns}, as
     * bin/cxlkit runs update-firmware on a terminal that wide.
     */
    public static Run runOnStderrTerminal(int columns, String... args) {
        String old = System.getProperty("cxlkit.columns");
        System.setProperty("cxlkit.columns", Integer.toString(columns));
        try {
            return runOnStderrTerminal(args);
        } finally {
            if (old == null) {
                System.clearProperty("cxlkit.columns");
            } else {
                System.setProperty("cxlkit.columns", old);
            }
        }
    }

    private static Run runWithProperty(String property, String value, String... args) {
        String old = System.getProperty(property);
        System.setProperty(property, value);
        try {
            return run(args);
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }
}
