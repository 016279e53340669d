package io.cxlkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Writes an upload's spool file on another thread while the request body is read, so that the
 * two overlap: the JDK's HTTP server hands the body over 8 KiB per system call (about 30 ms for
 * 32 MiB here), and the file writes would add another 8 ms after each other. Two buffers: one is
 * filled while the other is written. Not thread-safe: one reader drives it.
 */
final class SpoolWriter implements AutoCloseable {

    private final FileChannel out;
    private final Executor executor;
    private byte[] filling;
    private byte[] spare;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    SpoolWriter(FileChannel out, Executor executor, int bufferSize) {
        this.out = out;
        this.executor = executor;
        this.filling = new byte[bufferSize];
        this.spare = new byte[bufferSize];
    }

    /** The buffer to read the next piece of the body into. */
    byte[] buffer() {
        return filling;
    }

    /**
     * Queues {@code buffer()[0, n)} for writing after the pieces before it, and swaps buffers:
     * waits for the previous write first (and reports its failure).
     */
    void write(int n) throws IOException {
        awaitWritten();
        byte[] piece = filling;
        filling = spare;
        spare = piece;
        inFlight = CompletableFuture.runAsync(() -> {
            ByteBuffer b = ByteBuffer.wrap(piece, 0, n);
            try {
                while (b.hasRemaining()) {
                    out.write(b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }

    /** Waits until every queued piece is in the file; throws the first write's failure. */
    void awaitWritten() throws IOException {
        try {
            inFlight.join();
        } catch (CompletionException e) {
            inFlight = CompletableFuture.completedFuture(null);
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException("writing the spool file failed: " + e.getCause(), e.getCause());
        }
    }

    /** Waits for a write still running (its failure no longer matters), so the file can be closed or removed. */
    @Override
    public void close() {
        try {
            inFlight.join();
        } catch (CompletionException e) {
            // the body was refused or failed anyway
        }
    }
}
