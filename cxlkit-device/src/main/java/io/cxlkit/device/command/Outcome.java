package io.cxlkit.device.command;

import io.cxlkit.protocol.ReturnCode;

/** What a command handler decided: a final answer now, or an operation that needs time or file work. */
public sealed interface Outcome {

    /** The command is finished: its return code and output payload. */
    record Done(int returnCode, byte[] output) implements Outcome {
        public static Done of(ReturnCode rc) {
            return new Done(rc.value(), new byte[0]);
        }

        public static Done success(byte[] output) {
            return new Done(ReturnCode.SUCCESS.value(), output);
        }
    }

    /** The command started an operation; the CCI answers 0001h if it runs in the background, else waits. */
    record Started(Operation operation) implements Outcome {
    }

    static Done done(ReturnCode rc) {
        return Done.of(rc);
    }
}
