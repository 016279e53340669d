package io.cxlkit.device.clock;

/**
 * The device's only source of time (device-behaviour.md §7). The daemon uses {@link SystemClock};
 * tests use {@link VirtualClock}, whose {@code advance} runs due tasks in deadline order, so no
 * test sleeps. Background completion, notifications and transfer expiry are scheduled tasks.
 */
public interface DeviceClock {

    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** Nanoseconds since 1970-01-01 UTC. */
    long wallTimeNanos();

    /**
     * Runs {@code task} once {@link #nanoTime()} reaches {@code deadlineNanos}. Tasks with equal
     * deadlines run in the order they were scheduled. The task must not block for long.
     */
    Scheduled schedule(long deadlineNanos, Runnable task);

    /** A scheduled task that can be withdrawn. */
    interface Scheduled {
        /** Withdraws the task if it has not started; harmless afterwards. */
        void cancel();
    }
}
