package io.cxlkit.host.cci;

import io.cxlkit.protocol.ReturnCode;

/**
 * A device's answer to one command.
 *
 * @param returnCode the final return code (for a background command: the one it finished with)
 * @param output     the output payload
 * @param background true if the command went to the background (0001h) before finishing
 */
public record Reply(int returnCode, byte[] output, boolean background) {

    public boolean success() {
        return returnCode == ReturnCode.SUCCESS.value();
    }

    public String returnCodeName() {
        return ReturnCode.nameOf(returnCode);
    }
}
