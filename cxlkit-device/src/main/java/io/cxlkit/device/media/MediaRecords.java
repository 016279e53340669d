package io.cxlkit.device.media;

import io.cxlkit.protocol.payload.MediaErrorRecord;
import java.util.ArrayList;
import java.util.List;

/** Runs of lines as media error records (r3.1 Table 8-140), which Get Poison List and Get Scan Media Results return. */
final class MediaRecords {

    /** A record's length field is 32 bits: a longer run takes several records. */
    static final long MAX_RECORD_LINES = 0xFFFF_FFFFL;

    private MediaRecords() {
    }

    /** The records of {@code runs}, ascending, a run longer than a record's length split; at most {@code limit}. */
    static List<MediaErrorRecord> of(List<PoisonMap.Run> runs, int limit) {
        List<MediaErrorRecord> out = new ArrayList<>();
        for (PoisonMap.Run r : runs) {
            for (long s = r.start(); s < r.end() && out.size() < limit; s += MAX_RECORD_LINES) {
                out.add(new MediaErrorRecord(s * MediaModel.LINE, r.source(), Math.min(MAX_RECORD_LINES, r.end() - s)));
            }
        }
        return out;
    }
}
