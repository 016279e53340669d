package io.cxlkit.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code cxlkit} command. Its subcommands are listed in {@link #SUBCOMMANDS}, in
 * the order of cli.md's command table, and registered by {@link Main}: all of them for help and
 * completion, only the one being run otherwise, so that a command never pays for building (and
 * loading the classes of) the others (docs/startup.md). Each is its own {@code @Command} class.
 * As ndctl's {@code cxl}, {@code help} and {@code version} are commands too.
 */
@Command(
        name = "cxlkit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Emulated CXL Type-3 memory devices and the ndctl-style tools that update their firmware.",
        footer = {"", "See 'cxlkit help COMMAND' for more information on a specific command."})
public final class CxlkitCommand implements Callable<Integer> {

    /** The subcommands' names, in the order help lists them; {@link #subcommand} gives their classes. */
    static final List<String> SUBCOMMANDS = List.of("serve", "stop", "list", "update-firmware", "activate-firmware", "reset",
            "read-labels", "write-labels", "zero-labels", "set-alert-config", "set-partition", "sanitize-memdev",
            "wait-sanitize", "poison",
            "fw", "inject", "cci", "demo", "generate-completion", "help", "version");

    /**
     * Subcommands that need the whole command tree when they run: {@code generate-completion}
     * describes every command, {@code help} shows any of them.
     */
    static final List<String> NEED_ALL = List.of("generate-completion", "help");

    @Spec
    CommandSpec spec;

    /**
     * The {@code @Command} class of subcommand {@code name} (one of {@link #SUBCOMMANDS}), or null.
     * A switch, not a map of classes, so that only the class asked for is loaded.
     */
    static Class<?> subcommand(String name) {
        return switch (name) {
            case "serve" -> io.cxlkit.cli.serve.ServeCommand.class;
            case "stop" -> StopCommand.class;
            case "list" -> ListCommand.class;
            case "update-firmware" -> io.cxlkit.cli.update.UpdateFirmwareCommand.class;
            case "activate-firmware" -> ActivateFirmwareCommand.class;
            case "reset" -> ResetCommand.class;
            case "read-labels" -> ReadLabelsCommand.class;
            case "write-labels" -> WriteLabelsCommand.class;
            case "zero-labels" -> ZeroLabelsCommand.class;
            case "set-alert-config" -> SetAlertConfigCommand.class;
            case "set-partition" -> SetPartitionCommand.class;
            case "sanitize-memdev" -> SanitizeMemdevCommand.class;
            case "wait-sanitize" -> WaitSanitizeCommand.class;
            case "poison" -> PoisonCommand.class;
            case "fw" -> FwCommand.class;
            case "inject" -> InjectCommand.class;
            case "cci" -> CciCommand.class;
            case "demo" -> DemoCommand.class;
            case "generate-completion" -> picocli.AutoComplete.GenerateCompletion.class;
            case "help" -> HelpCommand.class;
            case "version" -> VersionCommand.class;
            default -> null;
        };
    }

    /** Runs only when no subcommand was given: that is a usage error (exit 2). */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }
}
