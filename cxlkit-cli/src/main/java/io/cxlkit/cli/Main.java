package io.cxlkit.cli;

import picocli.CommandLine;

/** Entry point of {@code cxlkit.jar}; {@code bin/cxlkit} runs it. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured {@code cxlkit} command line: usage errors print one line
     * {@code cxlkit: [<command>: ]<message>} on stderr and exit 2; failures print one line per
     * failed item, {@code cxlkit: <command>: <message>}, never a stack trace (exit 1 unless the
     * command says otherwise). Tests use this to run commands in-process with their own
     * {@code setOut}/{@code setErr}.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new CxlkitCommand())
                .setParameterExceptionHandler(new UsageErrorHandler())
                .setExecutionExceptionHandler(new FailureHandler());
    }
}
