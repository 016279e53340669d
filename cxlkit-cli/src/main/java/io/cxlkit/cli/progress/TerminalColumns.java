package io.cxlkit.cli.progress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The width of the terminal that stderr is on, in columns. Java cannot ask a terminal (that is an
 * ioctl), so {@code bin/cxlkit} runs {@code stty size} on stderr for {@code update-firmware} when
 * stderr is a terminal and passes the width as {@code -Dcxlkit.columns=N}; without it (the jar run
 * directly) {@code $COLUMNS} counts, then 80.
 *
 * <p>{@link #watch} keeps it current: on SIGWINCH (the terminal was resized) it runs
 * {@code stty size} on stderr again, in the background, one at a time.
 */
public final class TerminalColumns implements IntSupplier, AutoCloseable {

    public static final String PROPERTY = "cxlkit.columns";
    static final int DEFAULT = 80;
    private static final Signal WINCH = new Signal("WINCH");

    private volatile int columns;
    private final AtomicBoolean asking = new AtomicBoolean();
    private final SignalHandler previous;

    private TerminalColumns(int columns, boolean watch) {
        this.columns = columns;
        this.previous = watch ? handleResizes() : null;
    }

    /** The handler SIGWINCH had, or null when this JVM will not let it be handled (say, under -Xrs). */
    private SignalHandler handleResizes() {
        try {
            return Signal.handle(WINCH, s -> resized());
        } catch (IllegalArgumentException e) {
            return null; // the width then stays as it was at the start
        }
    }

    /** A fixed width (tests). */
    public static TerminalColumns fixed(int columns) {
        return new TerminalColumns(columns, false);
    }

    /** The width as this process was started with, updated on every resize until {@link #close}. */
    public static TerminalColumns watch() {
        return new TerminalColumns(initial(System.getProperties(), System.getenv()), true);
    }

    /** {@code cxlkit.columns}, else {@code COLUMNS}, else 80; only a positive number counts. */
    static int initial(Properties properties, Map<String, String> env) {
        for (String value : new String[] {properties.getProperty(PROPERTY), env.get("COLUMNS")}) {
            int n = positive(value);
            if (n > 0) {
                return n;
            }
        }
        return DEFAULT;
    }

    /** The columns of {@code stty size}'s {@code ROWS COLUMNS}; 0 if it is not that. */
    static int fromSttySize(String output) {
        String[] parts = output.trim().split("\\s+");
        return parts.length == 2 && parts[0].matches("[0-9]+") ? positive(parts[1]) : 0;
    }

    private static int positive(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(Integer.parseInt(value.trim()), 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public int getAsInt() {
        return columns;
    }

    /** On the signal's thread: asks the terminal again, unless an answer is on its way. */
    private void resized() {
        if (!asking.compareAndSet(false, true)) {
            return;
        }
        try {
            int n = sttyColumns();
            if (n > 0) {
                columns = n;
            }
        } finally {
            asking.set(false);
        }
    }

    /**
     * {@code stty size} of the terminal stderr is on: the child's stderr is this process's, and
     * the shell makes it stty's input; its own complaints go nowhere. 0 when it cannot tell.
     */
    private static int sttyColumns() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "exec stty size <&2 2>/dev/null")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readNBytes(64), StandardCharsets.US_ASCII);
            }
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return 0;
            }
            return p.exitValue() == 0 ? fromSttySize(output) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Gives SIGWINCH back to the handler before {@link #watch}. */
    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(WINCH, previous);
        }
    }
}
