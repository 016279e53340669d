package io.cxlkit.device.command;

import io.cxlkit.device.exec.SerialExecutor;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.ReturnCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * A device's state writer: runs the file work of commands that must persist their change before
 * they answer (Set LSA, Set Partition Info), one task at a time in submission order, on threads
 * borrowed from the device pool. It is not the device's worker: a Set LSA never waits behind a
 * firmware package's verification, which can take seconds (docs/capacity-and-labels.md).
 */
public final class StateWriter {

    /** One change to make durable: returns the command's return code once it has landed. */
    @FunctionalInterface
    public interface Write {
        ReturnCode run() throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(StateWriter.class.getName());

    private final String deviceName;
    private final SerialExecutor lane;
    private final Object count = new Object();
    /** Tasks queued or running. Guarded by {@code count}. */
    private int inFlight;

    public StateWriter(String deviceName, SerialExecutor lane) {
        this.deviceName = deviceName;
        this.lane = lane;
    }

    /**
     * Queues {@code write}; the command answers with its return code once it has run, or 0004h
     * Internal Error if it failed (an I/O error; the change may then be in neither place).
     */
    public Outcome.Awaiting submit(String what, Write write) {
        CompletableFuture<CommandResponse> answer = new CompletableFuture<>();
        run(() -> {
            ReturnCode rc = ReturnCode.INTERNAL_ERROR;
            try {
                rc = write.run();
            } catch (IOException | UncheckedIOException e) {
                LOG.warning(deviceName + ": " + what + " failed: " + e);
            } finally {
                // also when an Error (a simulated crash) goes on up: the command never waits forever
                answer.complete(CommandResponse.of(rc));
            }
        });
        return new Outcome.Awaiting(answer);
    }

    /** Queues work that follows a write but need not delay its answer (e.g. a journal checkpoint). */
    public void later(Runnable task) {
        run(task);
    }

    private void run(Runnable task) {
        synchronized (count) {
            inFlight++;
        }
        lane.execute(() -> {
            try {
                task.run();
            } finally {
                synchronized (count) {
                    inFlight--;
                    count.notifyAll();
                }
            }
        });
    }

    /**
     * Waits until every queued task has run, then runs {@code last} in the writer's order: what a
     * closing device does, so that no write of it lands after its close returned. Call it without
     * the device lock, which the tasks take.
     */
    public void drainThen(Runnable last) {
        boolean interrupted = false;
        synchronized (count) {
            while (inFlight > 0) {
                try {
                    count.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        try {
            last.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
