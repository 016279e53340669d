package io.cxlkit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit help [COMMAND [SUBCOMMAND]]}, as ndctl's {@code cxl help}: without a command, the
 * top-level usage and the list of commands (what {@code cxlkit --help} prints); with one, its
 * manual page ({@link ManPages}) shown by {@code man -l} when stdout is a terminal and
 * {@code man} can be run, else its {@code --help} text. ndctl runs {@code man cxl-COMMAND} on
 * the installed pages; cxlkit shows the page inside its own jar, so the page always matches the
 * program, installed or not.
 */
@Command(name = "help", mixinStandardHelpOptions = true,
        description = "Show a command's manual page (on a terminal, with man) or else its --help text; "
                + "without COMMAND, list the commands.")
public final class HelpCommand extends CliCommand {

    @Parameters(paramLabel = "COMMAND", arity = "0..*", completionCandidates = CompletionChoices.Commands.class,
            description = "a command and its subcommand, e.g. update-firmware or fw pack")
    List<String> words = new ArrayList<>();

    /** Whether stdout is a terminal; tests set their own. */
    Terminal terminal = Terminal.current();

    /** The viewer and its arguments before the page's file; tests set their own. */
    List<String> viewer = List.of("man", "-l");

    @Override
    protected int execute() throws Exception {
        CommandLine root = spec.root().commandLine();
        if (words.isEmpty()) {
            root.usage(out());
            return 0;
        }
        CommandLine target = root;
        for (String word : words) {
            CommandLine sub = target.getSubcommands().get(word);
            if (sub == null) {
                throw usage("unknown command '" + String.join(" ", words) + "'");
            }
            target = sub;
        }
        if (terminal.stdoutTty()) {
            Optional<Integer> shown = showPage(target);
            if (shown.isPresent()) {
                return shown.get();
            }
        }
        target.usage(out());
        return 0;
    }

    /**
     * Shows the page with {@link #viewer} on this process's terminal; its exit status, or empty
     * when the viewer cannot be run (then the caller prints the --help text).
     */
    private Optional<Integer> showPage(CommandLine command) throws IOException, InterruptedException {
        String page = ManPages.page(command.getCommandSpec());
        Path file = Files.createTempFile("cxlkit-help-", "-" + ManPages.fileName(command.getCommandSpec()));
        // also on Ctrl-C, which ends this JVM while the pager has the terminal
        file.toFile().deleteOnExit();
        try {
            Files.writeString(file, page, StandardCharsets.UTF_8);
            List<String> argv = new ArrayList<>(viewer);
            argv.add(file.toString());
            Process p;
            try {
                p = new ProcessBuilder(argv).inheritIO().start();
            } catch (IOException cannotRun) {
                return Optional.empty();
            }
            return Optional.of(p.waitFor());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
