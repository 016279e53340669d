package io.cxlkit.cli;

import java.util.regex.Pattern;

/**
 * The one CXL bus every cxlkit memdev sits on, named as the kernel names the bus of an ACPI0017
 * CXL root ({@code cxl list -B} shows {@code "bus":"root0","provider":"ACPI.CXL"}), and ndctl's
 * {@code -b/--bus} filter on it ({@code util_cxl_bus_filter}): a filter selects the bus when any of
 * its words (separated by spaces or commas) is {@code all}, the bus id ({@code 0} or
 * {@code root0}), its device name or its provider.
 */
public final class CxlBus {
    /** The bus's device name. */
    public static final String NAME = "root0";
    /** What the kernel's ACPI0017 root is called by libcxl ({@code cxl_bus_get_provider}). */
    public static final String PROVIDER = "ACPI.CXL";
    private static final int ID = 0;

    private static final Pattern ID_WORD = Pattern.compile("(?:root)?([0-9]{1,9})");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

    private CxlBus() {
    }

    /**
     * True if {@code filter} selects this bus.
     *
     * @throws IllegalArgumentException if the filter names nothing (empty or only separators)
     */
    public static boolean selectedBy(String filter) {
        String trimmed = filter.strip();
        if (trimmed.replace(",", "").isBlank()) {
            throw new IllegalArgumentException("empty BUS (" + NAME + ", " + ID + ", " + PROVIDER + " or all)");
        }
        for (String word : SEPARATORS.split(trimmed)) {
            var id = ID_WORD.matcher(word);
            if (word.equals("all") || word.equals(NAME) || word.equals(PROVIDER)
                    || (id.matches() && Integer.parseInt(id.group(1)) == ID)) {
                return true;
            }
        }
        return false;
    }
}
