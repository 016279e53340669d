package io.cxlkit.device.config;

import io.cxlkit.device.health.AlertSettings;

/**
 * A device's critical alert thresholds (the alert configuration's bytes 02h, 04h and 06h): device
 * settings, which no command changes (memdev-commands.md §7.3; docs/events-and-health.md). Each
 * must leave room for its warning's default threshold, since Set Alert Configuration refuses a
 * warning at or past its critical threshold and Get Alert Configuration must never report what Set
 * would refuse.
 *
 * @param lifeUsed           percent; life used above it is critical: 41..100 (default 75)
 * @param overTemperature    °C; a temperature at or above it is critical: 76..32767 (default 85)
 * @param underTemperature   °C; a temperature at or below it is critical: -32768..4 (default 0)
 */
public record CriticalThresholds(int lifeUsed, int overTemperature, int underTemperature) {

    public static final CriticalThresholds DEFAULTS = new CriticalThresholds(75, 85, 0);

    /** The lowest life-used-critical: one above the default life used warning. */
    public static final int MIN_LIFE_USED = AlertSettings.DEFAULT_LIFE_USED_WARNING + 1;
    public static final int MAX_LIFE_USED = 100;
    /** The lowest over-temp-critical: one above the default over-temperature warning. */
    public static final int MIN_OVER_TEMPERATURE = AlertSettings.DEFAULT_OVER_TEMPERATURE_WARNING + 1;
    /** The highest under-temp-critical: one below the default under-temperature warning. */
    public static final int MAX_UNDER_TEMPERATURE = AlertSettings.DEFAULT_UNDER_TEMPERATURE_WARNING - 1;

    public CriticalThresholds {
        if (lifeUsed < MIN_LIFE_USED || lifeUsed > MAX_LIFE_USED) {
            throw new IllegalArgumentException("life-used-critical must be " + MIN_LIFE_USED + ".." + MAX_LIFE_USED
                    + " (above the life used warning's default, " + AlertSettings.DEFAULT_LIFE_USED_WARNING
                    + "), not " + lifeUsed);
        }
        if (overTemperature < MIN_OVER_TEMPERATURE || overTemperature > Short.MAX_VALUE) {
            throw new IllegalArgumentException("over-temp-critical must be " + MIN_OVER_TEMPERATURE + ".."
                    + Short.MAX_VALUE + " (above the over-temperature warning's default, "
                    + AlertSettings.DEFAULT_OVER_TEMPERATURE_WARNING + "), not " + overTemperature);
        }
        if (underTemperature < Short.MIN_VALUE || underTemperature > MAX_UNDER_TEMPERATURE) {
            throw new IllegalArgumentException("under-temp-critical must be " + Short.MIN_VALUE + ".."
                    + MAX_UNDER_TEMPERATURE + " (below the under-temperature warning's default, "
                    + AlertSettings.DEFAULT_UNDER_TEMPERATURE_WARNING + "), not " + underTemperature);
        }
    }

    public CriticalThresholds withLifeUsed(int v) {
        return new CriticalThresholds(v, overTemperature, underTemperature);
    }

    public CriticalThresholds withOverTemperature(int v) {
        return new CriticalThresholds(lifeUsed, v, underTemperature);
    }

    public CriticalThresholds withUnderTemperature(int v) {
        return new CriticalThresholds(lifeUsed, overTemperature, v);
    }
}
