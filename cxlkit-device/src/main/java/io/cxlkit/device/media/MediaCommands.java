package io.cxlkit.device.media;

import io.cxlkit.device.command.Operation;
import io.cxlkit.device.command.Outcome;
import io.cxlkit.device.command.StateWriter;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.health.StatusMonitor;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.GeneralMediaEvent;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.GetScanMediaResultsResponse;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.MediaErrorList;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.PoisonSource;
import io.cxlkit.protocol.payload.ScanMediaCapabilities;
import io.cxlkit.protocol.payload.ScanMediaRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The media and poison commands 4300h-4305h (memdev-commands.md §8.2-§8.4) and the
 * {@code media-error} one-shot (§12), over the device's {@link MediaModel}. Handlers run under the
 * device lock after the dispatcher's checks, each running its own checks in the order of §8.
 * Inject and Clear Poison land their change on the device's {@link StateWriter} (under the lock
 * there, after their checks ran again) and answer once it is durable; Scan Media is a background
 * operation whose results and listing happen at its completion instant.
 */
public final class MediaCommands {

    private static final long NANOS_PER_MS = 1_000_000L;

    /** Where a Get Poison List answered with More stopped, for the next request on that CCI (§8.2). */
    private record Cursor(long dpa, long length, long nextDpa) {
    }

    private final DeviceConfig config;
    private final MediaModel media;
    private final StatusMonitor monitor;
    private final BooleanSupplier mediaDisabled;
    private final LongSupplier timestamp;
    private final LongSupplier volatileBytes;
    private final StateWriter writer;
    private final Object lock;
    /** Per-CCI continuation of Get Poison List. Guarded by the device lock. */
    private final Map<Cci, Cursor> cursors = new EnumMap<>(Cci.class);

    /**
     * @param mediaDisabled memdev-commands.md §2.4's "media disabled", read under the lock
     * @param timestamp     the device timestamp (Get Timestamp's value now)
     * @param volatileBytes the volatile partition's size now, V + share
     */
    public MediaCommands(DeviceConfig config, MediaModel media, StatusMonitor monitor, BooleanSupplier mediaDisabled,
                         LongSupplier timestamp, LongSupplier volatileBytes, StateWriter writer, Object lock) {
        this.config = config;
        this.media = media;
        this.monitor = monitor;
        this.mediaDisabled = mediaDisabled;
        this.timestamp = timestamp;
        this.volatileBytes = volatileBytes;
        this.writer = writer;
        this.lock = lock;
    }

    /**
     * §2.3: length 0 is 0002h; a range ending above the total capacity (overflow counts as above)
     * is 000Fh. Null when the range is good. DPA and length are unsigned.
     */
    private ReturnCode rangeError(long dpa, long length) {
        if (length == 0) {
            return ReturnCode.INVALID_INPUT;
        }
        long lines = media.lines();
        if (Long.compareUnsigned(length, lines) > 0 || Long.compareUnsigned(dpa >>> 6, lines - length) > 0) {
            return ReturnCode.INVALID_PHYSICAL_ADDRESS;
        }
        return null;
    }

    /**
     * The checks every media command makes first, in this order: {@link #rangeError}, then §2.4's
     * media disabled (0007h). Null when both pass.
     */
    private ReturnCode rangeOrMediaError(long dpa, long length) {
        ReturnCode bad = rangeError(dpa, length);
        if (bad != null) {
            return bad;
        }
        return mediaDisabled.getAsBoolean() ? ReturnCode.MEDIA_DISABLED : null;
    }

    // ---- 4300h Get Poison List ----

    public Outcome getPoisonList(Cci cci, ByteBuffer in, int maxOut) {
        GetPoisonListRequest req = GetPoisonListRequest.decode(in);
        DpaRange range = req.range();
        ReturnCode bad = rangeOrMediaError(range.dpa(), range.length());
        if (bad != null) {
            return Outcome.done(bad);
        }
        Cursor cursor = cursors.remove(cci);
        long from = range.dpa();
        if (!req.restartRequest() && cursor != null && cursor.dpa() == range.dpa()
                && cursor.length() == range.length()) {
            from = cursor.nextDpa();
        }
        long end = range.dpa() / MediaModel.LINE + range.length();
        int fit = MediaErrorList.recordsFitting(maxOut);
        List<MediaErrorRecord> records = MediaRecords.of(media.listed(from / MediaModel.LINE, end, fit + 1), fit + 1);
        boolean more = records.size() > fit;
        if (more) {
            cursors.put(cci, new Cursor(range.dpa(), range.length(), records.get(fit).dpa()));
            records = records.subList(0, fit);
        }
        return Outcome.Done.success(new GetPoisonListResponse(more, media.overflow(),
                media.scanState() == MediaModel.ScanState.RUNNING, req.restartRequest(), media.overflowTimestamp(),
                records).encode());
    }

    // ---- 4301h Inject Poison ----

    public Outcome injectPoison(Cci cci, ByteBuffer in, int maxOut) {
        long dpa = InjectPoisonRequest.decode(in).dpa();
        ReturnCode decided = injectChecks(dpa);
        if (decided != null) {
            return Outcome.done(decided);
        }
        long line = dpa >>> 6;
        return writer.submit("Inject Poison", () -> {
            synchronized (lock) {
                // the checks again, now that the change is due: what changed since decides (§2.1)
                ReturnCode again = injectChecks(dpa);
                if (again != null) {
                    return again;
                }
                for (MediaModel.Poisoned p : media.poison(line, line + 1, PoisonSource.INJECTED, timestamp.getAsLong())) {
                    record(EventLog.INFORMATIONAL, p, GeneralMediaEvent.TRANSACTION_HOST_INJECT_POISON);
                }
                return ReturnCode.SUCCESS;
            }
        });
    }

    /** §8.3's Inject checks in order; null to go on (SUCCESS: already poisoned, no change). */
    private ReturnCode injectChecks(long dpa) {
        ReturnCode bad = rangeOrMediaError(dpa, 1);
        if (bad != null) {
            return bad;
        }
        if (media.poisoned(dpa >>> 6)) {
            return ReturnCode.SUCCESS;
        }
        int limit = config.injectPoisonLimit();
        if (limit > 0 && media.injectedLines() >= limit) {
            return ReturnCode.INJECT_POISON_LIMIT_REACHED;
        }
        return null;
    }

    // ---- 4302h Clear Poison ----

    public Outcome clearPoison(Cci cci, ByteBuffer in, int maxOut) {
        ClearPoisonRequest req = ClearPoisonRequest.decode(in);
        long dpa = req.dpa();
        ReturnCode decided = rangeOrMediaError(dpa, 1);
        if (decided != null) {
            return Outcome.done(decided);
        }
        byte[] data = new byte[ClearPoisonRequest.DATA_SIZE];
        req.data().get(data); // a copy: the CCI's buffer is reused for the next command
        return writer.submit("Clear Poison", () -> {
            synchronized (lock) {
                ReturnCode again = rangeOrMediaError(dpa, 1);
                if (again != null) {
                    return again;
                }
                media.clearPoison(dpa >>> 6, data, timestamp.getAsLong());
                return ReturnCode.SUCCESS;
            }
        });
    }

    // ---- 4303h-4305h Scan Media ----

    public Outcome getScanMediaCapabilities(Cci cci, ByteBuffer in, int maxOut) {
        DpaRange range = DpaRange.decode(in);
        ReturnCode bad = rangeOrMediaError(range.dpa(), range.length());
        if (bad != null) {
            return Outcome.done(bad);
        }
        long nanos = config.timing().scanMediaNanos(range.length() * MediaModel.LINE);
        long ms = nanos / NANOS_PER_MS + (nanos % NANOS_PER_MS == 0 ? 0 : 1);
        return Outcome.Done.success(new ScanMediaCapabilities(Math.min(ms, 0xFFFF_FFFFL)).encode());
    }

    public Outcome scanMedia(Cci cci, ByteBuffer in, int maxOut) {
        ScanMediaRequest req = ScanMediaRequest.decode(in);
        DpaRange range = req.range();
        ReturnCode bad = rangeOrMediaError(range.dpa(), range.length());
        if (bad != null) {
            return Outcome.done(bad);
        }
        long start = range.dpa() >>> 6;
        long end = start + range.length();
        boolean noEventLog = req.noEventLog();
        long nanos = config.timing().scanMediaNanos(range.length() * MediaModel.LINE);
        media.scanStarted();
        Operation op = new Operation(cci, CommandId.SCAN_MEDIA.opcode(), nanos > 0, nanos, () -> null,
                ignored -> completeScan(start, end, noEventLog), media::scanAborted).withQuickWork();
        return new Outcome.Started(op);
    }

    /** At the completion instant, under the device lock: the results, the listing and its records. */
    private ReturnCode completeScan(long start, long end, boolean noEventLog) {
        List<PoisonMap.Run> listedNow;
        try {
            listedNow = media.scanCompleted(start, end);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the runner answers 0004h and cancels: no results
        }
        if (!noEventLog) {
            for (PoisonMap.Run r : listedNow) {
                long dpa = r.start() * MediaModel.LINE;
                monitor.mediaEvent(EventLog.INFORMATIONAL, new GeneralMediaEvent(dpa, inVolatile(dpa),
                        GeneralMediaEvent.UNCORRECTABLE, GeneralMediaEvent.MEDIA_ECC_ERROR,
                        GeneralMediaEvent.TRANSACTION_HOST_SCAN_MEDIA));
            }
        }
        return ReturnCode.SUCCESS;
    }

    public Outcome getScanMediaResults(Cci cci, ByteBuffer in, int maxOut) {
        MediaModel.ScanState state = media.scanState();
        if (state == MediaModel.ScanState.NONE) {
            return Outcome.done(ReturnCode.UNSUPPORTED);
        }
        if (state == MediaModel.ScanState.RUNNING) {
            return Outcome.done(ReturnCode.BUSY);
        }
        if (mediaDisabled.getAsBoolean()) {
            return Outcome.done(ReturnCode.MEDIA_DISABLED);
        }
        int fit = MediaErrorList.recordsFitting(maxOut);
        List<MediaErrorRecord> out = media.takeResults(fit);
        return Outcome.Done.success(GetScanMediaResultsResponse.of(media.resultsLeft(), out).encode());
    }

    // ---- the media-error one-shot (§12) and resets ----

    /**
     * Poisons lines [startLine, endLine) with source Internal (poisoned lines keep theirs), one
     * Failure General Media record per new run. Under the device lock; durable on return.
     */
    public void injectMediaError(long startLine, long endLine) throws IOException {
        for (MediaModel.Poisoned p : media.poison(startLine, endLine, PoisonSource.INTERNAL, timestamp.getAsLong())) {
            record(EventLog.FAILURE, p, GeneralMediaEvent.TRANSACTION_UNKNOWN);
        }
    }

    /** §3.3: descriptor 01h, plus 04h when the list could not take the lines. */
    private void record(EventLog log, MediaModel.Poisoned p, int transaction) {
        long dpa = p.startLine() * MediaModel.LINE;
        int descriptor = GeneralMediaEvent.UNCORRECTABLE | (p.listed() ? 0 : GeneralMediaEvent.POISON_LIST_OVERFLOW);
        monitor.mediaEvent(log, new GeneralMediaEvent(dpa, inVolatile(dpa), descriptor,
                GeneralMediaEvent.MEDIA_ECC_ERROR, transaction));
    }

    private boolean inVolatile(long dpa) {
        return dpa < volatileBytes.getAsLong();
    }

    /**
     * A cold reset or restart (§11), under the device lock: the poison list cursors, the Scan
     * Media results and the volatile partition's data and poison are cleared.
     */
    public void coldReset() {
        cursors.clear();
        media.coldReset();
    }
}
