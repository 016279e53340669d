package io.cxlkit.device.clock;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A clock that moves only when told to. {@link #advance(Duration)} runs every task whose deadline
 * falls within the step, in deadline order (ties in scheduling order), with {@link #nanoTime()}
 * set to each task's deadline while it runs. Tasks scheduled by tasks run in the same step if due.
 */
public final class VirtualClock implements DeviceClock {

    /** Wall time at virtual nano 0: 2026-01-01T00:00:00Z, an arbitrary fixed instant. */
    public static final long DEFAULT_EPOCH_NANOS = 1_767_225_600_000_000_000L;

    private final long epochNanos;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long now;
    private long sequence;

    public VirtualClock() {
        this(DEFAULT_EPOCH_NANOS);
    }

    public VirtualClock(long epochNanos) {
        this.epochNanos = epochNanos;
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized long wallTimeNanos() {
        return epochNanos + now;
    }

    @Override
    public synchronized Scheduled schedule(long deadlineNanos, Runnable task) {
        Entry e = new Entry(deadlineNanos, sequence++, task);
        queue.add(e);
        return () -> {
            synchronized (VirtualClock.this) {
                e.cancelled = true;
                queue.remove(e);
            }
        };
    }

    /** Moves time forward by {@code step}, running due tasks on the calling thread. */
    public void advance(Duration step) {
        advanceTo(nanoTime() + step.toNanos());
    }

    /** Moves time forward to {@code target} (never backwards), running due tasks on the calling thread. */
    public void advanceTo(long target) {
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.deadline > target) {
                    now = Math.max(now, target);
                    return;
                }
                queue.poll();
                now = Math.max(now, next.deadline);
                if (next.cancelled) {
                    continue;
                }
            }
            next.task.run();
        }
    }

    /** Runs tasks that are due now without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Number of tasks waiting (cancelled ones excluded). */
    public synchronized int pendingTasks() {
        return queue.size();
    }

    private static final class Entry implements Comparable<Entry> {
        final long deadline;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;

        Entry(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
