package io.cxlkit.device.testing;

import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.AlertConfig;
import io.cxlkit.protocol.payload.ClearEventRecordsRequest;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.GetEventRecordsRequest;
import io.cxlkit.protocol.payload.GetEventRecordsResponse;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import io.cxlkit.protocol.payload.Timestamp;
import io.cxlkit.protocol.regs.EventStatus;
import io.cxlkit.protocol.regs.RegisterMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The event, health and alert commands as a test sends them to a {@link TestDevice}, each checked
 * to succeed (use {@link TestDevice#send} to see a failure's return code).
 */
public final class Events {
    private Events() {
    }

    private static TestDevice.Reply ok(TestDevice.Reply r, String what) {
        if (!r.ok()) {
            throw new AssertionError(what + " failed: " + r);
        }
        return r;
    }

    public static GetEventRecordsResponse get(TestDevice t, Cci cci, EventLog log) {
        TestDevice.Reply r = ok(t.send(cci, CommandId.GET_EVENT_RECORDS, GetEventRecordsRequest.of(log).encode()),
                "Get Event Records");
        return GetEventRecordsResponse.decode(ByteBuffer.wrap(r.output()));
    }

    /** Every record of {@code log}, through the mailbox (Get Event Records, oldest first, no clearing). */
    public static List<EventRecord> records(TestDevice t, EventLog log) {
        return get(t, Cci.MAILBOX, log).records();
    }

    /** Every record of every log, Informational first. */
    public static List<EventRecord> allRecords(TestDevice t) {
        List<EventRecord> all = new ArrayList<>();
        for (EventLog l : EventLog.values()) {
            all.addAll(records(t, l));
        }
        return all;
    }

    /** Clears the {@code n} oldest records of {@code log} by their handles. */
    public static void clearOldest(TestDevice t, EventLog log, int n) {
        List<Integer> handles = records(t, log).stream().limit(n).map(EventRecord::handle).toList();
        ok(t.send(Cci.MAILBOX, CommandId.CLEAR_EVENT_RECORDS, ClearEventRecordsRequest.handles(log, handles)
                .encode()), "Clear Event Records");
    }

    /** Clears every record of every log (Clear All where a log overflowed, else by handles). */
    public static void clearAll(TestDevice t) {
        for (EventLog l : EventLog.values()) {
            GetEventRecordsResponse r = get(t, Cci.MAILBOX, l);
            if (r.overflow()) {
                ok(t.send(Cci.MAILBOX, CommandId.CLEAR_EVENT_RECORDS, ClearEventRecordsRequest.clearAll(l).encode()),
                        "Clear All");
            } else {
                while (!records(t, l).isEmpty()) {
                    clearOldest(t, l, records(t, l).size());
                }
            }
        }
    }

    public static HealthInfo health(TestDevice t, Cci cci) {
        return HealthInfo.decode(ByteBuffer.wrap(ok(t.send(cci, CommandId.GET_HEALTH_INFO), "Get Health Info").output()));
    }

    public static AlertConfig alerts(TestDevice t, Cci cci) {
        return AlertConfig.decode(ByteBuffer.wrap(
                ok(t.send(cci, CommandId.GET_ALERT_CONFIGURATION), "Get Alert Configuration").output()));
    }

    /** Set Alert Configuration; its return code. */
    public static int setAlerts(TestDevice t, Cci cci, SetAlertConfigRequest req) {
        return t.send(cci, CommandId.SET_ALERT_CONFIGURATION, req.encode()).returnCode();
    }

    public static void setTimestamp(TestDevice t, long nanos) {
        ok(t.send(Cci.MAILBOX, CommandId.SET_TIMESTAMP, new Timestamp(nanos).encode()), "Set Timestamp");
    }

    /** The Event Status register, read at offset 100h of the register block. */
    public static EventStatus eventStatus(TestDevice t) {
        return EventStatus.fromRaw(t.mailbox().read64(RegisterMap.EVENT_STATUS));
    }
}
