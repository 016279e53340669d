package io.cxlkit.device;

import java.util.Locale;

/** How a device verifies a firmware package (device-behaviour.md §5). */
public enum VerifyPolicy {
    /** Any bytes are accepted; the revision is the package's if it parses, else RAW-&lt;sha256 prefix&gt;. */
    NONE,
    /** The header parses and both digests match (the default). */
    PACKAGE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VerifyPolicy fromLabel(String s) {
        for (VerifyPolicy p : values()) {
            if (p.label().equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown verification policy '" + s + "' (none or package)");
    }
}
