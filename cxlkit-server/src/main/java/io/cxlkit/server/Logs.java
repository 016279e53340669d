package io.cxlkit.server;

import java.time.Instant;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The daemon's log: one line per event on stderr, {@code TIME LEVEL message}, at the level of
 * {@code --log-level} (error, warn, info, debug). Stack traces only at debug level.
 */
public final class Logs {
    private Logs() {
    }

    public static Level parseLevel(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "error" -> Level.SEVERE;
            case "warn" -> Level.WARNING;
            case "info" -> Level.INFO;
            case "debug" -> Level.FINE;
            default -> throw new IllegalArgumentException("log level must be error, warn, info or debug, not '" + s + "'");
        };
    }

    /** Sends everything cxlkit logs to stderr at {@code level}, one line per record. */
    public static void configure(Level level) {
        Logger root = Logger.getLogger("io.cxlkit");
        root.setUseParentHandlers(false);
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler h = new ConsoleHandler();
        h.setLevel(level);
        h.setFormatter(new OneLine(level.intValue() <= Level.FINE.intValue()));
        root.addHandler(h);
        root.setLevel(level);
    }

    /**
     * The last line of defence: an exception that escapes a thread of the daemon is one error
     * line with its cause (its stack trace only at debug level), never the JVM's default trace.
     */
    public static void reportUncaughtExceptions() {
        Logger log = Logger.getLogger("io.cxlkit");
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> log.log(Level.SEVERE,
                "unexpected failure in thread " + thread.getName(), e));
    }

    static final class OneLine extends Formatter {
        private final boolean traces;

        OneLine(boolean traces) {
            this.traces = traces;
        }

        @Override
        public String format(LogRecord r) {
            StringBuilder b = new StringBuilder(128);
            b.append(Instant.ofEpochMilli(r.getMillis())).append(' ').append(label(r.getLevel())).append(' ')
                    .append(formatMessage(r).replace('\n', ' '));
            if (r.getThrown() != null) {
                b.append(": ").append(r.getThrown());
                if (traces) {
                    for (StackTraceElement e : r.getThrown().getStackTrace()) {
                        b.append("\n    at ").append(e);
                    }
                }
            }
            return b.append('\n').toString();
        }

        private static String label(Level l) {
            if (l.intValue() >= Level.SEVERE.intValue()) {
                return "error";
            }
            if (l.intValue() >= Level.WARNING.intValue()) {
                return "warn";
            }
            if (l.intValue() >= Level.INFO.intValue()) {
                return "info";
            }
            return "debug";
        }
    }
}
