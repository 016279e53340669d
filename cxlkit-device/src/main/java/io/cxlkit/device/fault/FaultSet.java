package io.cxlkit.device.fault;

import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The faults injected into one device (device-behaviour.md §8). Never persisted; cleared by
 * {@link #clear()}, which a cold reset and a restart imply. Not thread-safe: the device calls it
 * under its lock.
 */
public final class FaultSet {

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
    private final List<FailOpcode> failOpcodes = new ArrayList<>();
    private ActivationFailure activationFailure;
    private boolean corruptStaging;
    private boolean latePart;

    public void clear() {
        mediaDisabled = false;
        failOpcodes.clear();
        activationFailure = null;
        corruptStaging = false;
        latePart = false;
    }

    public boolean isEmpty() {
        return !mediaDisabled && failOpcodes.isEmpty() && activationFailure == null && !corruptStaging && !latePart;
    }

    public void setMediaDisabled() {
        mediaDisabled = true;
    }

    public boolean mediaDisabled() {
        return mediaDisabled;
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

    /** The faults as the device view lists them, e.g. "fail-opcode 0201h rc 0006h count 2 cci any". */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        if (mediaDisabled) {
            out.add("media-disabled");
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
