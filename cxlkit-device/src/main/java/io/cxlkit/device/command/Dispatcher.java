package io.cxlkit.device.command;

import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.MalformedPayloadException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The dispatch checks of device-behaviour.md §1, in order; the first failure decides:
 * unknown opcode 0003h, length 0016h, wrong CCI 0015h, injected fault, background busy 0006h,
 * then the handler's own checks. Called under the device lock.
 */
public final class Dispatcher {

    private final CommandTable table;
    private final FaultSet faults;
    private final OperationRunner runner;

    public Dispatcher(CommandTable table, FaultSet faults, OperationRunner runner) {
        this.table = table;
        this.faults = faults;
        this.runner = runner;
    }

    /**
     * @param inputLength the length the caller declared (the mailbox's Payload Length field, or the
     *                    MCTP message's), which may exceed what the CCI can hold
     * @param maxInput    the CCI's input limit (mailbox Payload Size, or 2^n on MCTP)
     * @param input       the payload bytes (only read when the length checks pass)
     */
    public Outcome dispatch(Cci cci, Opcode opcode, int inputLength, int maxInput, ByteBuffer input, int maxOutput) {
        Optional<CommandSpec> found = table.lookup(opcode);
        if (found.isEmpty()) {
            return Outcome.done(ReturnCode.UNSUPPORTED);
        }
        CommandSpec spec = found.get();
        if (inputLength > maxInput || !spec.inputLength().accepts(inputLength, input)) {
            return Outcome.done(ReturnCode.INVALID_PAYLOAD_LENGTH);
        }
        if (!spec.offeredOn(cci)) {
            return Outcome.done(ReturnCode.UNSUPPORTED_MAILBOX_OR_CCI);
        }
        Optional<ReturnCode> injected = faults.takeFailure(opcode, cci);
        if (injected.isPresent()) {
            return Outcome.done(injected.get());
        }
        if (spec.background() && runner.busy()) {
            return Outcome.done(ReturnCode.BUSY);
        }
        try {
            return spec.handler().handle(cci, input.slice().limit(inputLength).asReadOnlyBuffer(), maxOutput);
        } catch (MalformedPayloadException e) {
            // Length rules make this unreachable for well-formed tables; answer it as bad input anyway.
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
    }

    public CommandTable table() {
        return table;
    }
}
