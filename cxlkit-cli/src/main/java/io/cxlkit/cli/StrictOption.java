package io.cxlkit.cli;

import picocli.CommandLine.Option;

/**
 * {@code --strict}, mixed into the commands that act on several memdevs. By default they exit as
 * ndctl does: 0 when at least one memdev succeeded. A CI job wants every failure to count, so
 * under {@code --strict} any memdev that failed makes the exit status 1.
 */
public final class StrictOption {

    @Option(names = "--strict", description = "exit 1 if any memdev failed (default: as ndctl, "
            + "0 when at least one succeeded)")
    boolean strict;

    /** The exit status for {@code succeeded} memdevs out of {@code total}. */
    public int exitStatus(int succeeded, int total) {
        boolean failed = strict ? succeeded < total : succeeded == 0;
        return failed ? 1 : 0;
    }
}
