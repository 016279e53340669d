package io.cxlkit.device.health;

import io.cxlkit.device.event.EventLogs;
import io.cxlkit.protocol.payload.AlertWarning;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.EventRecordData;
import io.cxlkit.protocol.payload.GeneralMediaEvent;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.payload.MemoryModuleEvent;
import java.util.function.LongPredicate;

/**
 * The one place that adds event records for the device's own state changes
 * (docs/events-and-health.md "What adds records"). After every change the device calls
 * {@link #evaluate()}, which compares health status, media status, life used, temperature and the
 * two corrected error statuses with their values after the previous change, in that order, and adds
 * one record per transition of the table; corrected errors come in through
 * {@link #correctedErrors}. A cold reset or restart empties the logs and calls {@link #rebaseline()}:
 * the reset's own changes add nothing.
 *
 * <p>Issue 15 (Inject Poison, the {@code media-error} fault, Scan Media) adds its General Media
 * records through {@link #mediaEvent}, which applies the same flag rule, and calls
 * {@link #evaluate()} after its own changes like every other change.
 *
 * <p>Not thread-safe: the device calls it under its lock.
 */
public final class StatusMonitor {

    private static final int WARNING_HEALTH_BITS = HealthInfo.MAINTENANCE_NEEDED | HealthInfo.PERFORMANCE_DEGRADED
            | HealthInfo.CAPACITY_DEGRADED;
    private static final int NORMAL = HealthInfo.AdditionalStatus.NORMAL;
    private static final int WARNING = HealthInfo.AdditionalStatus.WARNING;
    private static final int CRITICAL = HealthInfo.AdditionalStatus.CRITICAL;

    private final DeviceHealth health;
    private final EventLogs logs;
    private final LongPredicate inVolatilePartition;
    private DeviceHealth.Statuses last;

    /**
     * @param inVolatilePartition whether a DPA lies in the volatile partition
     */
    public StatusMonitor(DeviceHealth health, EventLogs logs, LongPredicate inVolatilePartition) {
        this.health = health;
        this.logs = logs;
        this.inVolatilePartition = inVolatilePartition;
        this.last = health.statuses();
    }

    /** Takes the statuses as they are now as the reference, adding nothing: power-on, cold reset. */
    public void rebaseline() {
        last = health.statuses();
    }

    /** Compares the statuses with the last ones and adds the records of their transitions. */
    public void evaluate() {
        DeviceHealth.Statuses was = last;
        DeviceHealth.Statuses now = health.statuses();
        last = now;
        if (now.equals(was)) {
            return;
        }
        HealthInfo info = health.info();
        int rose = now.healthStatus() & ~was.healthStatus();
        if ((rose & WARNING_HEALTH_BITS) != 0) {
            memoryModule(EventLog.WARNING, MemoryModuleEvent.HEALTH_STATUS_CHANGE, info);
        }
        if ((rose & HealthInfo.HW_REPLACEMENT_NEEDED) != 0) {
            memoryModule(EventLog.FAILURE, MemoryModuleEvent.HEALTH_STATUS_CHANGE, info);
        }
        if (now.mediaStatus() != was.mediaStatus()
                && !(was.mediaStatus() == HealthInfo.MEDIA_NOT_READY && now.mediaStatus() == HealthInfo.MEDIA_NORMAL)) {
            memoryModule(EventLog.FAILURE, MemoryModuleEvent.MEDIA_STATUS_CHANGE, info);
        }
        if (now.lifeUsed() != was.lifeUsed()) {
            if (now.lifeUsed() == CRITICAL) {
                memoryModule(EventLog.FAILURE, MemoryModuleEvent.LIFE_USED_CHANGE, info);
            } else if (now.lifeUsed() == WARNING && was.lifeUsed() == NORMAL) {
                memoryModule(EventLog.WARNING, MemoryModuleEvent.LIFE_USED_CHANGE, info);
            }
        }
        if (now.temperature() != was.temperature()) {
            if (now.temperature() == CRITICAL) {
                memoryModule(EventLog.FAILURE, MemoryModuleEvent.TEMPERATURE_CHANGE, info);
            } else if (now.temperature() == WARNING && was.temperature() == NORMAL) {
                memoryModule(EventLog.WARNING, MemoryModuleEvent.TEMPERATURE_CHANGE, info);
            } else if (now.temperature() == NORMAL) {
                memoryModule(EventLog.INFORMATIONAL, MemoryModuleEvent.TEMPERATURE_CHANGE, info);
            }
        }
        if (now.correctedVolatile() && !was.correctedVolatile()) {
            correctedThreshold(true);
        }
        if (now.correctedPersistent() && !was.correctedPersistent()) {
            correctedThreshold(false);
        }
    }

    /**
     * {@code count} corrected errors at {@code dpa}, in the partition that holds it: while that
     * partition's warning is disabled, one Informational General Media record per error (descriptor
     * 00h, transaction 00h); then the statuses are evaluated, so an enabled warning whose threshold
     * the count reaches adds its one Warning record.
     */
    public void correctedErrors(long dpa, long count) {
        long line = dpa & ~0x3FL;
        boolean inVolatile = inVolatilePartition.test(dpa);
        boolean warningEnabled = health.alerts().enabled(inVolatile
                ? AlertWarning.CORRECTED_VOLATILE
                : AlertWarning.CORRECTED_PERSISTENT);
        health.addCorrected(inVolatile, line, count);
        if (!warningEnabled) {
            add(EventLog.INFORMATIONAL, new GeneralMediaEvent(line, inVolatile, 0, GeneralMediaEvent.MEDIA_ECC_ERROR,
                    GeneralMediaEvent.TRANSACTION_UNKNOWN), count);
        }
        evaluate();
    }

    /** A General Media record of issue 15's media changes (poison, media errors, Scan Media). */
    public void mediaEvent(EventLog log, GeneralMediaEvent body) {
        add(log, body, 1);
    }

    /**
     * The threshold record names the line of the last corrected error in that partition, with its
     * volatile bit; with none there, the whole Physical Address is 0 (§3.3: "0 if none").
     */
    private void correctedThreshold(boolean inVolatile) {
        long last = health.lastCorrectedDpa(inVolatile);
        boolean none = last < 0;
        add(EventLog.WARNING, new GeneralMediaEvent(none ? 0 : last, inVolatile && !none,
                GeneralMediaEvent.THRESHOLD, GeneralMediaEvent.MEDIA_ECC_ERROR, GeneralMediaEvent.TRANSACTION_UNKNOWN), 1);
    }

    private void memoryModule(EventLog log, int type, HealthInfo info) {
        add(log, new MemoryModuleEvent(type, info), 1);
    }

    /**
     * The flags rule: bits 1:0 the log's number; on a record outside the Informational log, bits 3-5
     * copy Health Status bits 0-2 as they are now.
     */
    private void add(EventLog log, EventRecordData body, long copies) {
        int flags = log == EventLog.INFORMATIONAL ? 0 : (health.healthStatus() & 0x7) << 3;
        logs.add(log, body, flags & (EventRecord.MAINTENANCE_NEEDED | EventRecord.PERFORMANCE_DEGRADED
                | EventRecord.HW_REPLACEMENT_NEEDED), copies);
    }
}
