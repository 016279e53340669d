package io.cxlkit.cli.update;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A SIGINT (Ctrl-C) handler for the span of a try-with-resources block; the previous handler
 * (the JVM's, which just exits) comes back when it closes. The action runs on the JVM's signal
 * thread, while the command's own thread may still be waiting on the daemon.
 */
final class SigintHandler implements AutoCloseable {

    /** The status a shell gives a process ended by SIGINT: 128 + 2. */
    static final int EXIT_STATUS = 130;

    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;

    private SigintHandler(SignalHandler previous) {
        this.previous = previous;
    }

    static SigintHandler install(Runnable action) {
        return new SigintHandler(Signal.handle(INT, s -> action.run()));
    }

    @Override
    public void close() {
        Signal.handle(INT, previous);
    }
}
