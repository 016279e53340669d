package io.cxlkit.cli;

import picocli.CommandLine.Mixin;

/**
 * Base of {@code read-labels}, {@code write-labels} and {@code zero-labels}: the MEMDEV filter
 * options and ndctl's {@code LABEL_OPTIONS} ({@link LabelOptions}), whose values are checked before
 * the daemon is contacted.
 */
public abstract class LabelCommand extends DaemonCommand {

    @Mixin
    MemdevFilterOptions filter;

    @Mixin
    LabelOptions range;

    /** Checks {@code -s} and {@code -O}: a bad one is a usage error naming it. */
    protected void checkRange() {
        try {
            range.validate();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
}
