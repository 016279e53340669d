package io.cxlkit.host.cci;

import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.LogIds;
import io.cxlkit.protocol.payload.TransferFwAction;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link CciTransport} for tests that records every command it is given and answers from a
 * script. Get FW Info is answered from {@link #fwInfo(int, int)} unless the script says otherwise;
 * Get Log of the Verification Log from {@link #verificationLog} once one is given; every other
 * command succeeds with no output unless the script says otherwise. With
 * {@link #background(boolean)} Transfer FW and Activate FW answer 0001h from {@code send} and their
 * scripted code from {@code awaitBackground}, as a device running them in the background does.
 */
public final class RecordingTransport implements CciTransport {

    /** One command as the transport received it. {@code index} counts from 0 over all commands. */
    public record Command(int index, Opcode opcode, byte[] payload) {

        public boolean is(CommandId id) {
            return opcode.equals(id.opcode());
        }

        public boolean isTransfer() {
            return is(CommandId.TRANSFER_FW);
        }

        public boolean isActivate() {
            return is(CommandId.ACTIVATE_FW);
        }

        public TransferFwRequest transfer() {
            if (!isTransfer()) {
                throw new IllegalStateException(opcode + " is not Transfer FW");
            }
            return TransferFwRequest.decode(ByteBuffer.wrap(payload));
        }

        public ActivateFwRequest activate() {
            if (!isActivate()) {
                throw new IllegalStateException(opcode + " is not Activate FW");
            }
            return ActivateFwRequest.decode(ByteBuffer.wrap(payload));
        }

        /** The Transfer FW action, decoded; empty for other commands. */
        public Optional<TransferFwAction> action() {
            return isTransfer() ? transfer().knownAction() : Optional.empty();
        }

        public boolean isTransfer(TransferFwAction action) {
            return action().filter(a -> a == action).isPresent();
        }

        @Override
        public String toString() {
            return "#" + index + " " + CommandId.nameOf(opcode)
                    + (isTransfer() ? " " + transfer() : isActivate() ? " " + activate() : "");
        }
    }

    /** What the transport does with one command. */
    @FunctionalInterface
    public interface Script {
        /**
         * The final return code for {@code c}, or null for the default answer. May throw, e.g. a
         * {@link CciTimeoutException} for a device that does not answer.
         */
        Integer answer(Command c) throws IOException;
    }

    private final List<Command> commands = Collections.synchronizedList(new ArrayList<>());
    private volatile int maxPayload = 4096;
    private volatile FwInfo fwInfo = fwInfoFor(2, 1);
    private volatile Script script = c -> null;
    private volatile Supplier<byte[]> verificationLog;
    private volatile Consumer<Command> onCommand = c -> { };
    private volatile java.util.function.Function<Command, byte[]> outputs = c -> null;
    private volatile boolean background;
    private int maxPayloadCalls;
    /** The final code of the last command sent in the background, returned by awaitBackground. */
    private int pendingBackground = -1;
    private Opcode pendingOpcode;

    public static FwInfo fwInfoFor(int slots, int active) {
        List<String> revisions = new ArrayList<>(List.of("", "", "", ""));
        revisions.set(active - 1, "BWFW VERSION 0");
        return new FwInfo(slots, active, 0, true, revisions);
    }

    public RecordingTransport maxPayload(int bytes) {
        this.maxPayload = bytes;
        return this;
    }

    /** Get FW Info answers {@code slots} slots with {@code active} active. */
    public RecordingTransport fwInfo(int slots, int active) {
        this.fwInfo = fwInfoFor(slots, active);
        return this;
    }

    public RecordingTransport fwInfo(FwInfo info) {
        this.fwInfo = info;
        return this;
    }

    /**
     * Get Log answers from the bytes {@code log} supplies at that moment, with the device's range
     * checks (0017h for another log, 0002h beyond its end), unless the script says otherwise.
     */
    public RecordingTransport verificationLog(Supplier<byte[]> log) {
        this.verificationLog = log;
        return this;
    }

    public RecordingTransport script(Script s) {
        this.script = s;
        return this;
    }

    /**
     * The output of a command that succeeds, from {@code f} (null: the default, none but Get FW
     * Info's and the Verification Log's).
     */
    public RecordingTransport outputs(java.util.function.Function<Command, byte[]> f) {
        this.outputs = f;
        return this;
    }

    /** Called on the sender's thread as each command arrives, before it is answered. */
    public RecordingTransport onCommand(Consumer<Command> c) {
        this.onCommand = c;
        return this;
    }

    public RecordingTransport background(boolean b) {
        this.background = b;
        return this;
    }

    @Override
    public synchronized CommandResponse execute(Opcode opcode, byte[] payload) throws IOException, InterruptedException {
        return CciTransport.sendAndAwait(this, opcode, payload);
    }

    @Override
    public CommandResponse send(Opcode opcode, byte[] payload) throws IOException {
        Command c;
        synchronized (commands) {
            c = new Command(commands.size(), opcode, payload.clone());
            commands.add(c);
        }
        onCommand.accept(c);
        Integer scripted = script.answer(c);
        int rc = scripted != null ? scripted : ReturnCode.SUCCESS.value();
        byte[] out = new byte[0];
        if (c.is(CommandId.GET_FW_INFO) && rc == ReturnCode.SUCCESS.value()) {
            out = fwInfo.encode();
        }
        Supplier<byte[]> log = verificationLog;
        if (c.is(CommandId.GET_LOG) && scripted == null && log != null) {
            GetLogRequest req = GetLogRequest.decode(ByteBuffer.wrap(payload));
            byte[] bytes = log.get();
            if (!req.logId().equals(LogIds.VERIFICATION_LOG_UUID)) {
                rc = ReturnCode.INVALID_LOG.value();
            } else if (req.offset() + req.length() > bytes.length) {
                rc = ReturnCode.INVALID_INPUT.value();
            } else {
                out = Arrays.copyOfRange(bytes, (int) req.offset(), (int) (req.offset() + req.length()));
            }
        }
        byte[] scriptedOutput = rc == ReturnCode.SUCCESS.value() ? outputs.apply(c) : null;
        if (scriptedOutput != null) {
            out = scriptedOutput;
        }
        boolean runsInBackground = background && (c.isTransfer() || c.isActivate())
                && !c.isTransfer(TransferFwAction.ABORT);
        if (runsInBackground) {
            synchronized (this) {
                pendingBackground = rc;
                pendingOpcode = opcode;
            }
            return CommandResponse.of(ReturnCode.BACKGROUND_COMMAND_STARTED);
        }
        return new CommandResponse(CciTransport.returnCode(this, rc), out);
    }

    @Override
    public synchronized CommandResponse awaitBackground(Opcode opcode) throws IOException {
        if (pendingBackground < 0 || !opcode.equals(pendingOpcode)) {
            throw new IllegalStateException("awaitBackground(" + opcode + ") with no such background command");
        }
        int rc = pendingBackground;
        pendingBackground = -1;
        return CommandResponse.of(CciTransport.returnCode(this, rc));
    }

    @Override
    public synchronized int maxPayload() {
        maxPayloadCalls++;
        return maxPayload;
    }

    public synchronized int maxPayloadCalls() {
        return maxPayloadCalls;
    }

    @Override
    public String describe() {
        return "recording transport";
    }

    /** Every command so far, in order (a copy). */
    public List<Command> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    public List<Command> transfers() {
        return commands().stream().filter(Command::isTransfer).toList();
    }

    public List<Command> activations() {
        return commands().stream().filter(Command::isActivate).toList();
    }

    public List<Command> aborts() {
        return commands().stream().filter(c -> c.isTransfer(TransferFwAction.ABORT)).toList();
    }

    /** The data of every non-Abort Transfer FW part, concatenated in order. */
    public byte[] transferredData() {
        List<Command> parts = transfers().stream().filter(c -> !c.isTransfer(TransferFwAction.ABORT)).toList();
        int total = parts.stream().mapToInt(c -> c.transfer().dataLength()).sum();
        ByteBuffer all = ByteBuffer.allocate(total);
        parts.forEach(c -> all.put(c.transfer().data()));
        return all.array();
    }
}
