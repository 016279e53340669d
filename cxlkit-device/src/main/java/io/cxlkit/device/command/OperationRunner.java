package io.cxlkit.device.command;

import io.cxlkit.device.exec.SerialExecutor;
import io.cxlkit.device.clock.DeviceClock;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a device's operations, at most one at a time (device-behaviour.md §2). Real work goes to
 * the device's worker; completion waits for both the work and the modelled deadline (a clock
 * task), whichever comes last. All state is guarded by the device lock given at construction.
 */
public final class OperationRunner {

    /** Told when a background operation ends (completes, is aborted or dropped), under the lock. */
    public interface Listener {
        void backgroundEnded(Cci owner);
    }

    private static final Logger LOG = Logger.getLogger(OperationRunner.class.getName());
    private static final BackgroundOperationStatus NO_STATUS =
            new BackgroundOperationStatus(false, 0, Opcode.of(0), 0, 0);

    private final Object lock;
    private final DeviceClock clock;
    private final SerialExecutor worker;
    private final Listener listener;
    private final Map<Cci, BackgroundOperationStatus> lastStatus = new EnumMap<>(Cci.class);
    private Operation running;
    private DeviceClock.Scheduled deadlineTask;

    public OperationRunner(Object lock, DeviceClock clock, SerialExecutor worker, Listener listener) {
        this.lock = lock;
        this.clock = clock;
        this.worker = worker;
        this.listener = listener;
    }

    public boolean busy() {
        return running != null;
    }

    /**
     * Starts {@code op}; the caller holds the lock and has checked {@link #busy()}. The real work
     * goes to the worker, except quick work of a zero-duration operation: then the returned task,
     * which the caller runs once it has released the lock, runs the work on the caller's thread if
     * the worker is idle (else queues it), keeping the worker's one-at-a-time order. Null when
     * there is nothing left to do.
     *
     * @param abortable whether 0005h may stop it: the command table's CEL bit 8, stated there once
     */
    public Runnable start(Operation op, boolean abortable) {
        if (running != null) {
            throw new IllegalStateException("an operation is already running");
        }
        running = op;
        op.abortable = abortable;
        op.startNanos = clock.nanoTime();
        if (op.durationNanos() <= 0) {
            op.deadlineReached = true;
        } else {
            // Completion may commit files, so it runs on the worker, never on the clock's thread.
            deadlineTask = clock.schedule(op.deadlineNanos(), () -> worker.execute(() -> {
                synchronized (lock) {
                    op.deadlineReached = true;
                    maybeComplete(op);
                }
            }));
        }
        Runnable work = () -> runWork(op);
        if (op.quick() && op.durationNanos() <= 0 && !op.background()) {
            return () -> {
                if (!worker.tryRunHere(work)) {
                    worker.execute(work);
                }
            };
        }
        worker.execute(work);
        return null;
    }

    private void runWork(Operation op) {
        synchronized (lock) {
            if (op.state != Operation.State.RUNNING) {
                return; // aborted or dropped before its work began: its cancel has run already
            }
        }
        Object result = null;
        Throwable failure = null;
        try {
            result = op.work().get();
        } catch (Throwable e) {
            // also Errors: an operation that never completes would leave the device busy for good
            failure = e;
        }
        synchronized (lock) {
            op.workResult = result;
            op.workFailure = failure;
            op.workDone = true;
            maybeComplete(op);
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }

    private void maybeComplete(Operation op) {
        if (op.state != Operation.State.RUNNING || !op.workDone || !op.deadlineReached) {
            return;
        }
        ReturnCode rc;
        try {
            rc = op.applyCompletion();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "operation " + op.opcode() + " failed: " + e, e);
            try {
                op.cancel();
            } catch (RuntimeException | Error again) {
                LOG.log(Level.FINE, "cleanup after the failure failed too", again);
            }
            rc = ReturnCode.INTERNAL_ERROR;
        }
        op.state = Operation.State.COMPLETED;
        end(op, 100, rc);
    }

    /**
     * 0005h from {@code cci}: abort the running operation if that CCI owns it and it is abortable.
     * An operation whose completion instant has passed completes first (then 0000h): its effects
     * (a slot commit: a rename and a directory fsync) are file work, so it completes on the worker
     * and the answer waits for it outside the lock.
     */
    public Outcome requestAbort(Cci cci) {
        Operation op = running;
        if (op == null || op.owner() != cci || !op.background()) {
            return Outcome.done(ReturnCode.SUCCESS);
        }
        if (op.workDone && clock.nanoTime() >= op.deadlineNanos()) {
            worker.execute(() -> {
                synchronized (lock) {
                    op.deadlineReached = true;
                    maybeComplete(op);
                }
            });
            return new Outcome.After(op.result(), CommandResponse.of(ReturnCode.SUCCESS));
        }
        if (!op.abortable()) {
            return Outcome.done(ReturnCode.REQUEST_ABORT_NOT_SUPPORTED);
        }
        int pct = Math.min(op.percentAt(clock.nanoTime()), 99);
        op.state = Operation.State.ABORTED;
        op.cancel();
        end(op, pct, ReturnCode.ABORTED);
        return Outcome.done(ReturnCode.SUCCESS);
    }

    /** A reset drops the running operation without effect and zeroes every CCI's status. */
    public void dropForReset() {
        Operation op = running;
        if (op != null) {
            op.state = Operation.State.DROPPED;
            op.cancel();
            end(op, 0, ReturnCode.INTERRUPTED);
        }
        lastStatus.clear();
    }

    private void end(Operation op, int percent, ReturnCode returnCode) {
        if (deadlineTask != null) {
            deadlineTask.cancel();
            deadlineTask = null;
        }
        running = null;
        if (op.background()) {
            lastStatus.put(op.owner(), new BackgroundOperationStatus(false, percent, op.opcode(), returnCode.value(), 0));
            listener.backgroundEnded(op.owner());
        }
        op.finish(returnCode);
    }

    /** What this CCI reports: its running background operation, else its last result (zeros if none). */
    public BackgroundOperationStatus statusFor(Cci cci) {
        Operation op = running;
        if (op != null && op.owner() == cci && op.background()) {
            return new BackgroundOperationStatus(true, op.percentAt(clock.nanoTime()), op.opcode(), 0, 0);
        }
        return lastStatus.getOrDefault(cci, NO_STATUS);
    }
}
