package io.cxlkit.device.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/**
 * An executor that queues tasks until the test runs them, so a test decides exactly when a
 * device's file work (or a mailbox command) happens. Tasks run on the calling thread, in
 * submission order; tasks submitted while running are queued behind.
 */
public final class ManualExecutor implements Executor {

    private final Deque<Runnable> queue = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
        queue.add(task);
    }

    /** Number of queued tasks. */
    public synchronized int pending() {
        return queue.size();
    }

    /** Runs the oldest queued task; false if there was none. */
    public boolean runNext() {
        Runnable next;
        synchronized (this) {
            next = queue.poll();
        }
        if (next == null) {
            return false;
        }
        next.run();
        return true;
    }

    /** Runs queued tasks until the queue is empty (including tasks they queue); returns how many ran. */
    public int runAll() {
        int n = 0;
        while (runNext()) {
            n++;
        }
        return n;
    }
}
