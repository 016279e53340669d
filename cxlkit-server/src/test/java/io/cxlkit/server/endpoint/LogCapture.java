package io.cxlkit.server.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** A private logger for one endpoint under test, keeping every record so tests can wait for and count lines. */
final class LogCapture extends Handler {

    private final Logger logger = Logger.getAnonymousLogger();
    private final List<LogRecord> records = new ArrayList<>();

    LogCapture() {
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    Logger logger() {
        return logger;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
        notifyAll();
    }

    /** Waits (without polling) for a record matching {@code p}; fails after {@code timeout}. */
    synchronized LogRecord await(Predicate<LogRecord> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (LogRecord r : records) {
                if (p.test(r)) {
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no log record matched within " + timeout + "; got: " + lines());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits for a record whose message contains every one of {@code parts}. */
    LogRecord await(String... parts) throws InterruptedException {
        return await(r -> containsAll(r, parts), Duration.ofSeconds(10));
    }

    synchronized List<LogRecord> matching(Predicate<LogRecord> p) {
        List<LogRecord> out = new ArrayList<>();
        for (LogRecord r : records) {
            if (p.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        for (LogRecord r : records) {
            out.add(r.getLevel() + " " + r.getMessage());
        }
        return out;
    }

    static boolean containsAll(LogRecord r, String... parts) {
        String m = r.getMessage();
        for (String part : parts) {
            if (m == null || !m.contains(part)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
