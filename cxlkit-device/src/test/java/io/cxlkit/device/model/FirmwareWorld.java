package io.cxlkit.device.model;

import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.regs.BackgroundCommandStatus;
import io.cxlkit.protocol.regs.MemoryDeviceStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one action chain: the reference model, the device under test, and the host-side
 * driver bookkeeping (which image each CCI is uploading, the last accepted part for retransmission).
 * Every command goes to both model and device; the return codes must match. {@link #check()}
 * compares everything observable after each step and asserts the invariants.
 */
final class FirmwareWorld implements ModelRuns.World<FirmwareModel.Rule> {

    static final Opcode BG_STATUS = Opcode.of(0x0002);
    static final Opcode GET_FW_INFO = Opcode.of(0x0200);
    static final Opcode IDENTIFY_MEMORY_DEVICE = Opcode.of(0x4000);

    /** One Transfer FW request as the host sends it. */
    record Part(Cci cci, int action, int slot, long offsetUnits, byte[] data, int declaredLength,
                PackageCatalogue.Image source) {

        static Part of(Cci cci, int action, int slot, long offsetUnits, byte[] data, PackageCatalogue.Image source) {
            return new Part(cci, action, slot, offsetUnits, data, TransferFwRequest.HEADER_SIZE + data.length, source);
        }

        Part withAction(int a, int s) {
            return new Part(cci, a, s, offsetUnits, data, declaredLength, source);
        }

        Part withData(byte[] d, PackageCatalogue.Image src) {
            return new Part(cci, action, slot, offsetUnits, d, TransferFwRequest.HEADER_SIZE + d.length, src);
        }

        @Override
        public String toString() {
            String name = switch (action) {
                case FirmwareModel.FULL -> "Full";
                case FirmwareModel.INITIATE -> "Initiate";
                case FirmwareModel.CONTINUE -> "Continue";
                case FirmwareModel.END -> "End";
                case FirmwareModel.ABORT -> "Abort";
                default -> "action " + action;
            };
            return "Transfer " + name + " on " + cci + " slot " + slot + " offset " + offsetUnits + "x128 ("
                    + offsetUnits * 128 + ") data " + data.length + " B declared " + declaredLength + " from "
                    + source;
        }
    }

    /** The image a CCI is uploading and the byte offset of its next part. */
    static final class Upload {
        final PackageCatalogue.Image image;
        long next;

        Upload(PackageCatalogue.Image image, long next) {
            this.image = image;
            this.next = next;
        }
    }

    private static final int LOG_LINES = 120;

    final FirmwareModel model;
    final DeviceUnderTest sut;
    final PackageCatalogue catalogue;
    final int mailboxPayloadSize;
    final int mctpMessageSize;
    final Map<Cci, Upload> uploads = new EnumMap<>(Cci.class);
    final Map<Cci, Part> lastAccepted = new EnumMap<>(Cci.class);
    private final Deque<String> log = new ArrayDeque<>();
    private final byte[][] lastSlotBytes;
    private int commitsSeen;
    private int verifiedActive;
    private byte[] verifiedActiveBytes;
    private int steps;

    FirmwareWorld(FirmwareModel.Config config, int mailboxExponent, int mctpExponent, PackageCatalogue catalogue) {
        this.catalogue = catalogue;
        this.model = new FirmwareModel(config, catalogue.factory, catalogue.known);
        this.sut = DeviceUnderTest.open(config, mailboxExponent, mctpExponent);
        this.mailboxPayloadSize = config.mailboxPayloadSize();
        this.mctpMessageSize = config.mctpMessageSize();
        this.lastSlotBytes = new byte[config.slots() + 1][];
        note("open " + config + " mailbox 2^" + mailboxExponent + " mctp 2^" + mctpExponent);
        for (int s = 1; s <= config.slots(); s++) {
            lastSlotBytes[s] = sut.slotBytes(s).orElse(null);
        }
        check();
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public Map<FirmwareModel.Rule, Long> fired() {
        return model.fired();
    }

    int dataLimit(Cci cci) {
        return (cci == Cci.MAILBOX ? mailboxPayloadSize : mctpMessageSize) - TransferFwRequest.HEADER_SIZE;
    }

    // ------------------------------------------------------------------------------------ commands

    void transfer(Part p) {
        byte[] encoded = new TransferFwRequest(p.action(), p.slot(), p.offsetUnits(), ByteBuffer.wrap(p.data()))
                .encode();
        byte[] payload = p.declaredLength() < encoded.length ? Arrays.copyOf(encoded, p.declaredLength()) : encoded;
        byte[] modelData = p.declaredLength() < TransferFwRequest.HEADER_SIZE ? new byte[0] : p.data();
        int expected = model.transfer(p.cci(), p.declaredLength(), p.action(), p.slot(), p.offsetUnits(), modelData);
        int actual = sut.send(p.cci(), FirmwareModel.TRANSFER_FW, payload, p.declaredLength()).returnCode();
        agree(p.toString(), expected, actual);
        if (actual == FirmwareModel.RC_SUCCESS || actual == FirmwareModel.RC_BACKGROUND) {
            switch (p.action()) {
                case FirmwareModel.INITIATE -> {
                    uploads.put(p.cci(), new Upload(p.source(), p.data().length));
                    lastAccepted.put(p.cci(), p);
                }
                case FirmwareModel.CONTINUE, FirmwareModel.END -> {
                    Upload u = uploads.get(p.cci());
                    if (u != null) {
                        u.next = p.offsetUnits() * 128 + p.data().length;
                    }
                    lastAccepted.put(p.cci(), p);
                }
                default -> {
                }
            }
        }
        syncDriver();
    }

    void activate(Cci cci, int action, int slot, int declaredLength) {
        byte[] encoded = new ActivateFwRequest(action, slot).encode();
        byte[] payload = Arrays.copyOf(encoded, declaredLength);
        int expected = model.activate(cci, declaredLength, action, slot);
        int actual = sut.send(cci, FirmwareModel.ACTIVATE_FW, payload, declaredLength).returnCode();
        agree("Activate FW on " + cci + " action " + action + " slot " + slot + " length " + declaredLength,
                expected, actual);
        syncDriver();
    }

    void requestAbort(Cci cci, int declaredLength) {
        int expected = model.requestAbort(cci, declaredLength);
        int actual = sut.send(cci, FirmwareModel.REQUEST_ABORT, new byte[declaredLength], declaredLength).returnCode();
        agree("Request Abort on " + cci + " length " + declaredLength, expected, actual);
        syncDriver();
    }

    void advance(long nanos) {
        note("advance " + nanos / 1e6 + " ms");
        model.advance(nanos);
        sut.advance(nanos);
        for (String e : model.drainEvents()) {
            note("  model: " + e);
        }
        syncDriver();
    }

    void coldReset() {
        note("cold reset");
        model.coldReset();
        sut.coldReset();
        syncDriver();
    }

    void getFwInfo(Cci cci) {
        DeviceUnderTest.Answer a = sut.send(cci, GET_FW_INFO, new byte[0], 0);
        note("Get FW Info on " + cci + " -> " + FirmwareModel.hex(a.returnCode()));
        require(a.returnCode() == 0, "Get FW Info on " + cci + " returned " + FirmwareModel.hex(a.returnCode()));
        compareFwInfo(cci, FwInfo.decode(ByteBuffer.wrap(a.output())));
    }

    void injectMediaDisabled() {
        note("inject media-disabled");
        model.injectMediaDisabled();
        sut.injectMediaDisabled();
    }

    void injectActivationFailure(FirmwareModel.ActivationFault f) {
        note("inject activation-fail " + f);
        model.injectActivationFailure(f);
        sut.injectActivationFailure(f);
    }

    void injectCorruptStaging() {
        note("inject corrupt-staging");
        model.injectCorruptStaging();
        sut.injectCorruptStaging();
    }

    void injectLatePart() {
        note("inject late-part");
        model.injectLatePart();
        sut.injectLatePart();
    }

    void injectFailOpcode(Opcode opcode, int rc, int count, Cci cci) {
        note("inject fail-opcode " + opcode + " rc " + FirmwareModel.hex(rc) + " count " + count + " cci "
                + (cci == null ? "any" : cci));
        model.injectFailOpcode(opcode, rc, count, cci);
        sut.injectFailOpcode(opcode, rc, count, cci);
    }

    /** Forget uploads whose transfer the model (and so the device) no longer has open. */
    private void syncDriver() {
        for (Cci c : Cci.values()) {
            if (model.transferOwner() != c) {
                uploads.remove(c);
                lastAccepted.remove(c);
            }
        }
    }

    // ------------------------------------------------------------------------------------ checks

    /** Everything observable must match the model, and the invariants must hold. */
    void check() {
        steps++;
        // Get FW Info (MCTP) and Identify Memory Device
        DeviceUnderTest.Answer info = sut.mctp(GET_FW_INFO, new byte[0]);
        require(info.returnCode() == 0, "Get FW Info returned " + FirmwareModel.hex(info.returnCode()));
        compareFwInfo(Cci.MCTP, FwInfo.decode(ByteBuffer.wrap(info.output())));
        DeviceUnderTest.Answer id = sut.mctp(IDENTIFY_MEMORY_DEVICE, new byte[0]);
        require(id.returnCode() == 0, "Identify Memory Device returned " + FirmwareModel.hex(id.returnCode()));
        String idRevision = IdentifyMemoryDevice.decode(ByteBuffer.wrap(id.output())).fwRevision();
        require(idRevision.equals(model.activeRevision()),
                "Identify Memory Device FW revision '" + idRevision + "', model '" + model.activeRevision() + "'");

        // BG status: MCTP 0002h, mailbox Status bit 0 and BG Command Status register
        BackgroundOperationStatus mctp = sut.mctpBackgroundStatus();
        compareBg("MCTP 0002h", model.bgStatus(Cci.MCTP), mctp.inProgress(), mctp.percentComplete(),
                mctp.opcode().value(), mctp.returnCode());
        BackgroundCommandStatus mb = sut.mailboxBackgroundStatus();
        FirmwareModel.BgView mbModel = model.bgStatus(Cci.MAILBOX);
        compareBg("mailbox BG Command Status", mbModel, sut.mailboxBackgroundBit(), mb.percentComplete(),
                mb.opcode().value(), mb.returnCode());

        long interrupts = sut.mailboxInterrupts();
        require(interrupts == model.mailboxNotifications(), "mailbox background-complete notifications: "
                + interrupts + ", model " + model.mailboxNotifications());

        // Memory Device Status
        MemoryDeviceStatus mds = sut.memoryDeviceStatus();
        int media = model.mediaDisabled() ? MemoryDeviceStatus.MEDIA_DISABLED : MemoryDeviceStatus.MEDIA_READY;
        require(mds.mediaStatus() == media, "Media Status " + mds.mediaStatus() + ", model " + media);
        int reset = model.resetNeededCold() ? MemoryDeviceStatus.RESET_COLD : MemoryDeviceStatus.RESET_NONE;
        require(mds.resetNeeded() == reset, "Reset Needed " + mds.resetNeeded() + ", model " + reset);

        // slot contents, and "a slot changes only on a verified End/Full completion"
        List<Integer> commits = model.commits();
        List<Integer> newCommits = commits.subList(commitsSeen, commits.size());
        for (int s = 1; s <= model.config().slots(); s++) {
            byte[] device = sut.slotBytes(s).orElse(null);
            FirmwareModel.SlotContent m = model.slot(s);
            byte[] expected = m == null ? null : m.bytes();
            require(Arrays.equals(device, expected), "slot " + s + " holds " + describe(device) + ", model "
                    + describe(expected));
            if (!Arrays.equals(device, lastSlotBytes[s])) {
                require(newCommits.contains(s), "slot " + s + " changed without a verified End/Full completion");
            }
            lastSlotBytes[s] = device;
        }
        commitsSeen = commits.size();

        // invariants: the active slot's file verifies (re-inspected whenever its bytes or the active
        // slot changed; unchanged bytes were compared above), staged is never the active slot
        Path activeFile = sut.slotFile(model.active()).orElse(null);
        require(activeFile != null, "the active slot " + model.active() + " has no package file");
        byte[] activeBytes = lastSlotBytes[model.active()];
        if (model.active() != verifiedActive || !Arrays.equals(activeBytes, verifiedActiveBytes)) {
            try {
                require(PackageVerifier.inspect(activeFile).intact(), "the active slot's package is not intact");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            verifiedActive = model.active();
            verifiedActiveBytes = activeBytes;
        }
        require(model.staged() != model.active(), "model: staged == active");
        require(model.staged() == 0 || model.slot(model.staged()) != null, "model: staged slot is empty");
    }

    private void compareFwInfo(Cci cci, FwInfo d) {
        String where = "Get FW Info on " + cci + ": ";
        require(d.slotsSupported() == model.config().slots(), where + "slots " + d.slotsSupported());
        require(d.activeSlot() == model.active(), where + "active slot " + d.activeSlot() + ", model "
                + model.active());
        require(d.stagedSlot() == model.staged(), where + "staged slot " + d.stagedSlot() + ", model "
                + model.staged());
        require(d.onlineActivationSupported() == model.config().onlineActivation(), where + "online activation");
        require(d.slotRevisions().equals(model.revisions()), where + "revisions " + d.slotRevisions() + ", model "
                + model.revisions());
    }

    private void compareBg(String what, FirmwareModel.BgView m, boolean inProgress, int percent, int opcode, int rc) {
        String got = what + " in progress " + inProgress + " " + percent + "% opcode " + FirmwareModel.hex(opcode)
                + " rc " + FirmwareModel.hex(rc) + ", model " + m;
        require(inProgress == m.inProgress(), got);
        require(opcode == m.opcode(), got);
        if (m.percentExact()) {
            require(percent == m.percent(), got);
        } else {
            require(percent < 100, got);
        }
        if (m.returnCodeValid()) {
            require(rc == m.returnCode(), got);
        }
    }

    private static String describe(byte[] b) {
        return b == null ? "nothing" : b.length + " B";
    }

    private void agree(String what, int expected, int actual) {
        note(what + " -> device " + FirmwareModel.hex(actual) + ", model " + FirmwareModel.hex(expected));
        for (String e : model.drainEvents()) {
            note("  model: " + e);
        }
        require(expected == actual, what + ": device returned " + FirmwareModel.hex(actual) + ", the model expects "
                + FirmwareModel.hex(expected));
    }

    void note(String line) {
        log.addLast("[t=" + model.now() / 1e6 + "ms] " + line);
        while (log.size() > LOG_LINES) {
            log.removeFirst();
        }
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message + "\nmodel: " + model + "\nrecent steps:\n  " + String.join("\n  ", log));
        }
    }

    @Override
    public void close() {
        sut.close();
    }

    @Override
    public String toString() {
        return "FirmwareWorld[" + model + "]";
    }
}
