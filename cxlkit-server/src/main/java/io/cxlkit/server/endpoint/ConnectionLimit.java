package io.cxlkit.server.endpoint;

import java.util.HashSet;
import java.util.Set;

/**
 * The bound on open connections (wire.md §1, {@code --max-connections}). One instance may be shared by
 * several listeners so the bound holds across all of them; {@link CciEndpoint#start(java.net.SocketAddress,
 * java.util.List, int)} gives each listener its own. Thread-safe.
 *
 * <p>It keeps the registry of the connections it counts, so that at the bound it can make room for a
 * newcomer: it evicts the connection that has waited longest at a frame boundary. Choosing the victim and
 * counting the newcomer in are one step under its lock, so two listeners' acceptors never evict for the same
 * room or admit beyond the bound. A newcomer is refused only when every counted connection is in the middle
 * of a frame or of a command (a stalled frame frees its room after the stall timeout).
 */
public final class ConnectionLimit {

    /** What {@link #admit} did: refused, or admitted, having evicted {@code evicted} (if not null) to make room. */
    record Admission(boolean admitted, CciConnection evicted) {
        static final Admission REFUSED = new Admission(false, null);
        static final Admission ROOM = new Admission(true, null);
    }

    private final int max;
    /** Guarded by this. */
    private final Set<CciConnection> counted = new HashSet<>();

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
    public synchronized int open() {
        return counted.size();
    }

    /**
     * Counts {@code newcomer} in. At the bound it first evicts the connection idle longest (marked closed
     * here; the caller closes its channel, outside its own locks, with {@link CciConnection#shutdown()}); with
     * none idle, it refuses.
     */
    synchronized Admission admit(CciConnection newcomer) {
        CciConnection victim = null;
        if (counted.size() >= max) {
            victim = evictIdlest();
            if (victim == null) {
                return Admission.REFUSED;
            }
            counted.remove(victim); // its room is the newcomer's now, though its thread is still ending
        }
        counted.add(newcomer);
        return victim == null ? Admission.ROOM : new Admission(true, victim);
    }

    /** The connection waiting longest at a frame boundary, evicted; null when none waits there. */
    private CciConnection evictIdlest() {
        while (true) {
            long now = System.nanoTime();
            CciConnection idlest = null;
            long longest = -1;
            for (CciConnection c : counted) {
                long idle = c.idleNanos(now);
                if (idle > longest) {
                    longest = idle;
                    idlest = c;
                }
            }
            if (idlest == null || idlest.evict(now)) {
                return idlest;
            }
            // bytes arrived for it since the look: look again (it is busy now)
        }
    }

    /** Connections waiting at a frame boundary now, the ones a newcomer may evict (for tests). */
    synchronized int waiting() {
        long now = System.nanoTime();
        return (int) counted.stream().filter(c -> c.idleNanos(now) >= 0).count();
    }

    /** {@code connection}'s thread is ending; nothing if it was evicted (it no longer counts). */
    synchronized void release(CciConnection connection) {
        counted.remove(connection);
    }

    @Override
    public String toString() {
        return open() + "/" + max + " connections";
    }
}
