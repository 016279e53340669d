package io.cxlkit.cli;

import java.util.Properties;

/**
 * Whether stdout and stderr are terminals. Java 17 cannot tell, so {@code bin/cxlkit}
 * tests {@code [ -t 1 ]} and {@code [ -t 2 ]} and passes the answers as the system properties
 * {@code cxlkit.stdout.tty} and {@code cxlkit.stderr.tty} ({@code true}/{@code false};
 * absent means {@code false}, e.g. when the jar is run directly).
 */
public record Terminal(boolean stdoutTty, boolean stderrTty) {

    public static final String STDOUT_TTY = "cxlkit.stdout.tty";
    public static final String STDERR_TTY = "cxlkit.stderr.tty";

    /** Read from the JVM's system properties. */
    public static Terminal current() {
        return from(System.getProperties());
    }

    /** Read from the given properties; a value counts as true only if it is {@code true} (any case). */
    public static Terminal from(Properties properties) {
        return new Terminal(
                Boolean.parseBoolean(properties.getProperty(STDOUT_TTY)),
                Boolean.parseBoolean(properties.getProperty(STDERR_TTY)));
    }
}
