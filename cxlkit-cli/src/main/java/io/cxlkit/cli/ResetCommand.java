package io.cxlkit.cli;

import io.cxlkit.host.json.MemdevView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit reset MEMDEV...}: cold reset; prints the memdev JSON as update-firmware does. A
 * staged slot the reset did not activate, because its package failed verification, is one line
 * on stderr with the device's reason (the reset itself succeeded).
 */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Cold-reset memdevs (staged firmware becomes active) and print them.")
public final class ResetCommand extends DaemonCommand {

    @Parameters(paramLabel = "MEMDEV", arity = "1..*", description = "memN, N or all; serial numbers with -S")
    List<String> memdevs;

    @Mixin
    MemdevFilterOptions filter;

    @Mixin
    StrictOption strict;

    @Override
    protected int execute() throws Exception {
        MemdevSelector selector = selector(memdevs, filter);
        return changeEach(resolve(selector), strict, name -> {
            String answer = daemon().post(memdevPath(name) + "/reset", null);
            view(DaemonClient.parse(answer)).cxlkit().flatMap(MemdevView.CxlkitView::reset).ifPresent(r ->
                    report(name + ": staged slot " + r.stagedSlot() + " was not activated: " + r.reason()));
            return answer;
        });
    }
}
