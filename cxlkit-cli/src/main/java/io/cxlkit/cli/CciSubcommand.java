package io.cxlkit.cli;

import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.host.json.JsonC;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.MalformedPayloadException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * Base of the {@code cxlkit cci} commands: validates everything, sends ONE command with
 * {@link SocketTransport#send} (no background waiting) and prints
 * {@code {"eid","opcode","return_code","return_code_name","background","payload"}} on one line.
 * The payload is decoded only for 0000h; otherwise it is {@code {}} (or hex if the device sent
 * bytes). Exit 0 for 0000h and 0001h, 1 for any other return code (one line after the JSON) or no
 * answer within {@link SocketTransport#ANSWER_TIMEOUT}.
 */
abstract class CciSubcommand extends CliCommand {

    @ParentCommand
    CciCommand parent;

    @Mixin
    CciTarget target;

    /** The opcode to send. */
    protected abstract Opcode opcode();

    /** The request payload; usage errors thrown here, before anything is contacted. */
    protected byte[] request() throws IOException {
        return new byte[0];
    }

    /** The decoded output payload of a successful (0000h) answer. */
    protected abstract JsonC.Value decode(ByteBuffer output);

    /** The payload of an answer other than 0000h: {@code {}}, or hex if the device sent bytes. */
    protected JsonC.Value undecoded(ByteBuffer output) {
        return CciPayloads.none(output);
    }

    @Override
    protected final int execute() throws Exception {
        CciTarget t = target.or(parent == null ? null : parent.target);
        CciAddress address;
        int eid;
        try {
            address = t.address();
            eid = t.eid();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Opcode opcode = opcode();
        byte[] payload = request();
        CommandResponse reply;
        try (SocketTransport transport = SocketTransport.connect(address, eid)) {
            reply = transport.send(opcode, payload);
        } catch (ConnectException e) {
            throw new Failure("cannot connect to " + address + ": " + FailureHandler.describe(e));
        }
        ReturnCode rc = reply.returnCode();
        JsonC.Value decoded;
        String malformed = null;
        ByteBuffer output = ByteBuffer.wrap(reply.output());
        if (reply.success()) {
            try {
                decoded = decode(output);
            } catch (MalformedPayloadException e) {
                decoded = CciPayloads.raw(ByteBuffer.wrap(reply.output()));
                malformed = "malformed output: " + e.getMessage();
            }
        } else {
            decoded = undecoded(output);
        }
        JsonC.Obj json = JsonC.object()
                .put("eid", eid)
                .put("opcode", opcode.toString())
                .put("return_code", rc.hex())
                .put("return_code_name", rc.specName())
                .put("background", reply.backgroundStarted())
                .put("payload", decoded)
                .build();
        print(JsonC.toPlainString(json) + System.lineSeparator());
        if (!rc.isAccepted()) {
            throw new Failure(new CciCommandException(opcode, rc).getMessage());
        }
        if (malformed != null) {
            throw new Failure(malformed);
        }
        return 0;
    }

    /** A usage error unless {@code value} fits in {@code bits} unsigned bits. */
    protected void requireUnsigned(String option, long value, int bits) {
        long max = (1L << bits) - 1;
        if (value < 0 || value > max) {
            throw usage(option + " must be 0.." + max + ", not " + value);
        }
    }
}
