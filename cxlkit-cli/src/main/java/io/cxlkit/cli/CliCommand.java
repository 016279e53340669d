package io.cxlkit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of cxlkit's commands. {@link #execute()} returns the exit status or throws: a
 * {@link ParameterException} (from {@link #usage}) is a usage error (one line, exit 2), a
 * {@link Failure} or any other exception becomes one line per item through {@link FailureHandler}
 * (exit 1). Commands validate every option before they contact anything. Subclasses inherit
 * {@code --help} and {@code --version}.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
public abstract class CliCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    /**
     * Where the command writes and what it is called when it runs without picocli
     * ({@link FastPath}); null when picocli runs it ({@link #spec} says all that).
     */
    private Console console;

    /** Standard output, standard error and the command's name, for a run without picocli. */
    record Console(PrintWriter out, PrintWriter err, String name) {
    }

    /** Makes this command write to {@code console} instead of picocli's writers. */
    void runWithout(Console console) {
        this.console = console;
    }

    @Override
    public final Integer call() throws Exception {
        return execute();
    }

    /** Runs the command; the exit status. */
    protected abstract int execute() throws Exception;

    protected PrintWriter out() {
        return console != null ? console.out() : spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return console != null ? console.err() : spec.commandLine().getErr();
    }

    /** The command as typed, e.g. {@code fw read-slot}. */
    protected String commandName() {
        return console != null ? console.name() : FailureHandler.commandName(spec.commandLine());
    }

    /** Prints one line {@code cxlkit: <command>: <message>} on stderr (a failed item or a warning). */
    protected void report(String message) {
        err().println("cxlkit: " + commandName() + ": " + FailureHandler.oneLine(message));
        err().flush();
    }

    /**
     * A usage error to throw: one line, exit 2. Without picocli this throws
     * {@link FastPath.Declined} itself: {@link FastPath} then hands the whole command line to
     * picocli, which says it in its words (commands validate before they print anything).
     */
    protected ParameterException usage(String message) {
        if (console != null) {
            throw new FastPath.Declined(message);
        }
        return new ParameterException(spec.commandLine(), message);
    }

    /** Writes {@code text} to stdout as is and flushes. */
    protected void print(String text) {
        out().print(text);
        out().flush();
    }
}
