package io.cxlkit.cli;

import io.cxlkit.protocol.UnsignedText;
import picocli.CommandLine.Option;

/**
 * ndctl's {@code LABEL_OPTIONS} of {@code read-labels}, {@code write-labels} and
 * {@code zero-labels}: {@code -s/--size} and {@code -O/--offset}, byte counts in decimal or
 * {@code 0x}-prefixed hexadecimal (memdev-commands.md §15), 0 to 2^32-1 as ndctl's unsigned
 * options. A size of 0, or none, means the rest of the label storage area from the offset.
 */
public final class LabelOptions {

    @Option(names = {"-s", "--size"}, paramLabel = "SIZE",
            description = "number of label bytes to operate on (default, or 0: to the end of the label area)")
    String size;

    @Option(names = {"-O", "--offset"}, paramLabel = "OFFSET",
            description = "offset into the label area to start the operation (default 0)")
    String offset;

    /** The size given, 0 when none. */
    long size() {
        return size == null ? 0 : parse(size, "-s/--size");
    }

    /** The offset given, 0 when none. */
    long offset() {
        return offset == null ? 0 : parse(offset, "-O/--offset");
    }

    /** Checks both; the usage error's message names the option. */
    void validate() {
        size();
        offset();
    }

    /**
     * A label byte count: decimal or 0x hexadecimal, at most 2^32-1.
     *
     * @throws IllegalArgumentException naming {@code option} for anything else
     */
    static long parse(String text, String option) {
        long v;
        try {
            v = UnsignedText.parse(text);
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(option + " expects a number of bytes, decimal or 0x hexadecimal, up to "
                    + "4294967295: '" + text + "'");
        }
        return v;
    }

    /** {@code ?offset=O[&size=S]} for the labels route. */
    String query() {
        return "?offset=" + offset() + (size() != 0 ? "&size=" + size() : "");
    }
}
