package io.cxlkit.device.testing;

import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.fw.PackageChecker;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.mailbox.MailboxDevice;
import io.cxlkit.device.media.MediaErase;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.regs.BackgroundCommandStatus;
import io.cxlkit.protocol.regs.MailboxCommand;
import io.cxlkit.protocol.regs.MailboxControl;
import io.cxlkit.protocol.regs.MailboxStatus;
import io.cxlkit.protocol.regs.RegisterMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * A {@link CxlDevice} for unit tests: opened in a (JUnit {@code @TempDir}) directory on a
 * {@link VirtualClock}, with a worker and a mailbox engine that run tasks inline unless a test
 * passes a {@link ManualExecutor} to hold them back. Time moves only through {@link #advance}.
 *
 * <pre>{@code
 * try (TestDevice t = TestDevice.builder(dir).instant().open()) {
 *     assertThat(t.uploadFull(Cci.MCTP, 2, TestDevice.pkg("FW 1", 1024))).isEqualTo(0);
 * }
 * }</pre>
 *
 * With inline executors everything runs on the test's thread. A test that holds the worker must
 * not send a command with zero modelled time that needs file work from the same thread (the CCI
 * would wait for the work forever).
 */
public final class TestDevice implements AutoCloseable {

    /** Runs every task at once on the submitting thread. */
    public static final Executor INLINE = Runnable::run;

    /** Result of a command on either CCI. */
    public record Reply(int returnCode, byte[] output, boolean backgroundFlag) {
        public boolean ok() {
            return returnCode == ReturnCode.SUCCESS.value();
        }

        @Override
        public String toString() {
            return "Reply[" + ReturnCode.hex(returnCode) + ", " + output.length + " bytes, bg=" + backgroundFlag + "]";
        }
    }

    private final Path dir;
    private final VirtualClock clock;
    private final Executor worker;
    private final Executor mailboxEngine;
    private final Executor events;
    private final PackageChecker checker;
    private final CrashHook crashHook;
    private final MediaErase mediaErase;
    private DeviceConfig config;
    private CxlDevice device;
    private int nextTag;

    private TestDevice(Builder b) throws IOException, DeviceStateException {
        this.dir = b.dir;
        this.clock = b.clock;
        this.worker = b.worker;
        this.mailboxEngine = b.mailboxEngine;
        this.events = b.events;
        this.checker = b.checker;
        this.crashHook = b.crashHook;
        this.mediaErase = b.mediaErase;
        this.config = b.config.build();
        this.device = openDevice();
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** mem0 with the device defaults (realistic timing). */
    public static TestDevice open(Path dir) {
        return builder(dir).open();
    }

    /** mem0 with the {@code instant} timing preset: every command completes synchronously. */
    public static TestDevice instant(Path dir) {
        return builder(dir).instant().open();
    }

    private CxlDevice openDevice() throws IOException, DeviceStateException {
        return CxlDevice.open(config, dir, clock,
                DeviceThreads.inline().withWorkers(worker).withMailboxEngine(mailboxEngine).withEvents(events),
                crashHook, checker, mediaErase);
    }

    public CxlDevice device() {
        return device;
    }

    public VirtualClock clock() {
        return clock;
    }

    public DeviceConfig config() {
        return config;
    }

    public Path dir() {
        return dir;
    }

    public MailboxDevice mailbox() {
        return device.mailbox();
    }

    // ---- commands ----

    /** One MCTP request; returns the whole response message. */
    public CciMessage mctp(int opcode, byte[] payload) {
        int tag = nextTag;
        nextTag = (nextTag + 1) & 0xFF;
        return device.mctp().handle(CciMessage.request(tag, Opcode.of(opcode), payload));
    }

    public CciMessage mctp(CommandId id, byte[] payload) {
        return mctp(id.opcode().value(), payload);
    }

    /**
     * One command on {@code cci}: through {@link #mctp} or through the mailbox registers
     * ({@link #mailbox(int, byte[])}). backgroundFlag is the MCTP BO bit, or the mailbox Status
     * register's bit 0 right after the doorbell cleared.
     */
    public Reply send(Cci cci, int opcode, byte[] payload) {
        if (cci == Cci.MCTP) {
            CciMessage m = mctp(opcode, payload);
            return new Reply(m.returnCode(), m.payload(), m.header().background());
        }
        return mailbox(opcode, payload);
    }

    public Reply send(Cci cci, CommandId id, byte[] payload) {
        return send(cci, id.opcode().value(), payload);
    }

    public Reply send(Cci cci, CommandId id) {
        return send(cci, id, new byte[0]);
    }

    public int transfer(Cci cci, TransferFwRequest request) {
        return send(cci, CommandId.TRANSFER_FW, request.encode()).returnCode();
    }

    public int activate(Cci cci, ActivateFwRequest request) {
        return send(cci, CommandId.ACTIVATE_FW, request.encode()).returnCode();
    }

    /** Request Abort Background Operation (0005h). */
    public int requestAbort(Cci cci) {
        return send(cci, CommandId.REQUEST_ABORT_BACKGROUND_OPERATION).returnCode();
    }

    /** Get FW Info sent as a command on {@code cci}. */
    public FwInfo getFwInfo(Cci cci) {
        Reply r = send(cci, CommandId.GET_FW_INFO);
        if (!r.ok()) {
            throw new AssertionError("Get FW Info failed: " + r);
        }
        return FwInfo.decode(ByteBuffer.wrap(r.output()));
    }

    /** Get FW Info as the device would answer it (no command sent). */
    public FwInfo fwInfo() {
        return device.fwInfo();
    }

    /**
     * The background status {@code cci} reports: MCTP Background Operation Status (0002h); on the
     * mailbox, Status bit 0 and the BG Command Status register.
     */
    public BackgroundOperationStatus bgStatus(Cci cci) {
        if (cci == Cci.MCTP) {
            CciMessage m = mctp(CommandId.BACKGROUND_OPERATION_STATUS, new byte[0]);
            if (m.returnCode() != 0) {
                throw new AssertionError("0002h failed: " + ReturnCode.hex(m.returnCode()));
            }
            return BackgroundOperationStatus.decode(ByteBuffer.wrap(m.payload()));
        }
        MailboxStatus st = MailboxStatus.fromRaw(mailbox().read64(RegisterMap.MB_STATUS));
        BackgroundCommandStatus bg = BackgroundCommandStatus.fromRaw(mailbox().read64(RegisterMap.MB_BG_COMMAND_STATUS));
        return new BackgroundOperationStatus(st.backgroundInProgress(), bg.percentComplete(), bg.opcode(),
                bg.returnCode(), bg.vendorStatus());
    }

    // ---- the mailbox, register by register ----

    /** The whole caller flow: submit, ring the doorbell, and read the result once it cleared. */
    public Reply mailbox(int opcode, byte[] payload) {
        mailboxSubmit(opcode, payload.length, payload);
        return mailboxCollect();
    }

    /**
     * Writes the Command register (opcode, {@code declaredLength}) and the payload area (as much of
     * {@code payload} as fits), then sets the doorbell, keeping the interrupt enable bits.
     */
    public void mailboxSubmit(int opcode, int declaredLength, byte[] payload) {
        MailboxDevice mb = mailbox();
        if (doorbell()) {
            throw new IllegalStateException("the doorbell is still set");
        }
        mb.write64(RegisterMap.MB_COMMAND, new MailboxCommand(Opcode.of(opcode), declaredLength).toRaw());
        int fit = Math.min(payload.length, mb.payloadSize());
        mb.writeBytes(RegisterMap.MB_PAYLOAD, ByteBuffer.wrap(payload, 0, fit));
        long control = mb.read(RegisterMap.MB_CONTROL, 4);
        mb.write(RegisterMap.MB_CONTROL, 4, control | MailboxControl.DOORBELL);
    }

    /** Status return code, the Command register's output length and that many payload bytes. */
    public Reply mailboxCollect() {
        if (doorbell()) {
            throw new IllegalStateException("the doorbell is still set (is the mailbox engine held?)");
        }
        MailboxDevice mb = mailbox();
        MailboxStatus st = MailboxStatus.fromRaw(mb.read64(RegisterMap.MB_STATUS));
        MailboxCommand cmd = MailboxCommand.fromRaw(mb.read64(RegisterMap.MB_COMMAND));
        byte[] out = new byte[cmd.payloadLength()];
        mb.readBytes(RegisterMap.MB_PAYLOAD, ByteBuffer.wrap(out));
        return new Reply(st.returnCode(), out, st.backgroundInProgress());
    }

    public boolean doorbell() {
        return (mailbox().read(RegisterMap.MB_CONTROL, 4) & MailboxControl.DOORBELL) != 0;
    }

    /** Sets Control bits 1 (doorbell interrupt) and 2 (background interrupt) as given. */
    public void enableInterrupts(boolean doorbellInterrupt, boolean backgroundInterrupt) {
        long v = (doorbellInterrupt ? MailboxControl.DOORBELL_INTERRUPT_ENABLE : 0)
                | (backgroundInterrupt ? MailboxControl.BACKGROUND_INTERRUPT_ENABLE : 0);
        mailbox().write(RegisterMap.MB_CONTROL, 4, v);
    }

    // ---- faults ----

    /** Changes the injected faults (device-behaviour.md §8), e.g. {@code t.inject(FaultSet::setLatePart)}. */
    public void inject(Consumer<FaultSet> change) {
        device.withFaults(f -> {
            change.accept(f);
            return null;
        });
    }

    /** {@code fail-opcode OPCODE rc CODE count N [cci ...]}; {@code cci} null means any. */
    public void failOpcode(int opcode, int returnCode, int count, Cci cci) {
        inject(f -> f.addFailOpcode(new FaultSet.FailOpcode(Opcode.of(opcode), ReturnCode.fromValue(returnCode).orElseThrow(), count,
                Optional.ofNullable(cci))));
    }

    // ---- time ----

    public void advance(Duration step) {
        clock.advance(step);
    }

    /**
     * Advances the clock in 1 ms steps until {@code cci} reports no running background operation
     * (at most 10 virtual minutes) and returns the recorded return code. The worker must be inline
     * (or already drained).
     */
    public int finishBackground(Cci cci) {
        for (int i = 0; i < 600_000; i++) {
            BackgroundOperationStatus s = bgStatus(cci);
            if (!s.inProgress()) {
                return s.returnCode();
            }
            clock.advance(Duration.ofMillis(1));
        }
        throw new AssertionError("background operation on " + cci + " did not finish");
    }

    /** The final return code of a command: its own, or its background result if it answered 0001h. */
    public int complete(Cci cci, int returnCode) {
        return returnCode == ReturnCode.BACKGROUND_COMMAND_STARTED.value() ? finishBackground(cci) : returnCode;
    }

    // ---- uploads ----

    /** Transfer FW Full to {@code slot}, waiting for a background part; the final return code. */
    public int uploadFull(Cci cci, int slot, byte[] pkg) {
        return complete(cci, transfer(cci, TransferFwRequest.full(slot, ByteBuffer.wrap(pkg))));
    }

    /**
     * Initiate, Continue..., End of {@code partSize}-byte parts (a multiple of 128; the last part
     * carries the rest), each waited for; the first failing final return code, else End's.
     */
    public int upload(Cci cci, int slot, byte[] pkg, int partSize) {
        if (partSize % 128 != 0 || partSize <= 0) {
            throw new IllegalArgumentException("part size must be a positive multiple of 128");
        }
        int offset = 0;
        while (true) {
            int len = Math.min(partSize, pkg.length - offset);
            boolean first = offset == 0;
            boolean last = offset + len >= pkg.length;
            ByteBuffer data = ByteBuffer.wrap(pkg, offset, len);
            TransferFwRequest req;
            if (first && !last) {
                req = TransferFwRequest.initiate(0, data);
            } else if (last && !first) {
                req = TransferFwRequest.end(slot, offset / 128, data);
            } else if (!first) {
                req = TransferFwRequest.continuePart(offset / 128, data);
            } else {
                throw new IllegalArgumentException("a package that fits one part: use uploadFull");
            }
            int rc = complete(cci, transfer(cci, req));
            if (rc != 0 || last) {
                return rc;
            }
            offset += len;
        }
    }

    /** Activate FW, waiting for a background activation; the final return code. */
    public int activateAndWait(Cci cci, ActivateFwRequest request) {
        return complete(cci, activate(cci, request));
    }

    // ---- lifecycle ----

    public void coldReset() {
        try {
            device.coldReset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A restart: closes the device and opens it again on the same directory, clock and executors. */
    public TestDevice reopen() {
        return reopen(UnaryOperator.identity());
    }

    /** A restart with a changed configuration. */
    public TestDevice reopen(UnaryOperator<DeviceConfig.Builder> change) {
        device.close();
        config = change.apply(config.toBuilder()).build();
        return openAgain();
    }

    /**
     * A restart after a kill: the device is abandoned, not closed (no graceful power-off runs), and a
     * new one opened on the same directory, clock and executors.
     */
    public TestDevice crashAndReopen() {
        return openAgain();
    }

    /** Opens a new device on the same directory, clock and executors, in place of the one before. */
    private TestDevice openAgain() {
        try {
            device = openDevice();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DeviceStateException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    @Override
    public void close() {
        device.close();
    }

    /** A return code as the docs write it ("000Ah"), so assertion failures read like the spec. */
    public static String rc(int code) {
        return ReturnCode.hex(code);
    }

    // ---- packages ----

    /** A valid {@code package}-format package: security version 0, a body of {@code bodySize} bytes. */
    public static byte[] pkg(String revision, int bodySize) {
        return pkg(revision, bodySize, 0);
    }

    public static byte[] pkg(String revision, int bodySize, long securityVersion) {
        byte[] body = new byte[bodySize];
        for (int i = 0; i < bodySize; i++) {
            body[i] = (byte) (i * 31 + revision.hashCode());
        }
        return FirmwarePackage.builder().revision(revision).securityVersion(securityVersion).body(body).build()
                .toByteArray();
    }

    /** Configures and opens a {@link TestDevice}. */
    public static final class Builder {
        private final Path dir;
        private DeviceConfig.Builder config = DeviceConfig.defaults(0).toBuilder();
        private VirtualClock clock = new VirtualClock();
        private Executor worker = INLINE;
        private Executor mailboxEngine = INLINE;
        private Executor events = INLINE;
        private PackageChecker checker = new PolicyChecker();
        private CrashHook crashHook = CrashHook.NONE;
        private MediaErase mediaErase = MediaErase.NONE;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** Starts from the defaults of device {@code mem<index>} (replaces earlier config changes). */
        public Builder index(int index) {
            this.config = DeviceConfig.defaults(index).toBuilder();
            return this;
        }

        public Builder config(UnaryOperator<DeviceConfig.Builder> change) {
            this.config = change.apply(config);
            return this;
        }

        public Builder timing(Timing timing) {
            config.timing(timing);
            return this;
        }

        public Builder instant() {
            return timing(Timing.instant());
        }

        public Builder clock(VirtualClock clock) {
            this.clock = clock;
            return this;
        }

        public Builder worker(Executor worker) {
            this.worker = worker;
            return this;
        }

        public Builder mailboxEngine(Executor engine) {
            this.mailboxEngine = engine;
            return this;
        }

        /** Where state listeners run (inline by default). */
        public Builder events(Executor events) {
            this.events = events;
            return this;
        }

        public Builder checker(PackageChecker checker) {
            this.checker = checker;
            return this;
        }

        public Builder crashHook(CrashHook hook) {
            this.crashHook = hook;
            return this;
        }

        /** What Sanitize and Secure Erase erase (a recording fake in tests; none by default). */
        public Builder mediaErase(MediaErase media) {
            this.mediaErase = media;
            return this;
        }

        public TestDevice open() {
            try {
                return new TestDevice(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (DeviceStateException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
