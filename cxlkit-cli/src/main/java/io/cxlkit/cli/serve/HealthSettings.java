package io.cxlkit.cli.serve;

import io.cxlkit.device.config.CriticalThresholds;
import io.cxlkit.device.config.DeviceConfig;
import java.util.Optional;

/**
 * The per-device event and health settings of {@code serve} (docs/events-and-health.md "Device
 * settings"): {@code --event-log-size} / {@code event_log_size} (records per event log, 1..1024,
 * default 8) and the critical alert thresholds {@code --life-used-critical},
 * {@code --over-temp-critical}, {@code --under-temp-critical} / {@code life_used_critical},
 * {@code over_temp_critical}, {@code under_temp_critical}. Empty means "not set here".
 */
public record HealthSettings(Optional<Integer> eventLogSize, Optional<Integer> lifeUsedCritical,
                             Optional<Integer> overTempCritical, Optional<Integer> underTempCritical) {

    public static final HealthSettings NONE = new HealthSettings(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    /** {@code over}'s values where set, else this one's. */
    public HealthSettings overriddenBy(HealthSettings over) {
        return new HealthSettings(or(over.eventLogSize, eventLogSize), or(over.lifeUsedCritical, lifeUsedCritical),
                or(over.overTempCritical, overTempCritical), or(over.underTempCritical, underTempCritical));
    }

    private static <T> Optional<T> or(Optional<T> a, Optional<T> b) {
        return a.isPresent() ? a : b;
    }

    /**
     * Sets these values on {@code b}, checking each range with a one-line message naming the setting.
     *
     * @throws IllegalArgumentException for a value out of its range
     */
    public void applyTo(DeviceConfig.Builder b) {
        eventLogSize.ifPresent(n -> {
            if (n < DeviceConfig.MIN_EVENT_LOG_SIZE || n > DeviceConfig.MAX_EVENT_LOG_SIZE) {
                throw new IllegalArgumentException("event-log-size must be " + DeviceConfig.MIN_EVENT_LOG_SIZE + ".."
                        + DeviceConfig.MAX_EVENT_LOG_SIZE + ", not " + n);
            }
            b.eventLogSize(n);
        });
        CriticalThresholds c = CriticalThresholds.DEFAULTS;
        if (lifeUsedCritical.isPresent()) {
            c = c.withLifeUsed(lifeUsedCritical.get());
        }
        if (overTempCritical.isPresent()) {
            c = c.withOverTemperature(overTempCritical.get());
        }
        if (underTempCritical.isPresent()) {
            c = c.withUnderTemperature(underTempCritical.get());
        }
        b.criticalThresholds(c);
    }
}
