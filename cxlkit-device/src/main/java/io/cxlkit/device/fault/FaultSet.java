package io.cxlkit.device.fault;

import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.UnsignedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The faults injected into one device (device-behaviour.md §8, and the standing health faults of
 * docs/events-and-health.md). Never persisted; cleared by {@link #clear()}, which a cold reset and a
 * restart imply. Not thread-safe: the device calls it under its lock, and re-evaluates its health
 * statuses after every change.
 */
public final class FaultSet {

    /** The conditions of {@code health-status}: Health Status bits 0-3, in bit order. */
    public enum HealthCondition {
        MAINTENANCE("maintenance"), PERFORMANCE("performance"), REPLACEMENT("replacement"), CAPACITY("capacity");

        private final String label;

        HealthCondition(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Health Status bit {@code ordinal()}. */
        public int bit() {
            return 1 << ordinal();
        }

        /**
         * A comma-separated list of labels, e.g. {@code maintenance,capacity}; at least one, each
         * known (a label given twice counts once).
         */
        public static Set<HealthCondition> parseList(String list) {
            Set<HealthCondition> out = EnumSet.noneOf(HealthCondition.class);
            for (String word : list.split(",", -1)) {
                out.add(fromLabel(word.trim()));
            }
            return out;
        }

        public static HealthCondition fromLabel(String s) {
            for (HealthCondition c : values()) {
                if (c.label.equals(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("health-status takes a comma-separated list of maintenance, "
                    + "performance, replacement and capacity, not '" + s + "'");
        }
    }

    /** The values of {@code media-status}: Health Info Media Status 00h-09h, in value order. */
    public enum MediaStatus {
        NORMAL("normal"), NOT_READY("not-ready"), PERSISTENCE_LOST("persistence-lost"), DATA_LOST("data-lost"),
        POWERLOSS_PERSISTENCE_LOSS("powerloss-persistence-loss"),
        SHUTDOWN_PERSISTENCE_LOSS("shutdown-persistence-loss"),
        PERSISTENCE_LOSS_IMMINENT("persistence-loss-imminent"), POWERLOSS_DATA_LOSS("powerloss-data-loss"),
        SHUTDOWN_DATA_LOSS("shutdown-data-loss"), DATA_LOSS_IMMINENT("data-loss-imminent");

        private final String label;

        MediaStatus(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The Media Status byte. */
        public int value() {
            return ordinal();
        }

        public static MediaStatus fromLabel(String s) {
            for (MediaStatus m : values()) {
                if (m.label.equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("media-status takes one of " + Arrays.stream(values())
                    .map(MediaStatus::label).collect(Collectors.joining(", ")) + ", not '" + s + "'");
        }
    }

    /**
     * A DPA as an injection takes it (the CLI's option, a JSON string): decimal, or hexadecimal with
     * a {@code 0x} prefix; 0..2^63-1.
     *
     * @throws IllegalArgumentException for anything else, naming the text
     */
    public static long parseDpa(String text) {
        try {
            return UnsignedText.parse(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a DPA (decimal, or hexadecimal with 0x)");
        }
    }

    public static final int MIN_LIFE_USED = 0;
    public static final int MAX_LIFE_USED = 100;
    public static final int MIN_TEMPERATURE = Short.MIN_VALUE;
    public static final int MAX_TEMPERATURE = Short.MAX_VALUE;

    /** What {@code activation-fail} makes the next online activation return. */
    public enum ActivationFailure {
        ROLLBACK("rollback"), COLD_RESET("cold-reset");

        private final String label;

        ActivationFailure(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static ActivationFailure fromLabel(String s) {
            for (ActivationFailure f : values()) {
                if (f.label.equals(s)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("activation-fail takes rollback or cold-reset, not '" + s + "'");
        }
    }

    /** The lowest return code {@code fail-opcode} injects: the first failure code of the spec's table. */
    public static final ReturnCode FIRST_INJECTABLE = ReturnCode.INVALID_INPUT;
    /** The highest return code {@code fail-opcode} injects: the last code CXL r3.1 defines. */
    public static final ReturnCode LAST_INJECTABLE = ReturnCode.REQUEST_ABORT_NOT_SUPPORTED;

    /** True for the codes {@code fail-opcode} may inject: {@link #FIRST_INJECTABLE}..{@link #LAST_INJECTABLE}. */
    public static boolean injectable(ReturnCode rc) {
        return rc.compareTo(FIRST_INJECTABLE) >= 0 && rc.compareTo(LAST_INJECTABLE) <= 0;
    }

    /** {@code fail-opcode}: the next {@code remaining} matching commands get {@code returnCode}. */
    public static final class FailOpcode {
        private final Opcode opcode;
        private final ReturnCode returnCode;
        private final Optional<Cci> cci;
        private int remaining;

        public FailOpcode(Opcode opcode, ReturnCode returnCode, int count, Optional<Cci> cci) {
            if (!injectable(returnCode)) {
                throw new IllegalArgumentException("fail-opcode return code must be " + FIRST_INJECTABLE.hex() + ".."
                        + LAST_INJECTABLE.hex());
            }
            if (count < 1) {
                throw new IllegalArgumentException("fail-opcode count must be at least 1");
            }
            this.opcode = opcode;
            this.returnCode = returnCode;
            this.cci = cci;
            this.remaining = count;
        }

        public Opcode opcode() {
            return opcode;
        }

        public ReturnCode returnCode() {
            return returnCode;
        }

        public Optional<Cci> cci() {
            return cci;
        }

        public int remaining() {
            return remaining;
        }

        boolean matches(Opcode op, Cci on) {
            return opcode.equals(op) && cci.map(c -> c == on).orElse(true);
        }
    }

    private boolean mediaDisabled;
    private Integer lifeUsed;
    private Integer temperature;
    private Set<HealthCondition> healthStatus = EnumSet.noneOf(HealthCondition.class);
    private MediaStatus mediaStatus;
    private boolean gpfFail;
    private final List<FailOpcode> failOpcodes = new ArrayList<>();
    private ActivationFailure activationFailure;
    private boolean corruptStaging;
    private boolean latePart;

    public void clear() {
        mediaDisabled = false;
        lifeUsed = null;
        temperature = null;
        healthStatus = EnumSet.noneOf(HealthCondition.class);
        mediaStatus = null;
        gpfFail = false;
        failOpcodes.clear();
        activationFailure = null;
        corruptStaging = false;
        latePart = false;
    }

    public boolean isEmpty() {
        return !mediaDisabled && lifeUsed == null && temperature == null && healthStatus.isEmpty()
                && mediaStatus == null && !gpfFail && failOpcodes.isEmpty() && activationFailure == null && !corruptStaging && !latePart;
    }

    public void setMediaDisabled() {
        mediaDisabled = true;
    }

    public boolean mediaDisabled() {
        return mediaDisabled;
    }

    /** {@code life-used N}: Life Used reads N (0..100) until cleared. */
    public void setLifeUsed(int percent) {
        if (percent < MIN_LIFE_USED || percent > MAX_LIFE_USED) {
            throw new IllegalArgumentException("life-used must be " + MIN_LIFE_USED + ".." + MAX_LIFE_USED
                    + ", not " + percent);
        }
        lifeUsed = percent;
    }

    public OptionalInt lifeUsed() {
        return lifeUsed == null ? OptionalInt.empty() : OptionalInt.of(lifeUsed);
    }

    /** {@code temperature C}: Device Temperature reads C (-32768..32767 °C) until cleared. */
    public void setTemperature(int celsius) {
        if (celsius < MIN_TEMPERATURE || celsius > MAX_TEMPERATURE) {
            throw new IllegalArgumentException("temperature must be " + MIN_TEMPERATURE + ".." + MAX_TEMPERATURE
                    + ", not " + celsius);
        }
        temperature = celsius;
    }

    public OptionalInt temperature() {
        return temperature == null ? OptionalInt.empty() : OptionalInt.of(temperature);
    }

    /** {@code health-status LIST}: these Health Status bits read set; a second call replaces the first. */
    public void setHealthStatus(Set<HealthCondition> conditions) {
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("health-status needs at least one of maintenance, performance, "
                    + "replacement, capacity");
        }
        healthStatus = EnumSet.copyOf(conditions);
    }

    /** Health Status bits 3:0 of the {@code health-status} fault (0 without it). */
    public int healthStatusBits() {
        int bits = 0;
        for (HealthCondition c : healthStatus) {
            bits |= c.bit();
        }
        return bits;
    }

    /** {@code media-status NAME}: Media Status reads NAME's value until cleared (media disabled wins). */
    public void setMediaStatus(MediaStatus status) {
        mediaStatus = Objects.requireNonNull(status, "status");
    }

    public Optional<MediaStatus> mediaStatus() {
        return Optional.ofNullable(mediaStatus);
    }

    /** {@code gpf-fail}: a graceful power-off leaves the shutdown state dirty. */
    public void setGpfFail() {
        gpfFail = true;
    }

    public boolean gpfFail() {
        return gpfFail;
    }

    public void addFailOpcode(FailOpcode f) {
        failOpcodes.add(f);
    }

    public void setActivationFailure(ActivationFailure f) {
        activationFailure = f;
    }

    public void setCorruptStaging() {
        corruptStaging = true;
    }

    public void setLatePart() {
        latePart = true;
    }

    /** Dispatch check 4: the injected return code for this command, consuming one count. */
    public Optional<ReturnCode> takeFailure(Opcode op, Cci cci) {
        for (Iterator<FailOpcode> it = failOpcodes.iterator(); it.hasNext(); ) {
            FailOpcode f = it.next();
            if (f.matches(op, cci)) {
                if (--f.remaining == 0) {
                    it.remove();
                }
                return Optional.of(f.returnCode);
            }
        }
        return Optional.empty();
    }

    public Optional<ActivationFailure> takeActivationFailure() {
        Optional<ActivationFailure> f = Optional.ofNullable(activationFailure);
        activationFailure = null;
        return f;
    }

    public boolean takeCorruptStaging() {
        boolean f = corruptStaging;
        corruptStaging = false;
        return f;
    }

    public boolean takeLatePart() {
        boolean f = latePart;
        latePart = false;
        return f;
    }

    /**
     * The faults as the device view lists them, e.g. "fail-opcode 0201h rc 0006h count 2 cci any",
     * "life-used=80", "health-status=maintenance,capacity".
     */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        if (mediaDisabled) {
            out.add("media-disabled");
        }
        if (lifeUsed != null) {
            out.add("life-used=" + lifeUsed);
        }
        if (temperature != null) {
            out.add("temperature=" + temperature);
        }
        if (!healthStatus.isEmpty()) {
            out.add("health-status=" + healthStatus.stream().map(HealthCondition::label)
                    .collect(Collectors.joining(",")));
        }
        if (mediaStatus != null) {
            out.add("media-status=" + mediaStatus.label());
        }
        if (gpfFail) {
            out.add("gpf-fail");
        }
        for (FailOpcode f : failOpcodes) {
            out.add("fail-opcode " + f.opcode + " rc " + f.returnCode.hex() + " count "
                    + f.remaining + " cci " + f.cci.map(Cci::label).orElse("any"));
        }
        if (activationFailure != null) {
            out.add("activation-fail " + activationFailure.label());
        }
        if (corruptStaging) {
            out.add("corrupt-staging");
        }
        if (latePart) {
            out.add("late-part");
        }
        return out;
    }
}
