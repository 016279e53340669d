package io.cxlkit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code cxlkit} command. Subcommands are registered in
 * {@code subcommands = {...}} below, in the order of cli.md's command table; each is its own
 * {@code @Command} class in this package.
 */
@Command(
        name = "cxlkit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Emulated CXL Type-3 memory devices and the ndctl-style tools that update their firmware.",
        subcommands = {
            io.cxlkit.cli.serve.ServeCommand.class,
            ListCommand.class,
            io.cxlkit.cli.update.UpdateFirmwareCommand.class,
            ActivateFirmwareCommand.class,
            ResetCommand.class,
            FwCommand.class,
            InjectCommand.class,
            CciCommand.class,
            DemoCommand.class,
            picocli.AutoComplete.GenerateCompletion.class,
        })
public final class CxlkitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Runs only when no subcommand was given: that is a usage error (exit 2). */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }
}
