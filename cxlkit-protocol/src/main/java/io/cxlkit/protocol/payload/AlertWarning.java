package io.cxlkit.protocol.payload;

/**
 * The five programmable warnings of the alert configuration, in their bit order (r3.1
 * §8.2.9.9.3.2–3, Tables 8-134, 8-135): warning i is bit i of Valid Alerts, Programmable Alerts,
 * Valid Alert Actions and Enable Alert Actions.
 */
public enum AlertWarning {
    LIFE_USED,
    OVER_TEMPERATURE,
    UNDER_TEMPERATURE,
    CORRECTED_VOLATILE,
    CORRECTED_PERSISTENT;

    /** All five: 1Fh. */
    public static final int ALL_BITS = 0x1F;

    /** {@code 1 << ordinal()}. */
    public int bit() {
        return 1 << ordinal();
    }

    /** Whether this warning's bit is set in {@code bits}. */
    public boolean in(int bits) {
        return (bits & bit()) != 0;
    }
}
