package io.cxlkit.device.mctp;

import io.cxlkit.device.cci.CciPort;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.ReturnCode;

/**
 * The device's MCTP CCI (message type 08h): takes a whole request message and returns the response.
 * Commands run one at a time, in arrival order, whichever connection sent them. Requests whose
 * payload exceeds the CCI's maximum message size (2^n) get 0016h.
 */
public final class MctpCci {

    private final CciPort device;
    private final int maxMessageSize;

    public MctpCci(CciPort device, int maxMessageSize) {
        this.device = device;
        this.maxMessageSize = maxMessageSize;
    }

    /** The largest request payload accepted, 2^n bytes. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Runs one request. The response echoes tag and opcode, has category 1, and the BO flag set
     * exactly when the return code is 0001h.
     */
    public synchronized CciMessage handle(CciMessage request) {
        CommandResponse r = device.execute(Cci.MCTP, request.opcode(), request.payload().length,
                request.payloadBuffer());
        return CciMessage.response(request.tag(), request.opcode(), r.returnCode().value(), r.output());
    }

    /**
     * The answer to a request whose payload was too large to be read (the socket endpoint discards
     * it unread): 0016h, unless the opcode is unknown (0003h comes first, whatever the length).
     */
    public synchronized CciMessage rejectOversized(int tag, io.cxlkit.protocol.Opcode opcode, int declaredLength) {
        CommandResponse r = device.execute(Cci.MCTP, opcode, declaredLength, java.nio.ByteBuffer.allocate(0));
        ReturnCode rc = r.returnCode() == ReturnCode.UNSUPPORTED ? r.returnCode() : ReturnCode.INVALID_PAYLOAD_LENGTH;
        return CciMessage.response(tag, opcode, rc.value(), new byte[0]);
    }
}
