package io.cxlkit.host.cci;

import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import java.util.Objects;
import java.util.Optional;

/**
 * A command that the device answered with a return code other than success. Carries the opcode
 * and the return code, and says both the way the docs do:
 * {@code Transfer FW: FW Verification Failed, 000Ah}; and, when the host found out why (the
 * device's Verification Log, docs/verification-log.md), the device's reason.
 */
public final class CciCommandException extends Exception {

    private final Opcode opcode;
    private final ReturnCode returnCode;
    private final String reason;

    public CciCommandException(Opcode opcode, ReturnCode returnCode) {
        this(opcode, returnCode, null);
    }

    private CciCommandException(Opcode opcode, ReturnCode returnCode, String reason) {
        super(answer(opcode, returnCode));
        this.opcode = opcode;
        this.returnCode = returnCode;
        this.reason = reason;
    }

    /** How the docs write a device's answer: {@code Transfer FW: FW Verification Failed, 000Ah}. */
    public static String answer(Opcode opcode, ReturnCode returnCode) {
        return CommandId.nameOf(opcode) + ": " + returnCode.specName() + ", " + returnCode.hex();
    }

    /** The same answer with the device's reason for it, if there is one. */
    public CciCommandException withReason(Optional<String> why) {
        Objects.requireNonNull(why, "why");
        if (why.isEmpty()) {
            return this;
        }
        CciCommandException e = new CciCommandException(opcode, returnCode, why.get());
        e.setStackTrace(getStackTrace());
        return e;
    }

    public Opcode opcode() {
        return opcode;
    }

    public ReturnCode returnCode() {
        return returnCode;
    }

    /** The device's reason, e.g. {@code security version 3 is below the device's floor 5}. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * One line: the reason, then the answer in parentheses,
     * {@code security version 3 is below the device's floor 5 (Activate FW: Activation Failed, FW
     * Rolled Back, 000Ch)}; the answer alone without a reason.
     */
    public String describe() {
        return reason == null ? getMessage() : reason + " (" + getMessage() + ")";
    }
}
