package io.cxlkit.server.endpoint;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * One listener's bound on a frame that starts and stops arriving: closes each connection whose partial frame
 * has waited for its next byte longer than the stall timeout ({@link CciConnection#closeIfStalled}).
 *
 * <p>Why a thread of its own rather than reads with a timeout on the connections' threads: a timed read
 * costs the hot path system calls (the socket adaptor's timeout switches the channel to non-blocking mode
 * and polls, on every read; a selector per connection adds a poll per round trip and two descriptors), and
 * a Unix domain channel has no socket adaptor at all. With the watchdog the connections keep their plain
 * blocking reads and publish only their phase and one timestamp per round trip.
 *
 * <p>It sleeps until the earliest deadline among the waiting frames, at most one stall timeout: a frame that
 * begins to wait after a look has its deadline at least a stall timeout after it. So a stalled connection is
 * closed at its deadline plus scheduling delay, and an endpoint with no partial frame wakes once per timeout.
 */
final class StallWatchdog implements Runnable {

    private final Collection<CciConnection> connections;
    private final long stallNanos;
    private final Thread thread;
    private final Object wake = new Object();
    /** Guarded by {@link #wake}. */
    private boolean stopped;

    StallWatchdog(Collection<CciConnection> connections, long stallNanos, String threadName) {
        this.connections = connections;
        this.stallNanos = stallNanos;
        this.thread = new Thread(this, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    /** Ends the thread soon (it is never interrupted: it only waits on its own monitor). */
    void stop() {
        synchronized (wake) {
            stopped = true;
            wake.notifyAll();
        }
    }

    @Override
    public void run() {
        while (true) {
            long next = stallNanos;
            long now = System.nanoTime();
            for (CciConnection c : connections) { // a concurrent set: sees connections added during the look or not
                next = Math.min(next, c.closeIfStalled(now, stallNanos));
            }
            synchronized (wake) {
                if (stopped) {
                    return;
                }
                try {
                    // +1: wake at or just after the deadline, never just before it
                    wake.wait(TimeUnit.NANOSECONDS.toMillis(next) + 1);
                } catch (InterruptedException e) {
                    return; // nobody interrupts it; if someone does, the JVM is going away
                }
            }
        }
    }
}
