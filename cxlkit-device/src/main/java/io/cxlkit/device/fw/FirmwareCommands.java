package io.cxlkit.device.fw;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.clock.DeviceClock;
import io.cxlkit.device.command.Operation;
import io.cxlkit.device.command.Outcome;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ActivateFwAction;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwAction;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.payload.VerificationLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * Get FW Info, Transfer FW and Activate FW (device-behaviour.md §3, §4), plus the firmware part
 * of a cold reset. Every method runs under the device lock; file work is handed to operations
 * that run on the device's worker.
 */
public final class FirmwareCommands {

    private static final Logger LOG = Logger.getLogger(FirmwareCommands.class.getName());
    /** Above this, End and Full always run in the background, even with zero modelled time (§7). */
    static final long FOREGROUND_LIMIT = 256L << 20;

    private final DeviceConfig config;
    private final DeviceClock clock;
    private final FirmwareStore store;
    private final FaultSet faults;
    private final Executor worker;
    private final Object lock;
    private final VerificationLogRing verificationLog;
    /** memdev-commands.md §2.4's "media disabled" (the fault or a pending Sanitize), read under the lock. */
    private final java.util.function.BooleanSupplier mediaDisabled;
    private TransferState transfer;
    private boolean coldResetNeeded;

    /**
     * @param verificationLog where failed verifications are recorded (docs/verification-log.md)
     * @param mediaDisabled   memdev-commands.md §2.4's "media disabled", for Transfer FW's step 10
     */
    public FirmwareCommands(DeviceConfig config, DeviceClock clock, FirmwareStore store,
                            FaultSet faults, Executor worker, Object lock, VerificationLogRing verificationLog,
                            java.util.function.BooleanSupplier mediaDisabled) {
        this.config = config;
        this.clock = clock;
        this.store = store;
        this.faults = faults;
        this.worker = worker;
        this.lock = lock;
        this.verificationLog = verificationLog;
        this.mediaDisabled = mediaDisabled;
    }

    /** Set by a failed online activation that needs a cold reset (000Dh); cleared by one. */
    public boolean coldResetNeeded() {
        return coldResetNeeded;
    }

    public Optional<Cci> transferOwner() {
        return Optional.ofNullable(transfer).map(t -> t.owner);
    }

    public FwInfo fwInfo() {
        List<String> revisions = new ArrayList<>();
        for (int s = 1; s <= FwInfo.SLOT_COUNT; s++) {
            revisions.add(store.revision(s));
        }
        return new FwInfo(store.slots(), store.active(), store.staged(), config.onlineActivate(), revisions);
    }

    public Outcome getFwInfo(Cci cci, ByteBuffer input, int maxOutput) {
        return Outcome.Done.success(fwInfo().encode());
    }

    // ---- Transfer FW (0201h) ----

    public Outcome transferFw(Cci cci, ByteBuffer input, int maxOutput) {
        TransferFwRequest req = TransferFwRequest.decode(input);
        Optional<TransferFwAction> known = req.knownAction();
        // late-part (§8): the next Continue/End finds *its* transfer expired; only a part of the CCI
        // owning the open transfer uses the fault up, since otherwise there is nothing to expire.
        if (known.filter(a -> a == TransferFwAction.CONTINUE || a == TransferFwAction.END).isPresent()
                && transfer != null && transfer.owner == cci && faults.takeLatePart()) {
            abortTransfer("late-part fault: transfer expired");
        }
        // 1. another CCI owns the open transfer
        if (transfer != null && transfer.owner != cci) {
            return Outcome.done(ReturnCode.FW_TRANSFER_IN_PROGRESS);
        }
        // 2. action
        if (known.isEmpty()) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        TransferFwAction action = known.get();
        // 3. abort
        if (action == TransferFwAction.ABORT) {
            if (transfer != null) {
                abortTransfer("aborted by the host");
            }
            return Outcome.done(ReturnCode.SUCCESS);
        }
        long length = req.dataLength();
        long offset = action == TransferFwAction.FULL ? 0 : req.byteOffset();
        // 4. size
        if (offset + length > config.maxPackageSize()) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        boolean starts = action == TransferFwAction.FULL || action == TransferFwAction.INITIATE;
        // 5. Full or Initiate while open
        if (starts && transfer != null) {
            return Outcome.done(ReturnCode.FW_TRANSFER_IN_PROGRESS);
        }
        // 6. Continue or End with nothing open
        if (!starts && transfer == null) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        // 7. order
        if (!starts && !transfer.isRetransmission(offset, length) && !transfer.isNext(offset)) {
            abortTransfer("part out of order");
            return Outcome.done(ReturnCode.FW_TRANSFER_OUT_OF_ORDER);
        }
        // 8. alignment and lengths
        if (action == TransferFwAction.INITIATE && req.offsetUnits() != 0) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        boolean aligned = action == TransferFwAction.INITIATE || action == TransferFwAction.CONTINUE;
        if (aligned && (length == 0 || length % TransferFwRequest.OFFSET_UNIT != 0)) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        if (action == TransferFwAction.FULL && length == 0) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        // 9. target slot
        boolean ends = action == TransferFwAction.FULL || action == TransferFwAction.END;
        if (ends && !isUsableTarget(req.slot())) {
            return Outcome.done(ReturnCode.INVALID_SLOT);
        }
        // 10. media (the fault, or a pending Sanitize: memdev-commands.md §2.4)
        if (mediaDisabled.getAsBoolean()) {
            return Outcome.done(ReturnCode.MEDIA_DISABLED);
        }
        return new Outcome.Started(acceptPart(cci, action, req.slot(), offset, req.data()));
    }

    private boolean isUsableTarget(int slot) {
        return slot >= 1 && slot <= store.slots() && slot != store.active();
    }

    private Operation acceptPart(Cci cci, TransferFwAction action, int slot, long offset, ByteBuffer data) {
        long length = data.remaining();
        if (action == TransferFwAction.INITIATE) {
            transfer = new TransferState(cci);
        }
        TransferState part = transfer;
        if (part != null) {
            part.accept(offset, length);
        }
        // A copy of this part only: the CCI's buffer is reused for the next command.
        byte[] bytes = store.partBuffer((int) length);
        data.duplicate().get(bytes, 0, (int) length);
        long packageSize = offset + length;
        long duration = switch (action) {
            case INITIATE, CONTINUE -> config.timing().partNanos(length);
            case END -> config.timing().endNanos(length, packageSize);
            case FULL -> config.timing().fullNanos(length);
            case ABORT -> throw new IllegalStateException();
        };
        boolean ends = action == TransferFwAction.END || action == TransferFwAction.FULL;
        boolean background = runsInBackground(duration, ends, packageSize);
        boolean corrupt = ends && faults.takeCorruptStaging();
        var policy = config.verifyPolicy();
        var trustedKeys = config.trustedKeys();
        Operation op = new Operation(cci, CommandId.TRANSFER_FW.opcode(), background, duration,
                () -> {
                    if (action == TransferFwAction.INITIATE || action == TransferFwAction.FULL) {
                        store.stagingBegin();
                    }
                    store.stagingWrite(offset, bytes, (int) length);
                    if (!ends) {
                        return null;
                    }
                    store.stagingFinish(packageSize);
                    if (corrupt) {
                        store.stagingCorruptFirstBodyByte();
                    }
                    return store.verifyStaging(policy, trustedKeys);
                },
                result -> ends ? commit(part, slot, (Verdict) result) : partDone(part),
                () -> {
                    if (transfer == part && part != null) {
                        transfer = null;
                        part.cancelExpiry();
                    }
                    worker.execute(store::stagingDiscard);
                });
        // a part's write lands in the page cache; End and Full fsync and verify, which may take long
        return ends ? op : op.withQuickWork();
    }

    /**
     * A part with modelled time runs in the background; so does End or Full of a package above
     * {@link #FOREGROUND_LIMIT}, whose real work could outlast the 2-second mailbox timeout (§7).
     */
    static boolean runsInBackground(long durationNanos, boolean ends, long packageSize) {
        return durationNanos > 0 || (ends && packageSize > FOREGROUND_LIMIT);
    }

    private ReturnCode partDone(TransferState part) {
        if (transfer == part) {
            part.partRunning = false;
            part.quietSince = clock.nanoTime();
            if (part.expiry == null) {
                armExpiry(part, part.quietSince + config.partTimeout().toNanos() + 1);
            }
        }
        return ReturnCode.SUCCESS;
    }

    /**
     * The inter-part timeout (§3): "more than the timeout ago", so a transfer is still open at
     * exactly its last part's completion + timeout. One timer per transfer, re-armed when it finds
     * newer parts, instead of one cancelled and scheduled again for each of thousands of parts.
     */
    private void armExpiry(TransferState part, long dueNanos) {
        // The clock's one thread serves every device: it only hands the check to this device's
        // worker, never waits for this device's lock (held across file work).
        part.expiry = clock.schedule(dueNanos, () -> worker.execute(() -> {
            synchronized (lock) {
                part.expiry = null;
                // a part running now re-arms the timer when it ends; a stale transfer expires even
                // while another operation runs (§3)
                if (transfer != part || part.partRunning) {
                    return;
                }
                long due = part.quietSince + config.partTimeout().toNanos() + 1;
                if (clock.nanoTime() >= due) {
                    abortTransfer("no part for " + config.partTimeout().toSeconds() + " s");
                } else {
                    armExpiry(part, due);
                }
            }
        }));
    }

    private ReturnCode commit(TransferState part, int slot, Verdict verdict) {
        if (transfer == part) {
            transfer = null;
        }
        if (part != null) {
            part.cancelExpiry();
        }
        if (!verdict.ok()) {
            LOG.info(config.name() + ": package for slot " + slot + " failed verification: " + verdict.reason());
            verificationLog.record(VerificationLog.Operation.TRANSFER, slot, verdict.failure().orElseThrow());
            store.stagingDiscard();
            return ReturnCode.FW_VERIFICATION_FAILED;
        }
        try {
            store.commitStaging(slot, verdict.revision());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ReturnCode.SUCCESS;
    }

    private void abortTransfer(String why) {
        LOG.fine(() -> config.name() + ": firmware transfer aborted: " + why);
        transfer.cancelExpiry();
        transfer = null;
        worker.execute(store::stagingDiscard);
    }

    // ---- Activate FW (0202h) ----

    public Outcome activateFw(Cci cci, ByteBuffer input, int maxOutput) {
        ActivateFwRequest req = ActivateFwRequest.decode(input);
        Optional<ActivateFwAction> action = req.knownAction();
        if (action.isEmpty()) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        int slot = req.slot();
        if (slot < 1 || slot > store.slots() || slot == store.active() || !store.hasPackage(slot)) {
            return Outcome.done(ReturnCode.INVALID_SLOT);
        }
        if (action.get() == ActivateFwAction.ONLINE && !config.onlineActivate()) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        if (action.get() == ActivateFwAction.ON_NEXT_RESET) {
            // Staging persists device.properties (write, fsync, rename): file work, so it runs in
            // the worker's order, as an operation with no modelled time that the CCI waits for.
            return new Outcome.Started(new Operation(cci, CommandId.ACTIVATE_FW.opcode(), false, 0, () -> null,
                    result -> {
                        try {
                            store.setStaged(slot);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        return ReturnCode.SUCCESS;
                    }, () -> { }).withQuickWork());
        }
        Optional<FaultSet.ActivationFailure> fault = faults.takeActivationFailure();
        long duration = config.timing().activateNanos();
        var policy = config.verifyPolicy();
        var trustedKeys = config.trustedKeys();
        return new Outcome.Started(new Operation(cci, CommandId.ACTIVATE_FW.opcode(), duration > 0, duration,
                () -> store.verifySlot(slot, policy, trustedKeys),
                result -> activateOnline(slot, (Verdict) result, fault),
                () -> { }));
    }

    private ReturnCode activateOnline(int slot, Verdict verdict, Optional<FaultSet.ActivationFailure> fault) {
        try {
            // the cold-reset fault decides the answer before the verdict does: no record for it
            if (fault.isPresent() && fault.get() == FaultSet.ActivationFailure.COLD_RESET) {
                coldResetNeeded = true;
                if (store.staged() == slot) {
                    store.setStaged(0);
                }
                return ReturnCode.ACTIVATION_FAILED_COLD_RESET_REQUIRED;
            }
            if (fault.isPresent() || !verdict.ok()) {
                LOG.info(config.name() + ": online activation of slot " + slot + " rolled back"
                        + (verdict.ok() ? " (injected fault)" : ": " + verdict.reason()));
                verdict.failure().ifPresent(f ->
                        verificationLog.record(VerificationLog.Operation.ONLINE_ACTIVATION, slot, f));
                return ReturnCode.ACTIVATION_FAILED_ROLLED_BACK;
            }
            store.setActive(slot, verdict.securityVersion());
            return ReturnCode.SUCCESS;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The device is closing (power off): forget the open transfer and its expiry task without
     * touching files, so a task of this closed device never acts on a reopened one's staging.
     */
    public void close() {
        if (transfer != null) {
            transfer.cancelExpiry();
            transfer = null;
        }
    }

    // ---- cold reset ----

    /**
     * The firmware part of a cold reset (device-behaviour.md §4): the open transfer is gone; a staged
     * slot is verified and becomes active, or loses its mark. The caller dropped the operation.
     */
    public void coldReset() throws IOException {
        if (transfer != null) {
            abortTransfer("cold reset");
        }
        coldResetNeeded = false;
        activateStagedSlot();
    }

    /**
     * Makes a verified staged slot active, or clears the mark of one that fails verification and
     * records why.
     */
    private void activateStagedSlot() throws IOException {
        int staged = store.staged();
        if (staged == 0) {
            return;
        }
        Verdict v = store.verifySlot(staged, config.verifyPolicy(), config.trustedKeys());
        if (v.ok()) {
            store.setActive(staged, v.securityVersion());
            LOG.info(config.name() + ": slot " + staged + " (" + store.revision(staged) + ") is now active");
        } else {
            store.setStaged(0);
            LOG.warning(config.name() + ": staged slot " + staged + " failed verification at reset: " + v.reason());
            verificationLog.record(VerificationLog.Operation.COLD_RESET, staged, v.failure().orElseThrow());
        }
    }
}
