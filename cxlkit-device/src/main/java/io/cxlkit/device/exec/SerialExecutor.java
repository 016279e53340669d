package io.cxlkit.device.exec;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in submission order, on threads borrowed from a shared pool: a
 * device's worker without a dedicated thread, so a thousand devices do not need a thousand idle
 * threads. {@link #tryRunHere} lets a caller that would only wait for a short task run it itself,
 * saving two thread hand-offs, without breaking the one-at-a-time order.
 */
public final class SerialExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /**
     * Queues {@code task} behind the ones submitted before. Once the pool is shut down (the
     * daemon is stopping) the queued tasks run on the submitting thread instead, still one at a
     * time and in order: a staging discard or a completion must not be lost on the way out.
     */
    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        startDraining();
    }

    private void startDraining() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drain();
        }
    }

    /**
     * Runs {@code task} on the calling thread if nothing is queued or running, and returns true;
     * otherwise returns false and runs nothing (the caller then {@link #execute}s it, behind the
     * tasks submitted before). Tasks submitted while it runs wait for it, as on the pool.
     */
    public boolean tryRunHere(Runnable task) {
        synchronized (tasks) {
            if (running) {
                return false;
            }
            running = true;
        }
        try {
            task.run();
        } finally {
            boolean more;
            synchronized (tasks) {
                more = !tasks.isEmpty();
                running = more;
            }
            if (more) {
                startDraining();
            }
        }
        return true;
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // keep draining: a task that dies must not stall every task queued behind it. One
                // line, with the cause: nothing the daemon does prints a stack trace.
                LOG.severe("a device worker task failed: " + e);
            }
        }
    }
}
