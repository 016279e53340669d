package io.cxlkit.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * Captures {@link System#out} while open: the bytes a command writes to standard output for
 * {@code -o -} go there, not through picocli's text writer that {@link Cli} captures.
 */
public final class StdoutCapture implements AutoCloseable {

    private final PrintStream previous = System.out;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    public StdoutCapture() {
        System.setOut(new PrintStream(bytes, true));
    }

    public byte[] bytes() {
        System.out.flush();
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        System.setOut(previous);
    }
}
