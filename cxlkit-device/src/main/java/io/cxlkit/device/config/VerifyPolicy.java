package io.cxlkit.device.config;

import java.util.Locale;

/** How a device verifies a firmware package (device-behaviour.md §5). */
public enum VerifyPolicy {
    /** Any bytes are accepted; the revision is the package's if it parses, else RAW-&lt;sha256 prefix&gt;. */
    NONE,
    /** The header parses and both digests match (the default). */
    PACKAGE,
    /**
     * As {@link #PACKAGE}, plus a valid Ed25519 signature by one of the device's trusted keys
     * ({@link DeviceConfig#trustedKeys()}); the factory package is exempt.
     */
    SIGNED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VerifyPolicy fromLabel(String s) {
        for (VerifyPolicy p : values()) {
            if (p.label().equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown verification policy '" + s + "' (none, package or signed)");
    }
}
