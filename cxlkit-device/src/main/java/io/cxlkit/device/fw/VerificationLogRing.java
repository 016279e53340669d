package io.cxlkit.device.fw;

import io.cxlkit.device.clock.DeviceClock;
import io.cxlkit.protocol.fwpkg.VerificationFailure;
import io.cxlkit.protocol.payload.VerificationLog;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The device's Verification Log (docs/verification-log.md): its last {@link #CAPACITY} failed
 * verifications, the oldest dropped first, each numbered one above the one before.
 *
 * <p>Kept in the device's memory, like its timestamp, but not cleared by a cold reset: the reset
 * that rejects a staged slot records why, and the host reads that after the reset. A power cycle
 * (a restart of the daemon) starts an empty log numbered from 1 again; the power-on's own cold
 * reset records into it. Guarded by the device lock.
 */
public final class VerificationLogRing {

    /** Records kept: a bad upload retried a few times on each slot leaves the earlier ones readable. */
    public static final int CAPACITY = 16;

    private final DeviceClock clock;
    private final ArrayDeque<VerificationLog.Record> records = new ArrayDeque<>(CAPACITY);
    private long newestSequence;

    public VerificationLogRing(DeviceClock clock) {
        this(clock, 0);
    }

    /** A ring whose next record follows {@code newestSequence} (tests of the numbering). */
    VerificationLogRing(DeviceClock clock, long newestSequence) {
        this.clock = clock;
        this.newestSequence = newestSequence;
    }

    /** Records that {@code operation} found the package in {@code slot} failing, at the device clock's time. */
    public void record(VerificationLog.Operation operation, int slot, VerificationFailure failure) {
        // a 32-bit field: after FFFFFFFFh comes 1, since 0 means "none"
        long sequence = newestSequence == 0xFFFF_FFFFL ? 1 : newestSequence + 1;
        if (records.size() == CAPACITY) {
            records.removeFirst();
        }
        records.addLast(VerificationLog.Record.of(sequence, operation, slot, clock.wallTimeNanos(), failure));
        newestSequence = sequence;
    }

    /** The log as it stands. */
    public VerificationLog log() {
        return new VerificationLog(CAPACITY, newestSequence, List.copyOf(records));
    }

    /** The log's bytes, as Get Log reads them. */
    public byte[] bytes() {
        return log().encode();
    }
}
