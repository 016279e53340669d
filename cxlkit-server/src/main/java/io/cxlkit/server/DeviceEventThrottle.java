package io.cxlkit.server;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Paces one memdev's {@code device} events. Building one costs the host driver two mailbox
 * commands, and during an upload the device's state changes with every part, thousands of times
 * a second: a view per change would double the mailbox traffic of the upload it reports on. So
 * changes are coalesced: at most one build per {@link #INTERVAL_NANOS}, builds never overlap,
 * and a build reads the state when it runs, so the last change is always reported.
 */
final class DeviceEventThrottle {

    /** Ten events a second at most, like upload progress (wire.md §3). */
    static final long INTERVAL_NANOS = 100_000_000L;

    /** Runs a task after a delay (the daemon's timer; a manual one in tests). */
    interface Timer {
        void runAfter(long delayNanos, Runnable task);
    }

    private final Runnable build;
    private final Executor pool;
    private final Timer timer;
    private final LongSupplier nanoTime;
    private final Object building = new Object();
    private boolean pending;
    private long lastStart;
    private boolean started;

    /**
     * @param build builds and publishes the memdev's view; runs on {@code pool}, one at a time
     */
    DeviceEventThrottle(Runnable build, Executor pool, Timer timer, LongSupplier nanoTime) {
        this.build = build;
        this.pool = pool;
        this.timer = timer;
        this.nanoTime = nanoTime;
    }

    /** The memdev's state changed: a build follows, now or once the interval since the last one is over. */
    void changed() {
        long wait;
        synchronized (this) {
            if (pending) {
                return; // the build already on its way reads this change too
            }
            pending = true;
            wait = started ? lastStart + INTERVAL_NANOS - nanoTime.getAsLong() : 0;
        }
        if (wait <= 0) {
            pool.execute(this::run);
        } else {
            timer.runAfter(wait, () -> pool.execute(this::run));
        }
    }

    private void run() {
        synchronized (building) {
            synchronized (this) {
                // from here on a change needs a build of its own: this one may have read the state already
                pending = false;
                started = true;
                lastStart = nanoTime.getAsLong();
            }
            build.run();
        }
    }
}
