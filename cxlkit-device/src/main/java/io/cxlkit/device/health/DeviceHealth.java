package io.cxlkit.device.health;

import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.protocol.payload.AlertWarning;
import io.cxlkit.protocol.payload.HealthInfo;
import java.util.function.BooleanSupplier;

/**
 * What Get Health Info reports (docs/events-and-health.md "Health"; r3.1 §8.2.9.9.3.1), from the
 * standing faults, the alert settings, the shutdown store and the corrected error counts, which
 * live here (volatile: a cold reset or a restart zeroes them). Not thread-safe: the device calls it
 * under its lock.
 */
public final class DeviceHealth {

    /** Device Temperature without the {@code temperature} fault, °C. */
    public static final int DEFAULT_TEMPERATURE = 25;
    static final long MAX_CORRECTED = 0xFFFF_FFFFL;

    /** The statuses the status monitor compares, in its order (docs/events-and-health.md "What adds records"). */
    public record Statuses(int healthStatus, int mediaStatus, int lifeUsed, int temperature,
                           boolean correctedVolatile, boolean correctedPersistent) {
    }

    private final FaultSet faults;
    private final AlertSettings alerts;
    private final ShutdownStore shutdown;
    private final BooleanSupplier mediaDisabled;
    private long correctedVolatile;
    private long correctedPersistent;
    /** The DPA (64-byte line) of the last corrected error in each partition; -1 when none. */
    private long lastVolatileDpa = -1;
    private long lastPersistentDpa = -1;

    /**
     * @param mediaDisabled whether media is disabled (the {@code media-disabled} fault, or a pending
     *                      Sanitize): Media Status then reads Not Ready
     */
    public DeviceHealth(FaultSet faults, AlertSettings alerts, ShutdownStore shutdown, BooleanSupplier mediaDisabled) {
        this.faults = faults;
        this.alerts = alerts;
        this.shutdown = shutdown;
        this.mediaDisabled = mediaDisabled;
    }

    public AlertSettings alerts() {
        return alerts;
    }

    public ShutdownStore shutdown() {
        return shutdown;
    }

    /** The volatile part of a cold reset or restart: corrected counts zeroed, warnings at their defaults. */
    public void coldReset() {
        correctedVolatile = 0;
        correctedPersistent = 0;
        lastVolatileDpa = -1;
        lastPersistentDpa = -1;
        alerts.reset();
    }

    /** Adds {@code n} corrected errors at the 64-byte line {@code lineDpa} of one partition; counts saturate. */
    void addCorrected(boolean volatilePartition, long lineDpa, long n) {
        if (volatilePartition) {
            correctedVolatile = Math.min(MAX_CORRECTED, correctedVolatile + n);
            lastVolatileDpa = lineDpa;
        } else {
            correctedPersistent = Math.min(MAX_CORRECTED, correctedPersistent + n);
            lastPersistentDpa = lineDpa;
        }
    }

    /** The line of the last corrected error in that partition, -1 when none (since the last cold reset). */
    long lastCorrectedDpa(boolean volatilePartition) {
        return volatilePartition ? lastVolatileDpa : lastPersistentDpa;
    }

    public int healthStatus() {
        return faults.healthStatusBits() | (faults.mediaDisabled() ? HealthInfo.MAINTENANCE_NEEDED : 0);
    }

    public int mediaStatus() {
        if (mediaDisabled.getAsBoolean()) {
            return HealthInfo.MEDIA_NOT_READY;
        }
        return faults.mediaStatus().map(FaultSet.MediaStatus::value).orElse(HealthInfo.MEDIA_NORMAL);
    }

    public int lifeUsed() {
        return faults.lifeUsed().orElse(0);
    }

    public int temperature() {
        return faults.temperature().orElse(DEFAULT_TEMPERATURE);
    }

    /** Critical above the critical threshold; else Warning when enabled and reached; else Normal. */
    int lifeUsedStatus() {
        int life = lifeUsed();
        if (life > alerts.critical().lifeUsed()) {
            return HealthInfo.AdditionalStatus.CRITICAL;
        }
        if (alerts.enabled(AlertWarning.LIFE_USED) && life >= alerts.threshold(AlertWarning.LIFE_USED)) {
            return HealthInfo.AdditionalStatus.WARNING;
        }
        return HealthInfo.AdditionalStatus.NORMAL;
    }

    /** Critical at or past either critical threshold; else Warning at or past an enabled warning; else Normal. */
    int temperatureStatus() {
        int t = temperature();
        if (t >= alerts.critical().overTemperature() || t <= alerts.critical().underTemperature()) {
            return HealthInfo.AdditionalStatus.CRITICAL;
        }
        if ((alerts.enabled(AlertWarning.OVER_TEMPERATURE) && t >= alerts.threshold(AlertWarning.OVER_TEMPERATURE))
                || (alerts.enabled(AlertWarning.UNDER_TEMPERATURE)
                        && t <= alerts.threshold(AlertWarning.UNDER_TEMPERATURE))) {
            return HealthInfo.AdditionalStatus.WARNING;
        }
        return HealthInfo.AdditionalStatus.NORMAL;
    }

    /** The corrected error status of one partition: its warning enabled and its count at or past the threshold. */
    boolean correctedWarning(boolean volatilePartition) {
        AlertWarning w = volatilePartition ? AlertWarning.CORRECTED_VOLATILE : AlertWarning.CORRECTED_PERSISTENT;
        long count = volatilePartition ? correctedVolatile : correctedPersistent;
        return alerts.enabled(w) && count >= alerts.threshold(w);
    }

    public Statuses statuses() {
        return new Statuses(healthStatus(), mediaStatus(), lifeUsedStatus(), temperatureStatus(),
                correctedWarning(true), correctedWarning(false));
    }

    /** Get Health Info's output now. */
    public HealthInfo info() {
        return new HealthInfo(healthStatus(), mediaStatus(),
                new HealthInfo.AdditionalStatus(lifeUsedStatus(), temperatureStatus(), correctedWarning(true),
                        correctedWarning(false)),
                lifeUsed(), temperature(), shutdown.count(), correctedVolatile, correctedPersistent);
    }
}
