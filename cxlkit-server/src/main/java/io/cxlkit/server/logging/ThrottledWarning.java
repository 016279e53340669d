package io.cxlkit.server.logging;

import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * A warning that a client can make the daemon repeat as fast as it likes (a refused connection
 * retried in a loop): at most one line per interval, the first at once, and the next one says how
 * many like it were left out meanwhile. A flood is visible in the log without being the log.
 * Thread-safe.
 */
public final class ThrottledWarning {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long lastLogged;
    private boolean logged;
    private long leftOut;

    public ThrottledWarning(Logger log, long intervalNanos, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
    }

    /** One line a second at most. */
    public ThrottledWarning(Logger log) {
        this(log, 1_000_000_000L, System::nanoTime);
    }

    /** Logs {@code line} unless a line was logged less than an interval ago; then it only counts it. */
    public void warning(String line) {
        String out;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (logged && now - lastLogged < intervalNanos) {
                leftOut++;
                return;
            }
            out = leftOut == 0 ? line : line + " (and " + leftOut + " more like it since the last such line)";
            logged = true;
            lastLogged = now;
            leftOut = 0;
        }
        log.warning(out);
    }
}
