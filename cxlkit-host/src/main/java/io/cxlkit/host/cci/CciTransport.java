package io.cxlkit.host.cci;

import io.cxlkit.protocol.Opcode;
import java.io.Closeable;
import java.io.IOException;

/**
 * One way to reach a device's CCI: the in-band mailbox or the MCTP socket endpoint.
 * Implementations run one command at a time.
 */
public interface CciTransport extends Closeable {

    /**
     * Sends one command and returns the device's immediate answer, which is 0001h for a command
     * that went to the background.
     *
     * @throws CciTimeoutException if the device does not answer within the transport's limit
     */
    Reply send(Opcode opcode, byte[] payload) throws IOException, InterruptedException;

    /**
     * Waits until the background command {@code opcode} started by the last {@link #send} finishes
     * and returns its final return code, as a {@link Reply} with {@code background} set.
     *
     * @throws CciTimeoutException if it does not finish within the transport's background limit
     */
    Reply awaitBackground(Opcode opcode) throws IOException, InterruptedException;

    /** The largest input payload this transport can carry to the device (mailbox Payload Size, or 2^n). */
    int maxPayload() throws IOException, InterruptedException;

    /** What the transport is, for messages ("mailbox of mem0", "tcp://127.0.0.1:2300 EID 8"). */
    String describe();

    /** Sends, and waits for a background command to finish. */
    default Reply execute(Opcode opcode, byte[] payload) throws IOException, InterruptedException {
        Reply r = send(opcode, payload);
        return r.returnCode() == io.cxlkit.protocol.ReturnCode.BACKGROUND_COMMAND_STARTED.value()
                ? awaitBackground(opcode) : r;
    }

    @Override
    default void close() throws IOException {
    }
}
