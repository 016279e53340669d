package io.cxlkit.cli;

import picocli.CommandLine;

/** Entry point of {@code cxlkit.jar}; {@code bin/cxlkit} runs it. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        HeadStart.startFor(args);
        System.exit(commandLine(args).execute(args));
    }

    /**
     * The configured {@code cxlkit} command line with every subcommand: usage errors print one line
     * {@code cxlkit: [<command>: ]<message>} on stderr and exit 2; failures print one line per
     * failed item, {@code cxlkit: <command>: <message>}, never a stack trace (exit 1 unless the
     * command says otherwise). Tests use this to run commands in-process with their own
     * {@code setOut}/{@code setErr}.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CxlkitCommand());
        for (String name : CxlkitCommand.SUBCOMMANDS) {
            cl.addSubcommand(name, CxlkitCommand.subcommand(name));
        }
        return configure(cl);
    }

    /**
     * The command line to run {@code args} with: when {@code args[0]} names a subcommand, only
     * that one is registered (the others are neither built nor loaded: startup time, see
     * docs/startup.md); otherwise (help, version, usage errors, completion) all of them, as
     * {@link #commandLine()}. Either way {@code execute(args)} behaves the same, byte for byte.
     */
    public static CommandLine commandLine(String... args) {
        String first = args.length == 0 ? null : args[0];
        if (first == null || CxlkitCommand.NEED_ALL.contains(first)) {
            return commandLine();
        }
        Class<?> only = CxlkitCommand.subcommand(first);
        if (only == null) {
            return commandLine();
        }
        return configure(new CommandLine(new CxlkitCommand()).addSubcommand(first, only));
    }

    private static CommandLine configure(CommandLine cl) {
        CommandLine completion = cl.getSubcommands().get("generate-completion");
        if (completion != null) {
            // picocli's own command would print picocli's version
            completion.getCommandSpec().versionProvider(new VersionProvider());
        }
        return cl.setParameterExceptionHandler(new UsageErrorHandler())
                .setExecutionExceptionHandler(new FailureHandler());
    }
}
