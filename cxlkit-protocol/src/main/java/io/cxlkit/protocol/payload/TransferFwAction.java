package io.cxlkit.protocol.payload;

import java.util.Optional;

/** Transfer FW (0201h) Action byte. */
public enum TransferFwAction {
    /** The whole package in one part (offset ignored). */
    FULL(0x00),
    /** The first part of a multi-part transfer. */
    INITIATE(0x01),
    /** A middle part. */
    CONTINUE(0x02),
    /** The last part; the device then verifies and stores the package in the given slot. */
    END(0x03),
    /** Abandons the transfer in progress. */
    ABORT(0x04);

    private final int value;

    TransferFwAction(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The action with this byte value, or empty for a value the spec does not define. */
    public static Optional<TransferFwAction> fromValue(int value) {
        for (TransferFwAction a : values()) {
            if (a.value == value) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
