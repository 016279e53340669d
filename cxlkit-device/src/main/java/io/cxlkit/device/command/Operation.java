package io.cxlkit.device.command;

import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A command that takes modelled time and/or real file work (device-behaviour.md §2). It completes
 * at max(start + modelled duration, end of its real work); its effects are applied then, by
 * {@code onComplete}, under the device lock. It may instead be aborted (0005h) or dropped (reset),
 * in which case {@code onCancel} undoes what the work prepared and no effect takes place.

 */
public final class Operation {

    public enum State { RUNNING, COMPLETED, ABORTED, DROPPED }

    private final Cci owner;
    private final Opcode opcode;
    private volatile boolean background;
    private final long durationNanos;
    private final Supplier<Object> work;
    private final Function<Object, ReturnCode> onComplete;
    private final Runnable onCancel;
    private final CompletableFuture<ReturnCode> result = new CompletableFuture<>();

    long startNanos;
    State state = State.RUNNING;
    boolean workDone;
    boolean deadlineReached;
    Object workResult;
    Throwable workFailure;
    boolean abortable;
    private boolean quick;
    private CompletableFuture<ReturnCode> answerGate;

    /**
     * @param background true if the command answers 0001h and runs in the background; false if the
     *                   CCI waits for the final return code (modelled duration zero)
     * @param work       the real work, run on the device's worker, outside the device lock
     * @param onComplete applies the effects at the completion instant and returns the final code
     * @param onCancel   run (under the lock) when the operation is aborted or dropped
     */
    public Operation(Cci owner, Opcode opcode, boolean background, long durationNanos,
                     Supplier<Object> work, Function<Object, ReturnCode> onComplete, Runnable onCancel) {
        this.owner = owner;
        this.opcode = opcode;
        this.background = background;
        this.durationNanos = durationNanos;
        this.work = work;
        this.onComplete = onComplete;
        this.onCancel = onCancel;
    }

    public Cci owner() {
        return owner;
    }

    public Opcode opcode() {
        return opcode;
    }

    public boolean abortable() {
        return abortable;
    }

    public boolean background() {
        return background;
    }

    /**
     * Turns a running zero-duration operation whose real work outlasts the foreground budget into
     * a background one (under the device lock): its CCI answers 0001h and its end is reported as a
     * background operation's.
     */
    public void promoteToBackground() {
        background = true;
    }

    /**
     * Marks the real work as short and bounded (a part written to the page cache, no fsync): with
     * zero modelled time the CCI's own thread may run it, since it would only wait for it anyway.
     */
    public Operation withQuickWork() {
        quick = true;
        return this;
    }

    boolean quick() {
        return quick;
    }

    /**
     * The command's answer waits, outside the device lock and without a time limit, for
     * {@code gate}: a step of the real work that must be durable before the command may answer
     * (Sanitize's pending mark, memdev-commands.md §9). The gate completes with 0000h when the
     * command may answer as it otherwise would (0001h, or its final code), or with the code it
     * answers instead (the step failed, or a reset dropped the operation before it ran). Whoever
     * builds the operation must complete the gate on every path, crashes included.
     */
    public Operation answeredOnce(CompletableFuture<ReturnCode> gate) {
        answerGate = gate;
        return this;
    }

    /** The gate set by {@link #answeredOnce}, or null. */
    public CompletableFuture<ReturnCode> answerGate() {
        return answerGate;
    }

    public long durationNanos() {
        return durationNanos;
    }

    public long deadlineNanos() {
        return startNanos + durationNanos;
    }

    public State state() {
        return state;
    }

    /** Completes with the final return code (also for aborted or dropped operations). */
    public CompletableFuture<ReturnCode> result() {
        return result;
    }

    /** floor(99 × elapsed / duration) while running (device-behaviour.md §2); 100 only at completion. */
    public int percentAt(long nowNanos) {
        if (state == State.COMPLETED) {
            return 100;
        }
        if (durationNanos <= 0) {
            return 0;
        }
        long elapsed = Math.max(0, Math.min(nowNanos - startNanos, durationNanos));
        return (int) (99 * (double) elapsed / durationNanos);
    }

    Supplier<Object> work() {
        return work;
    }

    ReturnCode applyCompletion() {
        if (workFailure instanceof RuntimeException e) {
            throw e;
        }
        if (workFailure != null) {
            throw new IllegalStateException("the operation's work failed: " + workFailure, workFailure);
        }
        return onComplete.apply(workResult);
    }

    void cancel() {
        onCancel.run();
    }

    void finish(ReturnCode returnCode) {
        result.complete(returnCode);
    }
}
