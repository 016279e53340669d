package io.cxlkit.device.model;

import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.MailboxRegisters;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.regs.BackgroundCommandStatus;
import io.cxlkit.protocol.regs.MailboxCommand;
import io.cxlkit.protocol.regs.MailboxControl;
import io.cxlkit.protocol.regs.MailboxStatus;
import io.cxlkit.protocol.regs.MemoryDeviceStatus;
import io.cxlkit.protocol.regs.RegisterMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The system under test: a real {@link CxlDevice} on a virtual clock, with inline worker and mailbox
 * engine so every command has finished when the call returns. The only class of the model test that
 * touches the device's main code; it speaks through the two CCIs (MCTP messages and the mailbox
 * registers) and exposes protocol-level results.
 */
final class DeviceUnderTest implements AutoCloseable {

    /** What a CCI answered. */
    record Answer(int returnCode, byte[] output) {
    }

    private final Path dir;
    private final VirtualClock clock;
    private final CxlDevice device;
    private final MailboxRegisters mailbox;
    private final int mailboxPayloadSize;
    private int tag;

    private DeviceUnderTest(Path dir, CxlDevice device, VirtualClock clock) {
        this.dir = dir;
        this.device = device;
        this.clock = clock;
        this.mailbox = device.mailbox();
        this.mailboxPayloadSize = device.mailbox().payloadSize();
        // background-complete notifications on, so every mailbox background ending is counted
        mailbox.write(RegisterMap.MB_CONTROL, 4, MailboxControl.BACKGROUND_INTERRUPT_ENABLE);
    }

    /** Opens a fresh device in a new temporary directory, configured like {@code model}. */
    static DeviceUnderTest open(FirmwareModel.Config model, int mailboxExponent, int mctpExponent) {
        try {
            Path dir = Files.createTempDirectory(scratch(), "cxlkit-model-");
            DeviceConfig config = DeviceConfig.defaults(0).toBuilder()
                    .timing(Timing.realistic()
                            .withPartTime(Duration.ofNanos(model.partNanos()))
                            .withFullTime(Duration.ofNanos(model.fullNanos()))
                            .withActivateTime(Duration.ofNanos(model.activateNanos())))
                    .slots(model.slots())
                    .onlineActivate(model.onlineActivation())
                    .maxPackageSize(model.maxPackageSize())
                    .partTimeout(Duration.ofNanos(model.partTimeoutNanos()))
                    .payloadSizeExponent(mailboxExponent)
                    .mctpMessageSizeExponent(mctpExponent)
                    .build();
            VirtualClock clock = new VirtualClock();
            CxlDevice device = CxlDevice.open(config, dir.resolve("mem0"), clock, DeviceThreads.inline(),
                    CrashHook.NONE, new PolicyChecker());
            return new DeviceUnderTest(dir, device, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the device: " + e, e);
        }
    }


    /**
     * Where the per-chain device directories go: a RAM file system when there is one (thousands of
     * fsyncs per run), else the default temporary directory. Durability is not what this test checks.
     */
    private static Path scratch() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    // ------------------------------------------------------------------------------------ commands

    /** Sends {@code payload} on {@code cci}. On the mailbox {@code declaredLength} may differ. */
    Answer send(Cci cci, Opcode opcode, byte[] payload, int declaredLength) {
        return cci == Cci.MCTP ? mctp(opcode, payload) : mailbox(opcode, payload, declaredLength);
    }

    Answer mctp(Opcode opcode, byte[] payload) {
        tag = (tag + 1) & 0xFF;
        CciMessage response = device.mctp().handle(CciMessage.request(tag, opcode, payload));
        if (response.tag() != tag || !response.opcode().equals(opcode)) {
            throw new AssertionError("MCTP response does not echo tag/opcode: " + response);
        }
        boolean bo = response.header().background();
        if (bo != (response.returnCode() == 0x0001)) {
            throw new AssertionError("MCTP BO flag " + bo + " with return code " + response.returnCode());
        }
        return new Answer(response.returnCode(), response.payload());
    }

    /**
     * The mailbox doorbell protocol: Command (opcode, declared length), the payload (as much as fits),
     * the doorbell; with the inline engine the doorbell has cleared when the write returns.
     */
    Answer mailbox(Opcode opcode, byte[] payload, int declaredLength) {
        if (isDoorbellSet()) {
            throw new AssertionError("doorbell still set before a command");
        }
        mailbox.write64(RegisterMap.MB_COMMAND, new MailboxCommand(opcode, declaredLength).toRaw());
        int n = Math.min(payload.length, mailboxPayloadSize);
        mailbox.writeBytes(RegisterMap.MB_PAYLOAD, ByteBuffer.wrap(payload, 0, n));
        mailbox.write(RegisterMap.MB_CONTROL, 4, MailboxControl.DOORBELL | MailboxControl.BACKGROUND_INTERRUPT_ENABLE);
        if (isDoorbellSet()) {
            throw new AssertionError("doorbell still set after an inline command");
        }
        MailboxStatus status = MailboxStatus.fromRaw(mailbox.read64(RegisterMap.MB_STATUS));
        MailboxCommand done = MailboxCommand.fromRaw(mailbox.read64(RegisterMap.MB_COMMAND));
        byte[] out = new byte[done.payloadLength()];
        mailbox.readBytes(RegisterMap.MB_PAYLOAD, ByteBuffer.wrap(out));
        return new Answer(status.returnCode(), out);
    }

    private boolean isDoorbellSet() {
        return (mailbox.read(RegisterMap.MB_CONTROL, 4) & MailboxControl.DOORBELL) != 0;
    }

    // ------------------------------------------------------------------------------------ observations

    /** Mailbox Status bit 0 and the BG Command Status register. */
    boolean mailboxBackgroundBit() {
        return MailboxStatus.fromRaw(mailbox.read64(RegisterMap.MB_STATUS)).backgroundInProgress();
    }

    BackgroundCommandStatus mailboxBackgroundStatus() {
        return BackgroundCommandStatus.fromRaw(mailbox.read64(RegisterMap.MB_BG_COMMAND_STATUS));
    }

    /** Mailbox interrupts raised so far (only background-complete ones are enabled). */
    long mailboxInterrupts() {
        return mailbox.interruptCount();
    }

    MemoryDeviceStatus memoryDeviceStatus() {
        return MemoryDeviceStatus.fromRaw(mailbox.read64(RegisterMap.MEMORY_DEVICE_STATUS));
    }

    BackgroundOperationStatus mctpBackgroundStatus() {
        Answer a = mctp(Opcode.of(0x0002), new byte[0]);
        if (a.returnCode() != 0) {
            throw new AssertionError("0002h on MCTP returned " + FirmwareModel.hex(a.returnCode()));
        }
        return BackgroundOperationStatus.decode(ByteBuffer.wrap(a.output()));
    }

    /** The slot's file contents, or empty when the device reports the slot empty. */
    Optional<byte[]> slotBytes(int slot) {
        Optional<Path> p = device.slotFile(slot);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(p.get()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<Path> slotFile(int slot) {
        return device.slotFile(slot);
    }

    // ------------------------------------------------------------------------------------ control

    void advance(long nanos) {
        clock.advance(Duration.ofNanos(nanos));
    }

    void coldReset() {
        try {
            device.coldReset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void injectMediaDisabled() {
        device.withFaults(f -> {
            f.setMediaDisabled();
            return null;
        });
    }

    void injectActivationFailure(FirmwareModel.ActivationFault fault) {
        FaultSet.ActivationFailure f = fault == FirmwareModel.ActivationFault.ROLLBACK
                ? FaultSet.ActivationFailure.ROLLBACK : FaultSet.ActivationFailure.COLD_RESET;
        device.withFaults(s -> {
            s.setActivationFailure(f);
            return null;
        });
    }

    void injectCorruptStaging() {
        device.withFaults(s -> {
            s.setCorruptStaging();
            return null;
        });
    }

    void injectLatePart() {
        device.withFaults(s -> {
            s.setLatePart();
            return null;
        });
    }

    void injectFailOpcode(Opcode opcode, int rc, int count, Cci cci) {
        device.withFaults(s -> {
            s.addFailOpcode(new FaultSet.FailOpcode(opcode, ReturnCode.fromValue(rc).orElseThrow(), count,
                    Optional.ofNullable(cci)));
            return null;
        });
    }

    @Override
    public void close() {
        device.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
