package io.cxlkit.device.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Modelled command durations (device-behaviour.md §7). With d the data bytes of a Transfer FW part
 * (the 80h header excluded): Initiate and Continue take P(d); Full takes F(d); End takes
 * P(d) + E(whole package), where E is F for {@code realistic} and zero for {@code qemu} and
 * {@code instant}; online activation takes A. The three overrides replace P, F (also the End term)
 * and A with fixed durations. Scan Media (memdev-commands.md §10) takes S(L) of the scanned
 * length, which {@link #withScanMediaTime} replaces with a fixed duration.
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
    private final Optional<Duration> scanMediaOverride;

    private Timing(Preset preset, Optional<Duration> part, Optional<Duration> full, Optional<Duration> activate,
                   Optional<Duration> scanMedia) {
        this.preset = preset;
        this.partOverride = part;
        this.fullOverride = full;
        this.activateOverride = activate;
        this.scanMediaOverride = scanMedia;
    }

    public static Timing of(Preset preset) {
        return new Timing(preset, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Timing instant() {
        return of(Preset.INSTANT);
    }

    public static Timing realistic() {
        return of(Preset.REALISTIC);
    }

    public Timing withPartTime(Duration d) {
        return new Timing(preset, Optional.of(d), fullOverride, activateOverride, scanMediaOverride);
    }

    public Timing withFullTime(Duration d) {
        return new Timing(preset, partOverride, Optional.of(d), activateOverride, scanMediaOverride);
    }

    public Timing withActivateTime(Duration d) {
        return new Timing(preset, partOverride, fullOverride, Optional.of(d), scanMediaOverride);
    }

    /** A fixed Scan Media duration, whatever the scanned length ({@code serve --scan-media-time}). */
    public Timing withScanMediaTime(Duration d) {
        return new Timing(preset, partOverride, fullOverride, activateOverride, Optional.of(d));
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
        // bytes * 1e9 / rate without overflow for sizes up to 4 GiB
        return Math.multiplyHigh(bytes, NANOS_PER_SECOND) == 0
                ? bytes * NANOS_PER_SECOND / bytesPerSecond
                : (long) ((double) bytes * NANOS_PER_SECOND / bytesPerSecond);
    }

    @Override
    public String toString() {
        return preset.label() + partOverride.map(d -> " part=" + d).orElse("")
                + fullOverride.map(d -> " full=" + d).orElse("")
                + activateOverride.map(d -> " activate=" + d).orElse("")
                + scanMediaOverride.map(d -> " scan-media=" + d).orElse("");
    }
}
