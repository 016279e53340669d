package io.cxlkit.protocol.payload;

import java.util.Optional;

/** Activate FW (0202h) Action byte. */
public enum ActivateFwAction {
    /** Activate now, while the device runs. */
    ONLINE(0x00),
    /** Activate on the next cold reset. */
    ON_NEXT_RESET(0x01);

    private final int value;

    ActivateFwAction(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The action with this byte value, or empty for a value the spec does not define. */
    public static Optional<ActivateFwAction> fromValue(int value) {
        for (ActivateFwAction a : values()) {
            if (a.value == value) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
