package io.cxlkit.device.label;

import io.cxlkit.device.command.Outcome;
import io.cxlkit.device.command.StateWriter;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.GetLsaRequest;
import io.cxlkit.protocol.payload.SetLsaRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Get LSA (4102h) and Set LSA (4103h), memdev-commands.md §6. The device holds the LSA's bytes
 * in memory (under its lock) for Get LSA; a Set LSA's bytes go to disk on the device's
 * {@link StateWriter}, outside the lock (after check 2 ran again under it, when the write is
 * due), and into memory once they have landed, and only then does the command answer. Handlers run under the device lock.
 */
public final class LabelCommands {

    private static final Logger LOG = Logger.getLogger(LabelCommands.class.getName());

    private final LabelStore store;
    private final int size;
    private final StateWriter writer;
    private final Object lock;
    private final BooleanSupplier mediaDisabled;
    /** The LSA's bytes, or null while they are all zeros (no LSA file). Guarded by {@code lock}. */
    private byte[] bytes;

    /** @param mediaDisabled memdev-commands.md §2.4's "media disabled", read under the lock */
    public LabelCommands(LabelStore store, StateWriter writer, Object lock, BooleanSupplier mediaDisabled)
            throws IOException {
        this.store = store;
        this.size = store.size();
        this.writer = writer;
        this.lock = lock;
        this.mediaDisabled = mediaDisabled;
        this.bytes = store.read();
    }

    public Outcome getLsa(Cci cci, ByteBuffer in, int maxOut) {
        GetLsaRequest req = GetLsaRequest.decode(in);
        // 1. beyond the LSA (32-bit fields: the sum cannot overflow a long)
        if (req.offset() + req.length() > size) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        // 2. more than this CCI can return
        if (req.length() > maxOut) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        // 3. media disabled
        if (mediaDisabled.getAsBoolean()) {
            return Outcome.done(ReturnCode.MEDIA_DISABLED);
        }
        byte[] out = new byte[(int) req.length()];
        if (bytes != null) {
            System.arraycopy(bytes, (int) req.offset(), out, 0, out.length);
        }
        return Outcome.Done.success(out);
    }

    public Outcome setLsa(Cci cci, ByteBuffer in, int maxOut) {
        SetLsaRequest req = SetLsaRequest.decode(in);
        // 1. beyond the LSA
        if (req.offset() + req.dataLength() > size) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        // 2. media disabled
        if (mediaDisabled.getAsBoolean()) {
            return Outcome.done(ReturnCode.MEDIA_DISABLED);
        }
        if (req.dataLength() == 0) {
            return Outcome.done(ReturnCode.SUCCESS); // nothing to store
        }
        int offset = (int) req.offset();
        byte[] data = new byte[req.dataLength()];
        req.data().get(data); // a copy: the CCI's buffer is reused for the next command
        Outcome.Awaiting answer = writer.submit("Set LSA", () -> {
            synchronized (lock) {
                // check 2 again, now that the write is due: media disabled since the command
                // arrived decides, and nothing is written (§2.1). Past this point the command has
                // taken effect, ordered before any later fault; its record is written outside the
                // lock, and Get LSA sees its bytes once they have landed.
                if (mediaDisabled.getAsBoolean()) {
                    return ReturnCode.MEDIA_DISABLED;
                }
            }
            try {
                store.write(offset, data);
            } catch (IOException | UncheckedIOException e) {
                reloadAfterFailedWrite(e);
                throw e;
            }
            synchronized (lock) {
                if (bytes == null) {
                    bytes = new byte[size];
                }
                System.arraycopy(data, 0, bytes, offset, data.length);
            }
            return ReturnCode.SUCCESS;
        });
        writer.later(this::checkpointIfDue); // after the answer: it need not wait for this
        return answer;
    }

    /**
     * A write failed part-way (0004h): it may have landed anyway (lsa.bin renamed into place, then
     * the directory's fsync failed). Get LSA must read what a restart would, so the bytes in memory
     * are reloaded from the files.
     */
    private void reloadAfterFailedWrite(Exception failure) {
        try {
            byte[] stored = store.read();
            synchronized (lock) {
                bytes = stored;
            }
        } catch (IOException | UncheckedIOException again) {
            failure.addSuppressed(again);
            LOG.warning("LSA could not be reloaded after a failed Set LSA: " + again);
        }
    }

    private void checkpointIfDue() {
        if (!store.checkpointDue()) {
            return;
        }
        try {
            store.checkpoint();
        } catch (IOException e) {
            // the journal still holds every Set: the next one tries again, a restart applies it
            LOG.warning("LSA checkpoint failed: " + e);
        }
    }

    /**
     * Sanitize's LSA step (memdev-commands.md §9): zeroes the LSA on the state writer;
     * the future completes once the zeros are durable (and Get LSA reads them).
     */
    public CompletableFuture<Void> zero() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.later(() -> {
            try {
                store.zero();
                synchronized (lock) {
                    bytes = null;
                }
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            } finally {
                // a no-op once completed; otherwise an Error (a simulated crash) is on its way up
                done.completeExceptionally(new IllegalStateException("zeroing the LSA did not finish"));
            }
        });
        return done;
    }

    /** Closes the LSA's files; the device calls it once its state writer has nothing left to do. */
    public void close() {
        store.close();
    }
}
