package io.cxlkit.protocol;

import java.util.Objects;

/**
 * A command's answer, as a CCI gives it back: the return code and the output payload. The device
 * produces it, the mailbox and the MCTP CCI carry it, and the host's transports hand it to their
 * callers; for a background command the host's answer carries the code it finished with.
 */
public record CommandResponse(ReturnCode returnCode, byte[] output) {

    private static final byte[] NONE = new byte[0];

    public CommandResponse {
        Objects.requireNonNull(returnCode, "returnCode");
        Objects.requireNonNull(output, "output");
    }

    /** An answer with no output payload. */
    public static CommandResponse of(ReturnCode returnCode) {
        return new CommandResponse(returnCode, NONE);
    }

    /** Success with {@code output}. */
    public static CommandResponse success(byte[] output) {
        return new CommandResponse(ReturnCode.SUCCESS, output);
    }

    public boolean success() {
        return returnCode == ReturnCode.SUCCESS;
    }

    /** 0001h: the command went on in the background; its final code comes later. */
    public boolean backgroundStarted() {
        return returnCode == ReturnCode.BACKGROUND_COMMAND_STARTED;
    }

    @Override
    public String toString() {
        return "CommandResponse[" + returnCode.hex() + ", " + output.length + " bytes]";
    }
}
