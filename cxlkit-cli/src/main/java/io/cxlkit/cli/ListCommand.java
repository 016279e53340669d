package io.cxlkit.cli;

import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxlkit list}: ndctl's {@code cxl list} for memdevs. Prints exactly what
 * {@link MemdevJson#list} prints; the filters {@code -m}, {@code -s} and {@code -b} are ndctl's
 * and a memdev is listed when it passes all that are given. With no match: an empty array,
 * ndctl's warning on stderr, exit 0.
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

    @Option(names = {"-s", "--serial"}, paramLabel = "SERIAL",
            description = "only memdevs with these serial numbers: decimal, 0x hex or 0 octal (repeatable; "
                    + "spaces or commas separate several)")
    List<String> serialFilter;

    @Option(names = {"-b", "--bus"}, paramLabel = "BUS",
            description = "only memdevs on this bus (cxlkit has one: "
            + CxlBus.NAME + ", 0 or " + CxlBus.PROVIDER + ")")
    String busFilter;

    @Option(names = {"-u", "--human"}, description = "human friendly number formats")
    boolean human;

    @Option(names = "--cxlkit", description = "include cxlkit's own object (limits, faults, upload state and errors)")
    boolean cxlkit;

    @Override
    protected int execute() throws Exception {
        List<MemdevSelector> filters = filters();
        List<MemdevView> shown = memdevs().stream().filter(v -> filters.stream().allMatch(f -> f.matches(v)))
                .toList();
        if (shown.isEmpty()) {
            // as ndctl; cxlkit prints the empty array in -u mode too, where ndctl prints nothing
            warnNoMatchingDevices();
        }
        print(MemdevJson.list(shown, human, firmware, cxlkit));
        return 0;
    }

    /** The filters given, each checked before the daemon is contacted (a bad one is a usage error). */
    private List<MemdevSelector> filters() {
        List<MemdevSelector> filters = new ArrayList<>();
        try {
            if (memdevFilter != null) {
                filters.add(MemdevSelector.parse(memdevFilter));
            }
            if (serialFilter != null) {
                filters.add(MemdevSelector.parseSerials(serialFilter));
            }
            if (busFilter != null) {
                filters.add(MemdevSelector.parse(List.of("all")).onBus(busFilter));
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return filters;
    }
}
