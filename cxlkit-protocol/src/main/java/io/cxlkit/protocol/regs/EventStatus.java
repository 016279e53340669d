package io.cxlkit.protocol.regs;

import io.cxlkit.protocol.payload.EventLog;
import java.util.EnumSet;
import java.util.Set;

/**
 * Event Status register (Device Status capability 0001h, +00h, 32 bits in a 64-bit slot; r3.1
 * §8.2.8.3.1): bit i set while event log i ({@link EventLog}: 0 Informational, 1 Warning, 2 Failure,
 * 3 Fatal) holds a record; bit 4 Dynamic Capacity (cxlkit has no such log: always 0); bits 31:5
 * reserved (ignored when reading a raw value).
 *
 * @param nonEmpty the logs that hold at least one record
 */
public record EventStatus(Set<EventLog> nonEmpty) {

    public static final EventStatus NONE = new EventStatus(Set.of());

    public EventStatus {
        nonEmpty = nonEmpty.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(nonEmpty));
    }

    public boolean has(EventLog log) {
        return nonEmpty.contains(log);
    }

    public long toRaw() {
        long r = 0;
        for (EventLog l : nonEmpty) {
            r = Bits.put(r, l.value(), 1, 1);
        }
        return r;
    }

    public static EventStatus fromRaw(long raw) {
        Set<EventLog> logs = EnumSet.noneOf(EventLog.class);
        for (EventLog l : EventLog.values()) {
            if (Bits.get(raw, l.value(), 1) != 0) {
                logs.add(l);
            }
        }
        return new EventStatus(logs);
    }
}
