package io.cxlkit.cli;

import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.json.MemdevView.PartitionView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit set-partition MEMDEV... [-t pmem|ram|volatile] [-s SIZE] [-a]}: ndctl's
 * {@code cxl set-partition} (memdev-commands.md §15.4). For each memdev, the volatile capacity is
 * worked out from its {@code partition_info} with ndctl's arithmetic ({@link PartitionPlan}); a
 * request that cannot be met is that memdev's failure line and it is not printed, as ndctl. Then
 * Set Partition Info without Immediate goes through the host driver (the change takes effect at the
 * next cold reset); the memdevs it was sent to print with {@code partition_info} (human on a
 * terminal), also one the device refused, and then {@code cxlkit: set-partition: set_partition N
 * mem[s]}. A bad {@code -t} or {@code -s} is a usage error, before the daemon is contacted.
 */
@Command(name = "set-partition", mixinStandardHelpOptions = true,
        description = "Set the volatile/persistent partitioning of memdevs, as ndctl's 'cxl set-partition'.")
public final class SetPartitionCommand extends DaemonCommand {

    private static final Set<MemdevJson.Include> PARTITION = EnumSet.of(MemdevJson.Include.PARTITION_INFO);

    @Parameters(paramLabel = "MEMDEV", arity = "1..*", description = "memN, N or all; serial numbers with -S")
    List<String> memdevs;

    @Mixin
    MemdevFilterOptions filter;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", completionCandidates = CompletionChoices.PartitionTypes.class,
            description = "'pmem' or 'ram' (volatile) (Default: 'pmem')")
    String type;

    @Option(names = {"-s", "--size"}, paramLabel = "SIZE", description = "size in bytes, or with k/m/g/t (KiB/MiB/GiB/TiB) "
            + "(Default: all available capacity)")
    String size;

    @Option(names = {"-a", "--align"}, description = "auto-align --size per device's requirement")
    boolean align;

    @Option(names = {"-v", "--verbose"}, description = "say the volatile capacity asked of each memdev")
    boolean verbose;

    @Mixin
    StrictOption strict;

    @Override
    protected int execute() throws Exception {
        PartitionPlan.Type t;
        OptionalLong bytes;
        try {
            t = PartitionPlan.type(type);
            bytes = size == null ? OptionalLong.empty() : OptionalLong.of(PartitionPlan.parseSize(size));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        MemdevSelector selector = selector(memdevs, filter);
        Selection selection = resolve(selector);
        List<MemdevView> printed = new ArrayList<>();
        int done = 0;
        for (String name : selection.names()) {
            long volatileSize;
            try {
                PartitionView p = memdev(name, PARTITION).partitionInfo().orElseThrow(() -> new IllegalArgumentException(
                        "no partition information (Identify Memory Device failed)"));
                volatileSize = PartitionPlan.volatileSize(p, t, bytes, align);
            } catch (IllegalArgumentException e) {
                report(name + ": " + e.getMessage());
                continue;
            } catch (ApiError e) {
                report(name + ": " + e.messageFor(name));
                continue;
            } catch (IOException e) {
                report(name + ": " + FailureHandler.describe(e));
                continue;
            }
            if (verbose) {
                report(name + ": volatile capacity " + volatileSize + " bytes at the next cold reset");
            }
            try {
                String answer = daemon().post(memdevPath(name) + "/partition",
                        DaemonClient.object().put("volatile_size", volatileSize));
                printed.add(view(DaemonClient.parse(answer)));
                done++;
            } catch (ApiError e) {
                report(name + ": " + e.messageFor(name));
                lookAgain(name, printed);
            } catch (IOException e) {
                report(name + ": " + FailureHandler.describe(e));
                lookAgain(name, printed);
            }
        }
        printAffected(printed, PARTITION);
        report("set_partition " + done + " mem" + (done > 1 ? "s" : ""));
        return strict.exitStatus(done, selection.attempted());
    }

    /** As ndctl, a memdev whose Set Partition Info failed is printed as it is now, when the daemon can say. */
    private void lookAgain(String name, List<MemdevView> printed) {
        try {
            printed.add(memdev(name, PARTITION));
        } catch (IOException | ApiError e) {
            // its failure is said already
        }
    }
}
