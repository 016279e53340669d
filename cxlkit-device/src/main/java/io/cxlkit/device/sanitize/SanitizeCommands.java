package io.cxlkit.device.sanitize;

import io.cxlkit.device.command.Operation;
import io.cxlkit.device.command.OperationRunner;
import io.cxlkit.device.command.Outcome;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.event.EventLogs;
import io.cxlkit.device.label.LabelCommands;
import io.cxlkit.device.media.MediaErase;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.SecurityState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Sanitize (4400h), Secure Erase (4401h) and Get Security State (4500h), memdev-commands.md §9,
 * and the Sanitize pending state that makes media disabled (§2.4). Handlers run under the device
 * lock; the erasing itself is the real work of an {@link Operation}, on the device's worker,
 * outside the lock.
 *
 * <p>Sanitize: the check (the {@code media-disabled} fault: 0007h) and the start happen under the
 * lock; media is disabled from that instant (queued Set LSA writes see it when they are due and are
 * refused). The work first persists the {@link SanitizeMark} and only then lets the command answer;
 * then it zeroes the media ({@link MediaErase#sanitizeMedia()}) and the LSA (on the state writer,
 * behind every Set LSA that was accepted before). The completion, under the lock at the completion
 * instant, empties the event logs (handles keep counting), discards the Scan Media results and
 * deletes the mark, last. Abort, a reset, a restart or a failed step leave the mark: media stays
 * disabled until a Sanitize completes.
 */
public final class SanitizeCommands {

    private static final Logger LOG = Logger.getLogger(SanitizeCommands.class.getName());

    private final DeviceConfig config;
    private final Object lock;
    private final OperationRunner runner;
    private final BooleanSupplier mediaDisabledFault;
    private final SanitizeMark mark;
    private final MediaErase media;
    private final LabelCommands labels;
    private final EventLogs eventLogs;
    private final Runnable statusChanged;
    /** A Sanitize was accepted and has not completed: media is disabled. Guarded by {@code lock}. */
    private boolean pending;
    /** Whether the mark is on disk (as far as this device wrote it). Guarded by {@code lock}. */
    private boolean markOnDisk;

    /**
     * @param mediaDisabledFault whether the {@code media-disabled} fault is active, read under the lock
     * @param media              the media model's erase side ({@link MediaErase#NONE} without one)
     * @param labels             the LSA, which a Sanitize zeroes
     * @param statusChanged      re-evaluates the health statuses, adding the records of their changes
     */
    public SanitizeCommands(DeviceConfig config, Object lock, OperationRunner runner,
                            BooleanSupplier mediaDisabledFault, SanitizeMark mark, MediaErase media,
                            LabelCommands labels, EventLogs eventLogs, Runnable statusChanged) {
        this.config = config;
        this.lock = lock;
        this.runner = runner;
        this.mediaDisabledFault = mediaDisabledFault;
        this.mark = mark;
        this.media = media;
        this.labels = labels;
        this.eventLogs = eventLogs;
        this.statusChanged = statusChanged;
        this.markOnDisk = mark.present(); // a restart with the mark: media disabled (§11)
        this.pending = markOnDisk;
    }

    /** Whether a Sanitize is pending (accepted, not completed): media is disabled. Under the lock. */
    public boolean pending() {
        return pending;
    }

    /** 4500h: no passphrase, unlocked, not frozen (00000000h). */
    public Outcome getSecurityState(Cci cci, ByteBuffer in, int maxOut) {
        return Outcome.Done.success(SecurityState.NONE.encode());
    }

    // ---- Sanitize (4400h) ----

    /** One Sanitize's progress, guarded by the device lock. */
    private static final class Attempt {
        /** The work has begun writing the mark: from then on the mark is (or may be) on disk. */
        boolean markBegun;
        /** Aborted, dropped or failed: the work stops at its next step, and no completion follows. */
        boolean cancelled;
    }

    /**
     * 4400h. Check: the {@code media-disabled} fault: 0007h (a pending Sanitize is no reason to
     * refuse: another Sanitize is the way out of it). The dispatcher has refused it with 0006h
     * while an operation runs (it is Background-flagged).
     */
    public Outcome sanitize(Cci cci, ByteBuffer in, int maxOut) {
        if (mediaDisabledFault.getAsBoolean()) {
            return Outcome.done(ReturnCode.MEDIA_DISABLED);
        }
        pending = true; // media disabled from now on; the device re-evaluates the statuses after dispatch
        Attempt attempt = new Attempt();
        CompletableFuture<ReturnCode> accepted = new CompletableFuture<>();
        long duration = config.timing().sanitizeNanos(config.totalCapacity());
        Operation op = new Operation(cci, CommandId.SANITIZE.opcode(), duration > 0, duration,
                () -> work(attempt, accepted),
                result -> complete(),
                () -> cancelled(attempt, accepted));
        return new Outcome.Started(op.answeredOnce(accepted));
    }

    /** The real work, on the worker, outside the lock: the mark, then the media, then the LSA. */
    private Object work(Attempt attempt, CompletableFuture<ReturnCode> accepted) {
        synchronized (lock) {
            if (attempt.cancelled) {
                return null;
            }
            attempt.markBegun = true;
        }
        try {
            mark.persist();
            synchronized (lock) {
                markOnDisk = true;
            }
            accepted.complete(ReturnCode.SUCCESS); // the command may answer now: the mark is durable
        } catch (IOException | UncheckedIOException e) {
            LOG.warning(config.name() + ": the Sanitize pending mark could not be written: " + e);
            synchronized (lock) {
                // a failed write may still have renamed the mark into place: what is on disk decides
                markOnDisk = mark.present();
                pending = markOnDisk;
                statusChanged.run();
            }
            accepted.complete(ReturnCode.INTERNAL_ERROR);
            throw unchecked(e);
        } finally {
            // a no-op once completed; otherwise an Error (a simulated crash) is on its way up
            accepted.complete(ReturnCode.INTERNAL_ERROR);
        }
        try {
            media.sanitizeMedia();
            if (stopped(attempt)) {
                return null;
            }
            // on the state writer: Set LSA writes accepted before this Sanitize land first, later
            // ones are refused (media disabled), so none lands after the zeros
            labels.zero().join();
        } catch (IOException | UncheckedIOException e) {
            throw unchecked(e);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return null;
    }

    private boolean stopped(Attempt attempt) {
        synchronized (lock) {
            return attempt.cancelled;
        }
    }

    /** The completion instant, under the lock: logs, Scan Media results, then the mark, last. */
    private ReturnCode complete() {
        eventLogs.emptyKeepingHandles();
        media.discardScanResults();
        try {
            mark.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the operation fails (0004h); the mark stays pending
        }
        markOnDisk = false;
        pending = false;
        statusChanged.run(); // a zero-duration Sanitize completes outside any background end
        LOG.info(config.name() + ": sanitize completed");
        return ReturnCode.SUCCESS;
    }

    /**
     * Aborted (0005h), dropped (a reset or power-off) or failed, under the lock. Once the mark's
     * write has begun the Sanitize stays pending; before that nothing was written, so the state is
     * what it was before this Sanitize, and a command still waiting answers 0018h.
     */
    private void cancelled(Attempt attempt, CompletableFuture<ReturnCode> accepted) {
        attempt.cancelled = true;
        if (!attempt.markBegun) {
            pending = markOnDisk;
            statusChanged.run();
            accepted.complete(ReturnCode.INTERRUPTED);
        }
    }

    // ---- Secure Erase (4401h) ----

    /**
     * 4401h. Checks: 1. media disabled (the fault, or a pending Sanitize): 0007h; 2. an operation
     * running (cxlkit's decision: the erase is media work, never run beside another operation's):
     * 0006h. Then an operation with no modelled time whose real work is the erase, which the
     * command waits for (within the foreground budget, as every zero-duration operation).
     */
    public Outcome secureErase(Cci cci, ByteBuffer in, int maxOut) {
        if (mediaDisabledFault.getAsBoolean() || pending) {
            return Outcome.done(ReturnCode.MEDIA_DISABLED);
        }
        if (runner.busy()) {
            return Outcome.done(ReturnCode.BUSY);
        }
        return new Outcome.Started(new Operation(cci, CommandId.SECURE_ERASE.opcode(), false, 0,
                () -> {
                    try {
                        media.secureEraseMedia();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                },
                result -> ReturnCode.SUCCESS,
                () -> { }));
    }

    private static RuntimeException unchecked(Exception e) {
        return e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
}
