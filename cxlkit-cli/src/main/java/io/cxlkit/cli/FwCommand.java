package io.cxlkit.cli;

import picocli.CommandLine.Command;

/** {@code cxlkit fw}: firmware package and slot tools; the work is in its subcommands. */
@Command(name = "fw", mixinStandardHelpOptions = true,
        description = "Firmware package tools and slot inspection.",
        subcommands = {
            io.cxlkit.cli.fw.FwPackCommand.class,
            io.cxlkit.cli.fw.FwInspectCommand.class,
            io.cxlkit.cli.fw.FwKeygenCommand.class,
            FwReadSlotCommand.class,
        })
public final class FwCommand extends CliCommand {

    /** Runs only without a subcommand: a usage error. */
    @Override
    protected int execute() {
        throw usage("missing command");
    }
}
