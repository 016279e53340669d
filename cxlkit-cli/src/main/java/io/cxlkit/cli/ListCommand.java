package io.cxlkit.cli;

import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxlkit list}: ndctl's {@code cxl list} for memdevs. Prints exactly what
 * {@link MemdevJson#list} prints; with no match an empty array, a warning on stderr, exit 0.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List memdevs as ndctl's 'cxl list' does.")
public final class ListCommand extends DaemonCommand {

    @Option(names = {"-M", "--memdevs"}, description = "include memdevs (the default; cxlkit lists nothing else)")
    boolean memdevsFlag;

    @Option(names = {"-F", "--firmware"}, description = "include the firmware object")
    boolean firmware;

    @Option(names = {"-m", "--memdev"}, paramLabel = "MEMDEV",
            description = "only these memdevs: memN, N or all (repeatable; spaces or commas separate several)")
    List<String> memdevFilter;

    @Option(names = {"-u", "--human"}, description = "human friendly number formats")
    boolean human;

    @Option(names = "--cxlkit", description = "include cxlkit's own object (limits, faults, upload state)")
    boolean cxlkit;

    @Override
    protected int execute() throws Exception {
        MemdevSelector filter = memdevFilter == null ? null : selector(memdevFilter);
        List<MemdevView> all = memdevs();
        List<MemdevView> shown = filter == null ? all : filter.select(all, MemdevView::name);
        print(MemdevJson.list(shown, human, firmware, cxlkit));
        if (shown.isEmpty()) {
            report(filter == null ? "warning: no memdevs" : "warning: no memdev matches " + filter);
        }
        return 0;
    }
}
