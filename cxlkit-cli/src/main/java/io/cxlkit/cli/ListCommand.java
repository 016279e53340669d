package io.cxlkit.cli;

import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevJson.Include;
import io.cxlkit.host.json.MemdevView;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxlkit list}: ndctl's {@code cxl list} for memdevs. Prints exactly what
 * {@link MemdevJson#list} prints; the filters {@code -m}, {@code -s} and {@code -b} are ndctl's
 * and a memdev is listed when it passes all that are given. With no match: an empty array,
 * ndctl's warning on stderr, exit 0. {@code -H}, {@code -A}, {@code -I} and {@code -L} ask the
 * daemon for the objects it builds at request time (Get Health Info, Get Alert Configuration, Get
 * Partition Info, Get Poison List); each is left out of a memdev whose command failed ({@code
 * media_errors} also when empty).
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

    @Option(names = {"-H", "--health"}, description = "include memory device health information")
    boolean health;

    @Option(names = {"-I", "--partition"}, description = "include memory device partition information")
    boolean partition;

    @Option(names = {"-A", "--alert-config"}, description = "include alert configuration information")
    boolean alertConfig;

    @Option(names = {"-L", "--media-errors"}, description = "include media-error information")
    boolean mediaErrors;

    @Option(names = {"-u", "--human"}, description = "human friendly number formats")
    boolean human;

    @Option(names = "--cxlkit", description = "include cxlkit's own object (limits, faults, upload state and errors)")
    boolean cxlkit;

    @Override
    protected int execute() throws Exception {
        List<MemdevSelector> filters = filters();
        Set<Include> include = include();
        List<MemdevView> shown = memdevs(include).stream().filter(v -> filters.stream().allMatch(f -> f.matches(v)))
                .toList();
        if (shown.isEmpty()) {
            // as ndctl; cxlkit prints the empty array in -u mode too, where ndctl prints nothing
            warnNoMatchingDevices();
        }
        print(MemdevJson.list(shown, human, include));
        return 0;
    }

    /** The optional objects the flags ask for. */
    private Set<Include> include() {
        Set<Include> include = EnumSet.noneOf(Include.class);
        if (health) {
            include.add(Include.HEALTH);
        }
        if (alertConfig) {
            include.add(Include.ALERT_CONFIG);
        }
        if (partition) {
            include.add(Include.PARTITION_INFO);
        }
        if (firmware) {
            include.add(Include.FIRMWARE);
        }
        if (mediaErrors) {
            include.add(Include.MEDIA_ERRORS);
        }
        if (cxlkit) {
            include.add(Include.CXLKIT);
        }
        return include;
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
