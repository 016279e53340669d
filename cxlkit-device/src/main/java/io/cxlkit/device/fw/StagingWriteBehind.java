package io.cxlkit.device.fw;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts writing the staging file to disk while the transfer goes on: after every
 * {@link #INTERVAL_BYTES} written, an fdatasync runs on {@code flusher}, beside the next parts. End
 * still makes the file durable with its own fsync (nothing here is relied on for durability); it
 * just finds little left to write, instead of the whole package. At most one flush runs at a time;
 * a threshold reached meanwhile is skipped. Called by one thread at a time (the device's worker order).
 */
final class StagingWriteBehind {

    static final long INTERVAL_BYTES = 8L << 20;
    private static final Logger LOG = Logger.getLogger(StagingWriteBehind.class.getName());

    private final Executor flusher;
    private long sinceFlush;
    private volatile boolean flushing;

    StagingWriteBehind(Executor flusher) {
        this.flusher = flusher;
    }

    /** A new staging file: nothing written yet. */
    void begin() {
        sinceFlush = 0;
    }

    /** {@code length} more bytes went to {@code channel}. */
    void written(FileChannel channel, long length) {
        sinceFlush += length;
        if (sinceFlush < INTERVAL_BYTES || flushing) {
            return;
        }
        sinceFlush = 0;
        flushing = true;
        try {
            flusher.execute(() -> {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    // closed by a discard or a new staging, or a disk error End's own fsync will report
                    LOG.log(Level.FINE, "write-behind flush skipped", e);
                } finally {
                    flushing = false;
                }
            });
        } catch (RejectedExecutionException e) {
            flushing = false; // shutting down: End's fsync does it all
        }
    }
}
