package io.cxlkit.host.driver;

import io.cxlkit.protocol.payload.AlertWarning;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import java.math.BigInteger;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What ndctl's {@code set-alert-config} asks of the device, from its options as typed
 * (memdev-commands.md §15.3): for each of the five programmable warnings an action ({@code on} or
 * {@code off}) and a threshold, both as text. The rules and the messages are ndctl v81's
 * ({@code alert_param_set_threshold} and {@code validate_alert_threshold} in cxl/memdev.c), checked
 * warning by warning in {@link AlertWarning} order, the first failure deciding:
 * <ul>
 *   <li>a threshold without an action: {@code Action not specified};</li>
 *   <li>{@code on} without a threshold: {@code Threshold not specified};</li>
 *   <li>{@code off} with a threshold: {@code Disable not require threshold};</li>
 *   <li>another action: {@code Invalid action: X};</li>
 *   <li>a threshold that C's {@code strtol(s, &end, 10)} does not read to its end:
 *       {@code Invalid threshold: X};</li>
 *   <li>out of range (life used 0..100, temperatures -32768..32767, corrected error counts
 *       0..65535) after ndctl's conversion to {@code int}: {@code Invalid life used threshold: N},
 *       {@code Invalid device temperature threshold: N}, {@code Invalid corrected mem error
 *       threshold: N};</li>
 *   <li>nothing given at all: {@code No action specified}.</li>
 * </ul>
 * The CLI checks these before it contacts the daemon (a usage error), and the control API's
 * {@code PUT .../alert-config} again (400), so both say the same.
 */
public final class AlertConfigChange {

    /** One warning's options: the action and the threshold as typed, each absent when not given. */
    public record Setting(Optional<String> alert, Optional<String> threshold) {
        public Setting {
            Objects.requireNonNull(alert, "alert");
            Objects.requireNonNull(threshold, "threshold");
        }

        public static final Setting NONE = new Setting(Optional.empty(), Optional.empty());

        public static Setting of(String alert, String threshold) {
            return new Setting(Optional.ofNullable(alert), Optional.ofNullable(threshold));
        }
    }

    /**
     * The control API's names of the five warnings, in {@link AlertWarning} order: the keys of
     * {@code PUT /v1/memdevs/{name}/alert-config}.
     */
    public static final List<String> NAMES = List.of("life_used", "over_temperature", "under_temperature",
            "volatile_mem_err", "pmem_err");

    private AlertConfigChange() {
    }

    /** The API name of {@code w}. */
    public static String name(AlertWarning w) {
        return NAMES.get(w.ordinal());
    }

    /**
     * The Set Alert Configuration input for {@code settings} (warnings not in the map: not given).
     *
     * @throws IllegalArgumentException with ndctl's message when the settings are not valid
     */
    public static SetAlertConfigRequest request(Map<AlertWarning, Setting> settings) {
        int valid = 0;
        int enable = 0;
        Map<AlertWarning, Integer> thresholds = new EnumMap<>(AlertWarning.class);
        for (AlertWarning w : AlertWarning.values()) {
            Setting s = settings.getOrDefault(w, Setting.NONE);
            if (s.alert().isEmpty()) {
                if (s.threshold().isPresent()) {
                    throw new IllegalArgumentException("Action not specified");
                }
                continue;
            }
            String alert = s.alert().get();
            if (alert.equals("on")) {
                if (s.threshold().isEmpty()) {
                    throw new IllegalArgumentException("Threshold not specified");
                }
                int threshold = strtolToInt(s.threshold().get());
                validate(w, threshold);
                thresholds.put(w, threshold);
                valid |= w.bit();
                enable |= w.bit();
            } else if (alert.equals("off")) {
                if (s.threshold().isPresent()) {
                    throw new IllegalArgumentException("Disable not require threshold");
                }
                valid |= w.bit();
                enable &= ~w.bit();
            } else {
                throw new IllegalArgumentException("Invalid action: " + alert);
            }
        }
        if (valid == 0) {
            throw new IllegalArgumentException("No action specified");
        }
        return new SetAlertConfigRequest(valid, enable, thresholds.getOrDefault(AlertWarning.LIFE_USED, 0),
                thresholds.getOrDefault(AlertWarning.OVER_TEMPERATURE, 0),
                thresholds.getOrDefault(AlertWarning.UNDER_TEMPERATURE, 0),
                thresholds.getOrDefault(AlertWarning.CORRECTED_VOLATILE, 0),
                thresholds.getOrDefault(AlertWarning.CORRECTED_PERSISTENT, 0));
    }

    private static void validate(AlertWarning w, int threshold) {
        switch (w) {
            case LIFE_USED -> {
                if (threshold < 0 || threshold > 100) {
                    throw new IllegalArgumentException("Invalid life used threshold: " + threshold);
                }
            }
            case OVER_TEMPERATURE, UNDER_TEMPERATURE -> {
                if (threshold < Short.MIN_VALUE || threshold > Short.MAX_VALUE) {
                    throw new IllegalArgumentException("Invalid device temperature threshold: " + threshold);
                }
            }
            default -> {
                if (threshold < 0 || threshold > 0xFFFF) {
                    throw new IllegalArgumentException("Invalid corrected mem error threshold: " + threshold);
                }
            }
        }
    }

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * {@code (int) strtol(text, &end, 10)} where {@code *end} must be the terminating NUL, as ndctl
     * reads a threshold: leading white space, an optional sign, decimal digits; no digits at all reads
     * 0 (so an empty text is 0, but white space alone is not read to its end); a value beyond
     * {@code long} saturates, and the {@code long} is cut to its low 32 bits.
     *
     * @throws IllegalArgumentException {@code Invalid threshold: TEXT} when something follows the number
     */
    static int strtolToInt(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && isCSpace(text.charAt(i))) {
            i++;
        }
        int signAt = i;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int digitsAt = i;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        if (i == digitsAt) {
            // no conversion: strtol returns 0 with end at the start of the text
            if (!text.isEmpty()) {
                throw new IllegalArgumentException("Invalid threshold: " + text);
            }
            return 0;
        }
        if (i != n) {
            throw new IllegalArgumentException("Invalid threshold: " + text);
        }
        BigInteger v = new BigInteger(text.substring(signAt, i).replace("+", ""));
        long l = v.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE : v.compareTo(LONG_MIN) < 0 ? Long.MIN_VALUE : v.longValue();
        return (int) l;
    }

    /** C's {@code isspace} in the "C" locale. */
    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
