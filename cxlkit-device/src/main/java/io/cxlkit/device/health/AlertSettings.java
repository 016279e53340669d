package io.cxlkit.device.health;

import io.cxlkit.device.config.CriticalThresholds;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.AlertConfig;
import io.cxlkit.protocol.payload.AlertWarning;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;

/**
 * The alert configuration (docs/events-and-health.md "Alert configuration"; r3.1 §8.2.9.9.3.2-3):
 * the five programmable warnings, each enabled or not with its threshold, and the device's critical
 * thresholds, which no command changes. The warnings are volatile: {@link #reset()} (cold reset,
 * restart) restores the defaults. Not thread-safe: the device calls it under its lock.
 */
public final class AlertSettings {

    /** Valid Alerts after a reset: life used, over- and under-temperature warnings enabled (07h). */
    public static final int DEFAULT_ENABLED = AlertWarning.LIFE_USED.bit() | AlertWarning.OVER_TEMPERATURE.bit()
            | AlertWarning.UNDER_TEMPERATURE.bit();
    public static final int DEFAULT_LIFE_USED_WARNING = 40;
    public static final int DEFAULT_OVER_TEMPERATURE_WARNING = 75;
    public static final int DEFAULT_UNDER_TEMPERATURE_WARNING = 5;
    public static final int DEFAULT_CORRECTED_WARNING = 100;

    private final CriticalThresholds critical;
    private int enabled;
    private int lifeUsed;
    private int overTemperature;
    private int underTemperature;
    private int correctedVolatile;
    private int correctedPersistent;

    public AlertSettings(CriticalThresholds critical) {
        this.critical = critical;
        reset();
    }

    /** The defaults: a cold reset or a restart. */
    public void reset() {
        enabled = DEFAULT_ENABLED;
        lifeUsed = DEFAULT_LIFE_USED_WARNING;
        overTemperature = DEFAULT_OVER_TEMPERATURE_WARNING;
        underTemperature = DEFAULT_UNDER_TEMPERATURE_WARNING;
        correctedVolatile = DEFAULT_CORRECTED_WARNING;
        correctedPersistent = DEFAULT_CORRECTED_WARNING;
    }

    public CriticalThresholds critical() {
        return critical;
    }

    public boolean enabled(AlertWarning w) {
        return w.in(enabled);
    }

    /** The threshold of warning {@code w}, enabled or not. */
    public int threshold(AlertWarning w) {
        return switch (w) {
            case LIFE_USED -> lifeUsed;
            case OVER_TEMPERATURE -> overTemperature;
            case UNDER_TEMPERATURE -> underTemperature;
            case CORRECTED_VOLATILE -> correctedVolatile;
            case CORRECTED_PERSISTENT -> correctedPersistent;
        };
    }

    /** Get Alert Configuration's output: every warning programmable (1Fh). */
    public AlertConfig get() {
        return new AlertConfig(enabled, AlertWarning.ALL_BITS, critical.lifeUsed(), lifeUsed,
                critical.overTemperature(), critical.underTemperature(), overTemperature, underTemperature,
                correctedVolatile, correctedPersistent);
    }

    /**
     * Set Alert Configuration. Every valid and enabled threshold is checked before anything changes:
     * a life used warning above 100 or at or above its critical threshold, an over-temperature warning
     * at or above its critical threshold, an under-temperature warning at or below its critical
     * threshold: 0002h. Then, for each valid warning, an enable stores the threshold and enables it,
     * a disable disables it and keeps its threshold; the others are untouched.
     */
    public ReturnCode set(SetAlertConfigRequest req) {
        if (setsAndEnables(req, AlertWarning.LIFE_USED)
                && (req.lifeUsedWarning() > 100 || req.lifeUsedWarning() >= critical.lifeUsed())) {
            return ReturnCode.INVALID_INPUT;
        }
        if (setsAndEnables(req, AlertWarning.OVER_TEMPERATURE)
                && req.overTemperatureWarning() >= critical.overTemperature()) {
            return ReturnCode.INVALID_INPUT;
        }
        if (setsAndEnables(req, AlertWarning.UNDER_TEMPERATURE)
                && req.underTemperatureWarning() <= critical.underTemperature()) {
            return ReturnCode.INVALID_INPUT;
        }
        for (AlertWarning w : AlertWarning.values()) {
            if (!req.sets(w)) {
                continue;
            }
            if (req.enables(w)) {
                enabled |= w.bit();
                switch (w) {
                    case LIFE_USED -> lifeUsed = req.lifeUsedWarning();
                    case OVER_TEMPERATURE -> overTemperature = req.overTemperatureWarning();
                    case UNDER_TEMPERATURE -> underTemperature = req.underTemperatureWarning();
                    case CORRECTED_VOLATILE -> correctedVolatile = req.correctedVolatileWarning();
                    case CORRECTED_PERSISTENT -> correctedPersistent = req.correctedPersistentWarning();
                }
            } else {
                enabled &= ~w.bit();
            }
        }
        return ReturnCode.SUCCESS;
    }

    private static boolean setsAndEnables(SetAlertConfigRequest req, AlertWarning w) {
        return req.sets(w) && req.enables(w);
    }
}
