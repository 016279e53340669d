package io.cxlkit.protocol.payload;

import java.util.Optional;

/**
 * The four event logs of a memory device and their numbers (r3.1 §8.2.9.2.2, Table 8-52): the
 * Event Log byte of Get and Clear Event Records, bits 1:0 of an event record's flags (its severity)
 * and bit i of the Event Status register. cxlkit has no Dynamic Capacity log (04h).
 */
public enum EventLog {
    INFORMATIONAL(0x00),
    WARNING(0x01),
    FAILURE(0x02),
    FATAL(0x03);

    private final int value;

    EventLog(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The log with this number, or empty for a number the spec (or cxlkit) does not define. */
    public static Optional<EventLog> fromValue(int value) {
        for (EventLog l : values()) {
            if (l.value == value) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
