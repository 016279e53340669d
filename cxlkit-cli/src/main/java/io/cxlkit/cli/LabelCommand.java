package io.cxlkit.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Base of {@code read-labels}, {@code write-labels} and {@code zero-labels}: the MEMDEV filter
 * options, ndctl's {@code LABEL_OPTIONS} ({@link LabelOptions}), whose values are checked before
 * the daemon is contacted, {@code -v}, {@code --strict}, and ndctl's last line.
 */
public abstract class LabelCommand extends DaemonCommand {

    @Mixin
    MemdevFilterOptions filter;

    @Mixin
    LabelOptions range;

    @Option(names = {"-v", "--verbose"}, description = "say what was read, written or zeroed on each memdev")
    boolean verbose;

    @Mixin
    StrictOption strict;

    /** Checks {@code -s} and {@code -O}: a bad one is a usage error naming it. */
    protected void checkRange() {
        try {
            range.validate();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** ndctl's last line: {@code <verb> N mem}, {@code s} only when N > 1. */
    static String countLine(String verb, int n) {
        return verb + " " + n + " mem" + (n > 1 ? "s" : "");
    }
}
