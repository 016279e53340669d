package io.cxlkit.device.command;

import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.ReturnCode;
import java.util.concurrent.CompletableFuture;

/** What a command handler decided: a final answer now, or an operation that needs time or file work. */
public sealed interface Outcome {

    /** The command is finished: this is its answer. */
    record Done(CommandResponse response) implements Outcome {
        public static Done of(ReturnCode rc) {
            return new Done(CommandResponse.of(rc));
        }

        public static Done success(byte[] output) {
            return new Done(CommandResponse.success(output));
        }
    }

    /** The command started an operation; the CCI answers 0001h if it runs in the background, else waits. */
    record Started(Operation operation) implements Outcome {
    }

    /**
     * The answer is {@code response}, once {@code ready} completes: the command waits for work that
     * runs on the worker, and waits outside the device lock, which that work needs.
     */
    record After(CompletableFuture<?> ready, CommandResponse response) implements Outcome {
    }

    /**
     * The answer is {@code response}'s, which the device's {@link StateWriter} gives once the
     * command's change has landed on disk: the command waits outside the device lock, as long as
     * that takes (no foreground budget), since it must not answer before its change is durable.
     */
    record Awaiting(CompletableFuture<CommandResponse> response) implements Outcome {
    }

    static Done done(ReturnCode rc) {
        return Done.of(rc);
    }
}
