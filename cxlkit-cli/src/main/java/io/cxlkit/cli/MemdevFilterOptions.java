package io.cxlkit.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * ndctl's options for how MEMDEV arguments select memdevs ({@code BASE_OPTIONS} of ndctl's
 * {@code cxl/memdev.c}), mixed into every command that takes MEMDEV arguments: {@code -S} reads
 * them as serial numbers, {@code -b} keeps only memdevs on the named bus.
 */
public final class MemdevFilterOptions {

    @Option(names = {"-S", "--serial"}, description = "MEMDEV arguments are serial numbers "
            + "(decimal, 0x hex or 0 octal)")
    boolean serial;

    @Option(names = {"-b", "--bus"}, paramLabel = "BUS", description = "only memdevs on this bus (cxlkit has one: "
            + CxlBus.NAME + ", 0 or " + CxlBus.PROVIDER + ")")
    String bus;

    /** True if {@code -S} or {@code -b} was given. */
    public boolean given() {
        return serial || bus != null;
    }

    /**
     * The selector for {@code args} under these options.
     *
     * @throws IllegalArgumentException if an argument or the bus is not valid (a usage error)
     */
    MemdevSelector selector(List<String> args) {
        MemdevSelector s = serial ? MemdevSelector.parseSerials(args) : MemdevSelector.parse(args);
        return bus == null ? s : s.onBus(bus);
    }
}
