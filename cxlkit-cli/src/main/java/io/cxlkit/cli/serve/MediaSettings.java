package io.cxlkit.cli.serve;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import java.time.Duration;
import java.util.Optional;

/**
 * The per-device media settings of {@code serve} (docs/media-and-poison.md "Device settings"):
 * {@code --scan-media-time} / {@code scan_media_time} (a fixed Scan Media duration in place of the
 * timing preset's), {@code --poison-max-records} / {@code poison_max_records} (the poison list's
 * record limit M, 1..16777215, default 256) and {@code --inject-poison-limit} /
 * {@code inject_poison_limit} (Injected lines allowed at once, 0..65535, default 0 = no limit).
 * Empty means "not set here".
 */
public record MediaSettings(Optional<Duration> scanMediaTime, Optional<Integer> poisonMaxRecords,
                            Optional<Integer> injectPoisonLimit) {

    public static final MediaSettings NONE = new MediaSettings(Optional.empty(), Optional.empty(), Optional.empty());

    /** {@code over}'s values where set, else this one's. */
    public MediaSettings overriddenBy(MediaSettings over) {
        return new MediaSettings(over.scanMediaTime.or(() -> scanMediaTime),
                over.poisonMaxRecords.or(() -> poisonMaxRecords), over.injectPoisonLimit.or(() -> injectPoisonLimit));
    }

    /** {@code timing} with the Scan Media override, if one is set. */
    public Timing applyTo(Timing timing) {
        return scanMediaTime.map(timing::withScanMediaTime).orElse(timing);
    }

    /**
     * Sets the limits on {@code b}, checking each range with a one-line message naming the setting.
     *
     * @throws IllegalArgumentException for a value out of its range
     */
    public void applyTo(DeviceConfig.Builder b) {
        poisonMaxRecords.ifPresent(n -> {
            if (n < 1 || n > DeviceConfig.MAX_POISON_MAX_RECORDS) {
                throw new IllegalArgumentException("poison-max-records must be 1.." + DeviceConfig.MAX_POISON_MAX_RECORDS
                        + ", not " + n);
            }
            b.poisonMaxRecords(n);
        });
        injectPoisonLimit.ifPresent(n -> {
            if (n < 0 || n > DeviceConfig.MAX_INJECT_POISON_LIMIT) {
                throw new IllegalArgumentException("inject-poison-limit must be 0.." + DeviceConfig.MAX_INJECT_POISON_LIMIT
                        + " (0: no limit), not " + n);
            }
            b.injectPoisonLimit(n);
        });
    }
}
