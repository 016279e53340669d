package io.cxlkit.server.endpoint;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound on open connections (wire.md §1, {@code --max-connections}). One instance may be shared by
 * several listeners so the bound holds across all of them; {@link CciEndpoint#start(java.net.SocketAddress,
 * java.util.List, int)} gives each listener its own. Thread-safe.
 */
public final class ConnectionLimit {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    private ConnectionLimit(int max) {
        this.max = max;
    }

    /** A bound of {@code max} connections (at least 1). */
    public static ConnectionLimit of(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the connection limit must be at least 1, got " + max);
        }
        return new ConnectionLimit(max);
    }

    public int max() {
        return max;
    }

    /** Connections counted now, over every listener sharing this limit. */
    public int open() {
        return open.get();
    }

    /** Counts one more connection unless the bound is reached. */
    boolean tryAcquire() {
        while (true) {
            int n = open.get();
            if (n >= max) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** A connection counted by {@link #tryAcquire()} has ended. */
    void release() {
        open.decrementAndGet();
    }

    @Override
    public String toString() {
        return open() + "/" + max + " connections";
    }
}
