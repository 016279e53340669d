package io.cxlkit.device.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Modelled command durations (device-behaviour.md §7). With d the data bytes of a Transfer FW part
 * (the 80h header excluded): Initiate and Continue take P(d); Full takes F(d); End takes
 * P(d) + E(whole package), where E is F for {@code realistic} and zero for {@code qemu} and
 * {@code instant}; online activation takes A. The three overrides replace P, F (also the End term)
 * and A with fixed durations. Sanitize takes S(C), C the total capacity, and Scan Media M(L), L
 * the scanned length (memdev-commands.md §10); their overrides replace them with fixed durations.
 */
public final class Timing {

    public enum Preset {
        INSTANT, REALISTIC, QEMU;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Preset fromLabel(String s) {
            for (Preset p : values()) {
                if (p.label().equals(s)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown timing preset '" + s + "' (instant, realistic or qemu)");
        }
    }

    private static final long MIB = 1L << 20;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Preset preset;
    private final Optional<Duration> partOverride;
    private final Optional<Duration> fullOverride;
    private final Optional<Duration> activateOverride;
    private final Optional<Duration> sanitizeOverride;
    private final Optional<Duration> scanMediaOverride;

    /**
     * QEMU's Sanitize durations by total capacity (memdev-commands.md §10): up to each bound in
     * bytes, that many seconds; beyond the last, {@link #QEMU_SANITIZE_BEYOND_SECONDS}.
     */
    private static final long[][] QEMU_SANITIZE_TABLE = {
            {512 * MIB, 4}, {1L << 30, 8}, {2L << 30, 15}, {4L << 30, 30}, {8L << 30, 60}, {16L << 30, 120},
            {32L << 30, 240}, {64L << 30, 480}, {128L << 30, 900}, {256L << 30, 1800}, {512L << 30, 3600},
            {1L << 40, 7200}};
    private static final long QEMU_SANITIZE_BEYOND_SECONDS = 14400;
    private static final long GIB = 1L << 30;

    private Timing(Preset preset, Optional<Duration> part, Optional<Duration> full, Optional<Duration> activate,
                   Optional<Duration> sanitize, Optional<Duration> scanMedia) {
        this.preset = preset;
        this.partOverride = part;
        this.fullOverride = full;
        this.activateOverride = activate;
        this.sanitizeOverride = sanitize;
        this.scanMediaOverride = scanMedia;
    }

    public static Timing of(Preset preset) {
        return new Timing(preset, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public static Timing instant() {
        return of(Preset.INSTANT);
    }

    public static Timing realistic() {
        return of(Preset.REALISTIC);
    }

    public Timing withPartTime(Duration d) {
        return new Timing(preset, Optional.of(d), fullOverride, activateOverride, sanitizeOverride, scanMediaOverride);
    }

    public Timing withFullTime(Duration d) {
        return new Timing(preset, partOverride, Optional.of(d), activateOverride, sanitizeOverride, scanMediaOverride);
    }

    public Timing withActivateTime(Duration d) {
        return new Timing(preset, partOverride, fullOverride, Optional.of(d), sanitizeOverride, scanMediaOverride);
    }

    /** Replaces the Sanitize duration with a fixed one ({@code serve --sanitize-time}). */
    public Timing withSanitizeTime(Duration d) {
        return new Timing(preset, partOverride, fullOverride, activateOverride, Optional.of(d), scanMediaOverride);
    }

    /** A fixed Scan Media duration, whatever the scanned length ({@code serve --scan-media-time}). */
    public Timing withScanMediaTime(Duration d) {
        return new Timing(preset, partOverride, fullOverride, activateOverride, sanitizeOverride, Optional.of(d));
    }

    public Preset preset() {
        return preset;
    }

    /** P(d): Initiate and Continue, and the first term of End. */
    public long partNanos(long dataBytes) {
        if (partOverride.isPresent()) {
            return partOverride.get().toNanos();
        }
        return switch (preset) {
            case INSTANT -> 0;
            case REALISTIC -> 1_000_000L + rate(dataBytes, 256 * MIB);
            case QEMU -> 2 * NANOS_PER_SECOND;
        };
    }

    /** F(d): Full. */
    public long fullNanos(long dataBytes) {
        if (fullOverride.isPresent()) {
            return fullOverride.get().toNanos();
        }
        return switch (preset) {
            case INSTANT -> 0;
            case REALISTIC -> 200_000_000L + rate(dataBytes, 64 * MIB);
            case QEMU -> 10 * NANOS_PER_SECOND;
        };
    }

    /** End: P(d) + the full-package term (F for realistic or when F is overridden, else zero). */
    public long endNanos(long dataBytes, long packageBytes) {
        long fullTerm = fullOverride.isPresent() || preset == Preset.REALISTIC ? fullNanos(packageBytes) : 0;
        return partNanos(dataBytes) + fullTerm;
    }

    /** Online activation. */
    public long activateNanos() {
        if (activateOverride.isPresent()) {
            return activateOverride.get().toNanos();
        }
        return switch (preset) {
            case INSTANT, QEMU -> 0;
            case REALISTIC -> 500_000_000L;
        };
    }

    /**
     * S(C), a Sanitize of a device of {@code totalCapacityBytes} (memdev-commands.md §10): 0 under
     * {@code instant}; 1 s + C / 1 GiB/s under {@code realistic}; QEMU's table under {@code qemu}.
     */
    public long sanitizeNanos(long totalCapacityBytes) {
        if (sanitizeOverride.isPresent()) {
            return sanitizeOverride.get().toNanos();
        }
        return switch (preset) {
            case INSTANT -> 0;
            case REALISTIC -> NANOS_PER_SECOND + rate(totalCapacityBytes, GIB);
            case QEMU -> qemuSanitizeSeconds(totalCapacityBytes) * NANOS_PER_SECOND;
        };
    }

    private static long qemuSanitizeSeconds(long totalCapacityBytes) {
        for (long[] row : QEMU_SANITIZE_TABLE) {
            if (totalCapacityBytes <= row[0]) {
                return row[1];
            }
        }
        return QEMU_SANITIZE_BEYOND_SECONDS;
    }

    /**
     * Scan Media of {@code scannedBytes} (memdev-commands.md §10): {@code instant} 0;
     * {@code realistic} 10 ms + L / 8 GiB/s; {@code qemu} max(1 ms, L/64 lines x 0.5 us).
     */
    public long scanMediaNanos(long scannedBytes) {
        if (scanMediaOverride.isPresent()) {
            return scanMediaOverride.get().toNanos();
        }
        return switch (preset) {
            case INSTANT -> 0;
            case REALISTIC -> 10_000_000L + rate(scannedBytes, 8L << 30);
            case QEMU -> Math.max(1_000_000L, saturatedHalfMicros(scannedBytes / 64));
        };
    }

    /** {@code lines} x 0.5 us in nanoseconds, saturating (a whole device's lines cannot overflow it in practice). */
    private static long saturatedHalfMicros(long lines) {
        return lines > Long.MAX_VALUE / 500 ? Long.MAX_VALUE : lines * 500;
    }

    private static long rate(long bytes, long bytesPerSecond) {
        // floor(bytes * 1e9 / rate), exactly and without overflow for any capacity (a Sanitize's C
        // may be terabytes): whole seconds, then the remainder's nanoseconds
        return bytes / bytesPerSecond * NANOS_PER_SECOND + bytes % bytesPerSecond * NANOS_PER_SECOND / bytesPerSecond;
    }

    @Override
    public String toString() {
        return preset.label() + partOverride.map(d -> " part=" + d).orElse("")
                + fullOverride.map(d -> " full=" + d).orElse("")
                + activateOverride.map(d -> " activate=" + d).orElse("")
                + sanitizeOverride.map(d -> " sanitize=" + d).orElse("")
                + scanMediaOverride.map(d -> " scan-media=" + d).orElse("");
    }
}
