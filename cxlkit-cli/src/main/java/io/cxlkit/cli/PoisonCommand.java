package io.cxlkit.cli;

import io.cxlkit.device.fault.FaultSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit poison MEMDEV (--inject DPA | --clear DPA)} (memdev-commands.md §15.5; ndctl has
 * none, the kernel has debugfs files): one Inject Poison, or one Clear Poison with zero data,
 * through the host driver. DPA is decimal or {@code 0x} hexadecimal and 64-byte aligned (else a
 * usage error, before the daemon is contacted). Prints nothing; a refusal is the memdev's failure
 * line and exit 1.
 */
@Command(name = "poison", mixinStandardHelpOptions = true,
        description = "Inject or clear poison at one 64-byte line of a memdev (as the kernel's debugfs files).")
public final class PoisonCommand extends DaemonCommand {

    /** The unit of poison: one 64-byte line. */
    static final int LINE = 64;

    @Parameters(paramLabel = "MEMDEV", arity = "1", description = "memN or N; a serial number with -S")
    String memdev;

    @Mixin
    MemdevFilterOptions filter;

    @Option(names = "--inject", paramLabel = "DPA", description = "Inject Poison at DPA (decimal or 0x-hex, 64-byte aligned)")
    String inject;

    @Option(names = "--clear", paramLabel = "DPA", description = "Clear Poison at DPA, writing zeros (decimal or 0x-hex, 64-byte aligned)")
    String clear;

    @Mixin
    StrictOption strict;

    @Override
    protected int execute() throws Exception {
        if ((inject == null) == (clear == null)) {
            throw usage("give exactly one of --inject DPA and --clear DPA");
        }
        String option = inject != null ? "--inject" : "--clear";
        long dpa = dpa(option, inject != null ? inject : clear);
        MemdevSelector selector = selector(List.of(memdev), filter);
        Selection selection = resolve(selector);
        Outcome<String> outcome = forEach(selection.names(), name -> inject != null
                ? daemon().post(memdevPath(name) + "/poison", DaemonClient.object().put("dpa", dpa))
                : daemon().delete(memdevPath(name) + "/poison?dpa=" + dpa));
        return outcome.exitCode(strict, selection);
    }

    /** A DPA argument: decimal or 0x hexadecimal, 64-byte aligned; anything else a usage error. */
    private long dpa(String option, String text) {
        long dpa;
        try {
            dpa = FaultSet.parseDpa(text);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
        if (dpa % LINE != 0) {
            throw usage(option + ": DPA 0x" + Long.toHexString(dpa) + " is not 64-byte aligned");
        }
        return dpa;
    }
}
