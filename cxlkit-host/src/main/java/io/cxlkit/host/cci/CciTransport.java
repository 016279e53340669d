package io.cxlkit.host.cci;

import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * One way to reach a device's CCI: the in-band mailbox or the MCTP socket endpoint.
 * Implementations run one command at a time, and {@link #execute} is one critical section: no
 * other command of this transport lands between a background command's start and the read of its
 * final code (the kernel holds its mailbox mutex across both, {@code __cxl_pci_mbox_send_cmd}).
 */
public interface CciTransport extends Closeable {

    /**
     * Sends one command and returns the device's immediate answer, which is 0001h for a command
     * that went to the background. For a single raw command (the {@code cci} tool); whoever needs
     * the final answer of a background command calls {@link #execute}.
     *
     * @throws CciTimeoutException if the device does not answer within the transport's limit
     */
    CommandResponse send(Opcode opcode, byte[] payload) throws IOException, InterruptedException;

    /**
     * Waits until the background command {@code opcode} started by the last {@link #send} finishes
     * and returns its final return code.
     *
     * @throws CciTimeoutException if it does not finish within the transport's background limit
     */
    CommandResponse awaitBackground(Opcode opcode) throws IOException, InterruptedException;

    /**
     * Waits until the background command {@code opcode} finishes, as {@link #awaitBackground} does,
     * but without holding the transport: other commands run meanwhile, as the kernel waits for a
     * Sanitize outside its mailbox mutex (a Sanitize runs for seconds to hours, and only
     * Background-flagged commands are refused while it runs). {@code limit} replaces the
     * transport's background limit. A transport that cannot wait unheld waits as
     * {@link #awaitBackground} does.
     *
     * @throws CciTimeoutException if it does not finish within {@code limit}
     */
    default CommandResponse awaitBackgroundReleased(Opcode opcode, Duration limit)
            throws IOException, InterruptedException {
        return awaitBackground(opcode);
    }

    /**
     * Sends, and waits for a background command to finish, holding the transport for both: the
     * answer is the command's final one.
     */
    CommandResponse execute(Opcode opcode, byte[] payload) throws IOException, InterruptedException;

    /** The largest input payload this transport can carry to the device (mailbox Payload Size, or 2^n). */
    int maxPayload() throws IOException, InterruptedException;

    /** What the transport is, for messages ("mailbox of mem0", "tcp://127.0.0.1:2300 EID 8"). */
    String describe();

    /** {@link #send} then, for 0001h, {@link #awaitBackground}: the body of every {@link #execute}. */
    static CommandResponse sendAndAwait(CciTransport t, Opcode opcode, byte[] payload)
            throws IOException, InterruptedException {
        CommandResponse r = t.send(opcode, payload);
        return r.backgroundStarted() ? t.awaitBackground(opcode) : r;
    }

    /**
     * The return code a device put on the wire, or an {@link IOException} for a value CXL r3.1
     * does not define: a malformed answer, not a code anyone can act on.
     */
    static ReturnCode returnCode(CciTransport t, int wireValue) throws IOException {
        return ReturnCode.fromValue(wireValue).orElseThrow(() -> new IOException(t.describe()
                + ": malformed answer: return code " + ReturnCode.hex(wireValue) + " is not defined by CXL r3.1"));
    }

    @Override
    default void close() throws IOException {
    }
}
