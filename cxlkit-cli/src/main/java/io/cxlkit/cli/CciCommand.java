package io.cxlkit.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit cci MEMDEV COMMAND [args]} or {@code cxlkit cci --connect ADDR --eid N COMMAND
 * [args]}: one CCI command over the socket endpoint (wire.md §1), sent as is with no background
 * waiting, its answer decoded. A MEMDEV is found like every other command finds it: the daemon of
 * the state directory says its listener and EID ({@code GET /v1/cci}). {@code --connect/--eid}
 * need no daemon and reach any endpoint. The commands are the nested classes of
 * {@link CciSubcommands}.
 */
@Command(name = "cci", mixinStandardHelpOptions = true,
        description = "Send one CCI command to a device over the socket endpoint and decode the answer.",
        subcommands = {
            CciSubcommands.Identify.class,
            CciSubcommands.BgStatus.class,
            CciSubcommands.GetResponseLimit.class,
            CciSubcommands.SetResponseLimit.class,
            CciSubcommands.RequestAbort.class,
            CciSubcommands.GetFwInfo.class,
            CciSubcommands.TransferFw.class,
            CciSubcommands.ActivateFw.class,
            CciSubcommands.GetTimestamp.class,
            CciSubcommands.SetTimestamp.class,
            CciSubcommands.GetSupportedLogs.class,
            CciSubcommands.GetLog.class,
            CciSubcommands.IdentifyMemdev.class,
            CciSubcommands.Raw.class,
        })
public final class CciCommand extends CliCommand {

    @Mixin
    CciTarget target;

    @Parameters(arity = "0..1", paramLabel = "MEMDEV",
            description = "the memdev (memN or N) to address through the daemon; or give --connect and --eid")
    String memdev;

    @Mixin
    StateDirOption stateDir;

    /** Runs only without a subcommand: a usage error. */
    @Override
    protected int execute() {
        throw usage("missing command");
    }
}
