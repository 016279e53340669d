package io.cxlkit.host.cci;

import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;

/**
 * A command that the device answered with a return code other than success. Carries the opcode
 * and the return code, and says both the way the docs do:
 * {@code Transfer FW: FW Verification Failed, 000Ah}.
 */
public final class CciCommandException extends Exception {

    private final Opcode opcode;
    private final ReturnCode returnCode;

    public CciCommandException(Opcode opcode, ReturnCode returnCode) {
        super(CommandId.nameOf(opcode) + ": " + returnCode.specName() + ", " + returnCode.hex());
        this.opcode = opcode;
        this.returnCode = returnCode;
    }

    public Opcode opcode() {
        return opcode;
    }

    public ReturnCode returnCode() {
        return returnCode;
    }
}
