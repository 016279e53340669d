package io.cxlkit.host.verification;

import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.protocol.payload.LogIds;
import io.cxlkit.protocol.payload.MalformedPayloadException;
import io.cxlkit.protocol.payload.VerificationLog;
import io.cxlkit.protocol.payload.VerificationLog.Operation;
import io.cxlkit.protocol.payload.VerificationLog.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntPredicate;

/**
 * Finds out from a device's Verification Log (docs/verification-log.md) why it failed a
 * verification: {@link #mark()} before the command that may fail notes the newest record's
 * sequence number; after a failure {@link #newestSince} reads only the records newer than that and
 * returns the newest for the slot and operation. A 000Ah, 000Ch or 000Dh that no verification
 * caused (an injected fault) leaves no new record, so an older one is never taken for its reason.
 *
 * <p>Reading is best effort: a device without the log (0017h), a malformed answer, a broken link
 * or an interrupt make the reason unknown, never a different failure. Reads go 256 bytes at a
 * time, the smallest payload and response message limit a CCI may have, so they fit whatever the
 * transport and whatever limit another MCTP client set. Stateless: one reader may serve any
 * number of threads, each with its own marks.
 */
public final class VerificationLogReader {

    /** The largest read that fits every CCI: 2^8, the smallest Payload Size and response message limit. */
    static final int CHUNK = 256;
    /** Reads of a log that kept changing under them before the reader gives up. */
    static final int ATTEMPTS = 3;
    /** The most records read after a failure: its own is the newest, so a device announcing more is not believed. */
    static final int MOST_RECORDS = 32;

    private final CciClient client;

    public VerificationLogReader(CciClient client) {
        this.client = client;
    }

    /**
     * The newest record's sequence number now (0 for an empty log): what later records are newer
     * than. Empty when the log cannot be read, and then no reason will be found against it.
     *
     * @throws CciTimeoutException if the device did not answer: the caller decides what that means
     *                             for the command it was about to send (a mailbox whose doorbell
     *                             is stuck takes nothing more)
     */
    public OptionalLong mark() throws CciTimeoutException {
        try {
            return OptionalLong.of(header().newestSequence());
        } catch (CciTimeoutException e) {
            throw e;
        } catch (IOException | CciCommandException | MalformedPayloadException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** The newest record of {@code operation} on {@code slot} newer than {@code mark}. */
    public Optional<Record> newestSince(OptionalLong mark, Operation operation, int slot) {
        return newestSince(mark, operation, s -> s == slot);
    }

    /** The newest record of {@code operation} on any slot newer than {@code mark}. */
    public Optional<Record> newestSince(OptionalLong mark, Operation operation) {
        return newestSince(mark, operation, s -> true);
    }

    private Optional<Record> newestSince(OptionalLong mark, Operation operation, IntPredicate slot) {
        if (mark.isEmpty()) {
            return Optional.empty();
        }
        try {
            List<Record> newer = recordsSince(mark.getAsLong());
            for (int i = newer.size() - 1; i >= 0; i--) {
                Record r = newer.get(i);
                if (r.operation() == operation.code() && slot.test(r.slot())) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        } catch (IOException | CciCommandException | MalformedPayloadException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The records newer than {@code mark}, oldest first: the log's tail, read after its header.
     * Records are appended at the end and, once the log is full, the oldest drop out, shifting the
     * rest: a tail whose sequence numbers do not run up to the header's newest was read while that
     * happened, and is read again.
     */
    private List<Record> recordsSince(long mark)
            throws IOException, InterruptedException, CciCommandException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            VerificationLog.Header h = header();
            long newest = h.newestSequence();
            // newest below the mark: the device was power-cycled since, and every record is newer
            long newer = newest >= mark ? newest - mark : h.recordsHeld();
            int count = (int) Math.min(newer, Math.min(h.recordsHeld(), MOST_RECORDS));
            int from = VerificationLog.HEADER_SIZE + (h.recordsHeld() - count) * VerificationLog.RECORD_SIZE;
            ByteBuffer tail = ByteBuffer.wrap(read(from, count * VerificationLog.RECORD_SIZE));
            List<Record> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                records.add(Record.decode(tail));
            }
            if (runsUpTo(records, newest)) {
                return records;
            }
        }
        throw new IOException(client.transport().describe() + ": the Verification Log kept changing while read");
    }

    private static boolean runsUpTo(List<Record> records, long newest) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).sequence() != newest - (records.size() - 1 - i)) {
                return false;
            }
        }
        return true;
    }

    private VerificationLog.Header header() throws IOException, InterruptedException, CciCommandException {
        return VerificationLog.Header.decode(ByteBuffer.wrap(read(0, VerificationLog.HEADER_SIZE)));
    }

    /** {@code length} bytes of the log from {@code offset}, in reads of at most {@link #CHUNK}. */
    private byte[] read(int offset, int length) throws IOException, InterruptedException, CciCommandException {
        byte[] out = new byte[length];
        for (int done = 0; done < length; ) {
            int n = Math.min(CHUNK, length - done);
            byte[] part = client.getLog(LogIds.VERIFICATION_LOG_UUID, offset + done, n);
            if (part.length != n) {
                throw new IOException(client.transport().describe() + ": Get Log returned " + part.length
                        + " bytes for " + n);
            }
            System.arraycopy(part, 0, out, done, n);
            done += n;
        }
        return out;
    }
}
