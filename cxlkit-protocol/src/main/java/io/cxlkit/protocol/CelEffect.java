package io.cxlkit.protocol;

/** One bit of a Command Effects Log entry's effect field, at the spec's bit position (r3.1 Table 8-75). */
public enum CelEffect {
    CONFIG_CHANGE_AFTER_COLD_RESET(0),
    IMMEDIATE_CONFIG_CHANGE(1),
    IMMEDIATE_DATA_CHANGE(2),
    IMMEDIATE_POLICY_CHANGE(3),
    IMMEDIATE_LOG_CHANGE(4),
    SECURITY_STATE_CHANGE(5),
    BACKGROUND_OPERATION(6),
    /** Bit 7. QEMU puts "abort supported" here; the spec does not. */
    SECONDARY_MAILBOX_SUPPORTED(7),
    /** Bit 8. */
    REQUEST_ABORT_SUPPORTED(8),
    /** Bit 9: bits 10 and 11 are valid. */
    RESET_BITS_VALID(9),
    CONFIG_CHANGE_AFTER_CONVENTIONAL_RESET(10),
    CONFIG_CHANGE_AFTER_CXL_RESET(11);

    private final int bit;

    CelEffect(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    public int mask() {
        return 1 << bit;
    }
}
