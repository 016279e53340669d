package io.cxlkit.device.event;

import io.cxlkit.device.command.Outcome;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ClearEventRecordsRequest;
import io.cxlkit.protocol.payload.EventInterruptPolicy;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.GetEventRecordsRequest;
import io.cxlkit.protocol.payload.GetEventRecordsResponse;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Get/Clear Event Records (0100h, 0101h) and Get/Set Event Interrupt Policy (0102h, 0103h), after
 * the dispatcher's checks (docs/events-and-health.md). The policy is stored and reported only: no
 * event interrupt is raised. Called under the device lock.
 */
public final class EventCommands {

    private final EventLogs logs;
    private EventInterruptPolicy policy = EventInterruptPolicy.NONE;

    public EventCommands(EventLogs logs) {
        this.logs = logs;
    }

    /** A cold reset or restart: the logs empty, handles from 0001h, every interrupt setting 00h. */
    public void coldReset() {
        logs.clear();
        policy = EventInterruptPolicy.NONE;
    }

    /** 0100h. Check: a log above 03h: 0002h. As many whole records as fit {@code maxOut}, More for the rest. */
    public Outcome getEventRecords(ByteBuffer in, int maxOut) {
        Optional<EventLog> log = GetEventRecordsRequest.decode(in).knownLog();
        if (log.isEmpty()) {
            return Outcome.Done.of(ReturnCode.INVALID_INPUT);
        }
        GetEventRecordsResponse r = logs.read(log.get(), GetEventRecordsResponse.recordsFitting(maxOut));
        return Outcome.Done.success(r.encode());
    }

    /** 0101h. Checks: 1. a log above 03h: 0002h; then {@link EventLogs#clear(EventLog, boolean, java.util.List)}'s. */
    public Outcome clearEventRecords(ByteBuffer in) {
        ClearEventRecordsRequest req = ClearEventRecordsRequest.decode(in);
        Optional<EventLog> log = req.knownLog();
        if (log.isEmpty()) {
            return Outcome.Done.of(ReturnCode.INVALID_INPUT);
        }
        return Outcome.Done.of(logs.clear(log.get(), req.clearAll(), req.handles()));
    }

    /**
     * 0102h: the stored mode of each log, with message number 1 for MSI/MSI-X (the device's one
     * vector), the number that was set for FW interrupt, 0 for none; byte 04h (Dynamic Capacity) 00h.
     */
    public Outcome getEventInterruptPolicy() {
        return Outcome.Done.success(new EventInterruptPolicy(reported(policy.informational()),
                reported(policy.warning()), reported(policy.failure()), reported(policy.fatal())).encode());
    }

    private static EventInterruptPolicy.Setting reported(EventInterruptPolicy.Setting s) {
        return switch (s.knownMode().orElseThrow()) {
            case NONE -> EventInterruptPolicy.Setting.NONE;
            case MSI -> EventInterruptPolicy.Setting.of(EventInterruptPolicy.Mode.MSI, 1);
            case FW_INTERRUPT -> s;
        };
    }

    /** 0103h, 4 or 5 bytes. Check: mode 11b in bytes 00h-03h: 0002h; byte 04h is ignored. */
    public Outcome setEventInterruptPolicy(ByteBuffer in) {
        EventInterruptPolicy p = EventInterruptPolicy.decode(in);
        for (EventLog l : EventLog.values()) {
            if (p.setting(l).knownMode().isEmpty()) {
                return Outcome.Done.of(ReturnCode.INVALID_INPUT);
            }
        }
        policy = p;
        return Outcome.Done.of(ReturnCode.SUCCESS);
    }
}
