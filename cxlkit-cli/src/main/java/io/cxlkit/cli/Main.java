package io.cxlkit.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/** Entry point of {@code cxlkit.jar}; {@code bin/cxlkit} runs it. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        HeadStart.startFor(args);
        System.exit(run(args, null, null));
    }

    /**
     * Runs the command line {@code args}, writing to {@code out} and {@code err} (null: standard
     * output and error, as picocli writes to them): through {@link FastPath} when it takes them,
     * else through picocli ({@link #commandLine(String...)}). The exit status.
     */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && FastPathTable.COMMANDS.contains(args[0])) {
            int exit = FastPath.run(args, out != null ? out : stdout(System.out, "sun.stdout.encoding"),
                    err != null ? err : stdout(System.err, "sun.stderr.encoding"));
            if (exit != FastPath.DECLINED) {
                return exit;
            }
        }
        CommandLine cl = commandLine(args);
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        return cl.execute(args);
    }

    /**
     * A writer on {@code stream} as picocli 4.7 makes its own: autoflush over a buffer, in the
     * charset that {@code property} names (cp65001 meaning UTF-8), else the platform's.
     */
    private static PrintWriter stdout(PrintStream stream, String property) {
        String name = System.getProperty(property);
        Charset charset = Charset.defaultCharset();
        if (name != null) {
            try {
                charset = Charset.forName(name.equalsIgnoreCase("cp65001") ? "UTF-8" : name);
            } catch (RuntimeException e) {
                // as picocli: the platform's charset
            }
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
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
