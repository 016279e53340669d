package io.cxlkit.device.event;

import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.EventRecordData;
import io.cxlkit.protocol.payload.GetEventRecordsResponse;
import io.cxlkit.protocol.regs.EventStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A device's four event logs (docs/events-and-health.md "Event logs"; r3.1 §8.2.9.2): each holds at
 * most {@code capacity} records, oldest first; handles count per log from 0001h, +1 per record
 * added, FFFFh wrapping to 0001h; a record for a full log is dropped and counted as overflow. All
 * of it is volatile: {@link #clear()} (cold reset, restart) empties the logs and restarts the
 * handles. Not thread-safe: the device calls it under its lock.
 */
public final class EventLogs {

    /** Overflow Error Count saturates here. */
    static final int MAX_OVERFLOW_COUNT = 0xFFFF;

    private final int capacity;
    private final LongSupplier timestamp;
    private final Map<EventLog, Log> logs = new EnumMap<>(EventLog.class);

    /**
     * @param capacity  records per log (Identify Memory Device 30h-37h)
     * @param timestamp the device timestamp (Get Timestamp's value, 0 when never set)
     */
    public EventLogs(int capacity, LongSupplier timestamp) {
        if (capacity < 1 || capacity > 0xFFFF) {
            throw new IllegalArgumentException("event log capacity must be 1..65535, not " + capacity);
        }
        this.capacity = capacity;
        this.timestamp = timestamp;
        clear();
    }

    private static final class Log {
        final ArrayDeque<EventRecord> records = new ArrayDeque<>();
        int nextHandle = 1;
        boolean overflow;
        int overflowCount;
        long firstOverflow;
        long lastOverflow;
    }

    /** Empties every log and restarts its handles at 0001h: a cold reset or a restart. */
    public void clear() {
        for (EventLog l : EventLog.values()) {
            logs.put(l, new Log());
        }
    }

    /**
     * Empties every log and clears its overflow state, but each log's handle counter keeps
     * counting: a completed Sanitize (memdev-commands.md §9), after which a host that remembers old
     * handles must not mistake a new record for one it has seen.
     */
    public void emptyKeepingHandles() {
        for (EventLog l : EventLog.values()) {
            Log fresh = new Log();
            fresh.nextHandle = logs.get(l).nextHandle;
            logs.put(l, fresh);
        }
    }

    /**
     * Adds {@code copies} records of {@code body} to {@code log}, stamped with the device timestamp
     * now; those that do not fit are dropped and counted as overflow.
     *
     * @param flags the record's flags besides its severity (bits 1:0 are the log's number)
     * @param copies 1 or more (a count of corrected errors may be large: only what fits is built)
     */
    public void add(EventLog log, EventRecordData body, int flags, long copies) {
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be at least 1");
        }
        Log l = logs.get(log);
        long now = timestamp.getAsLong();
        long fit = Math.min(copies, capacity - l.records.size());
        for (long i = 0; i < fit; i++) {
            int handle = l.nextHandle;
            l.nextHandle = handle == 0xFFFF ? 1 : handle + 1;
            l.records.addLast(EventRecord.of(body, (flags & ~EventRecord.SEVERITY_MASK) | log.value(), handle, 0, now));
        }
        long dropped = copies - fit;
        if (dropped > 0) {
            if (!l.overflow) {
                l.overflow = true;
                l.firstOverflow = now;
            }
            l.lastOverflow = now;
            l.overflowCount = (int) Math.min(MAX_OVERFLOW_COUNT, l.overflowCount + dropped);
        }
    }

    /** Get Event Records: at most {@code maxRecords} records, oldest first; reading removes nothing. */
    public GetEventRecordsResponse read(EventLog log, int maxRecords) {
        Log l = logs.get(log);
        List<EventRecord> out = new ArrayList<>(Math.min(maxRecords, l.records.size()));
        Iterator<EventRecord> it = l.records.iterator();
        while (out.size() < maxRecords && it.hasNext()) {
            out.add(it.next());
        }
        boolean more = out.size() < l.records.size();
        return l.overflow
                ? new GetEventRecordsResponse(true, more, l.overflowCount, l.firstOverflow, l.lastOverflow, out)
                : GetEventRecordsResponse.of(more, out);
    }

    /**
     * Clear Event Records' checks 2-4 and its effect (docs/events-and-health.md): Clear All with
     * handles, or on a log that has not overflowed: 0002h; handles that are not exactly those of the
     * oldest records, oldest first: 000Eh, nothing cleared. Clearing at least one record clears the
     * overflow state.
     */
    public ReturnCode clear(EventLog log, boolean clearAll, List<Integer> handles) {
        Log l = logs.get(log);
        if (clearAll && !handles.isEmpty()) {
            return ReturnCode.INVALID_INPUT;
        }
        if (clearAll && !l.overflow) {
            return ReturnCode.INVALID_INPUT;
        }
        if (!clearAll) {
            if (handles.size() > l.records.size()) {
                return ReturnCode.INVALID_HANDLE;
            }
            Iterator<EventRecord> it = l.records.iterator();
            for (int h : handles) {
                if (it.next().handle() != h) {
                    return ReturnCode.INVALID_HANDLE;
                }
            }
        }
        int n = clearAll ? l.records.size() : handles.size();
        for (int i = 0; i < n; i++) {
            l.records.removeFirst();
        }
        if (n > 0) {
            l.overflow = false;
            l.overflowCount = 0;
            l.firstOverflow = 0;
            l.lastOverflow = 0;
        }
        return ReturnCode.SUCCESS;
    }

    /** The records {@code log} holds, oldest first (for inspection). */
    public List<EventRecord> records(EventLog log) {
        return List.copyOf(logs.get(log).records);
    }

    /** The Event Status register: the logs that hold a record. */
    public EventStatus status() {
        Set<EventLog> nonEmpty = EnumSet.noneOf(EventLog.class);
        logs.forEach((log, l) -> {
            if (!l.records.isEmpty()) {
                nonEmpty.add(log);
            }
        });
        return new EventStatus(nonEmpty);
    }
}
