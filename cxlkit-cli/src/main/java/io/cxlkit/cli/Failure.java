package io.cxlkit.cli;

import java.util.List;

/**
 * A command that failed in an expected way: its one-line messages (one per failed item) and its
 * exit status. {@link FailureHandler} prints each message as {@code cxlkit: <command>: <message>};
 * there is no stack trace, ever.
 */
public final class Failure extends RuntimeException {

    private final List<String> messages;
    private final int exitCode;

    /** Exit status 1 with one message. */
    public Failure(String message) {
        this(1, List.of(message));
    }

    public Failure(int exitCode, String message) {
        this(exitCode, List.of(message));
    }

    /** Several messages, printed one line each; none when they were printed already. */
    public Failure(int exitCode, List<String> messages) {
        super(messages.isEmpty() ? "failed" : messages.get(0), null, false, false);
        this.messages = List.copyOf(messages);
        this.exitCode = exitCode;
    }

    public List<String> messages() {
        return messages;
    }

    public int exitCode() {
        return exitCode;
    }
}
