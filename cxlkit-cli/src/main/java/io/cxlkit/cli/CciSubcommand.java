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
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * Base of the {@code cxlkit cci} commands: validates everything, sends ONE command with
 * {@link SocketTransport#send} (no background waiting) and prints
 * {@code {"eid","opcode","return_code","return_code_name","background","payload"}}, pretty as ndctl
 * prints JSON.
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

    @Mixin
    StateDirOption stateDir;

    @Override
    protected final int execute() throws Exception {
        CciTarget t = target.or(parent == null ? null : parent.target);
        String memdev = parent == null ? null : parent.memdev;
        CciAddress address = null;
        int eid = 0;
        try {
            if (memdev != null) {
                if (t.connect != null || t.eid != null) {
                    throw new IllegalArgumentException("give MEMDEV or --connect and --eid, not both");
                }
            } else {
                address = t.address();
                eid = t.eid();
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Opcode opcode = opcode();
        byte[] payload = request();
        java.nio.file.Path dir = stateDirectory();
        if (memdev != null) {
            CciDirectory.Entry entry = CciDirectory.of(DaemonClient.connect(dir)).memdev(memdev)
                    .orElseThrow(() -> new Failure("no memdev matches " + memdev));
            address = CciDirectory.address(entry);
            eid = entry.eid();
        } else {
            checkSomeoneAnswers(dir, address, eid);
        }
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
        print(JsonC.document(json));
        if (!rc.isAccepted()) {
            throw new Failure(new CciCommandException(opcode, rc).getMessage());
        }
        if (malformed != null) {
            throw new Failure(malformed);
        }
        return 0;
    }

    /** The state directory: this command's --state-dir, else the one given before it, else the default. */
    private java.nio.file.Path stateDirectory() {
        return stateDir.given() || parent == null ? stateDir.resolve() : parent.stateDir.resolve();
    }

    /**
     * A frame to an EID with no device gets no answer (wire.md §1), so the command would wait
     * {@link SocketTransport#ANSWER_TIMEOUT} for nothing. When {@code address} is a listener of the
     * daemon of the state directory, that daemon says at once whether anything is at {@code eid}.
     * Any other endpoint, or a daemon that cannot tell, is sent to as is.
     */
    private static void checkSomeoneAnswers(java.nio.file.Path dir, CciAddress address, int eid)
            throws IOException, InterruptedException {
        Optional<DaemonClient> daemon = DaemonClient.find(dir);
        if (daemon.isEmpty()) {
            return;
        }
        Optional<String> nobody;
        try {
            nobody = CciDirectory.of(daemon.get()).noDeviceAt(address, eid);
        } catch (IOException | ApiError | Failure e) {
            return; // the check is a courtesy; the command itself says what the endpoint does
        }
        if (nobody.isPresent()) {
            throw new Failure(nobody.get());
        }
    }

    /** A usage error unless {@code value} fits in {@code bits} unsigned bits. */
    protected void requireUnsigned(String option, long value, int bits) {
        long max = (1L << bits) - 1;
        if (value < 0 || value > max) {
            throw usage(option + " must be 0.." + max + ", not " + value);
        }
    }
}
