package io.cxlkit.device.media;

import io.cxlkit.device.testing.Events;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.GeneralMediaEvent;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.GetScanMediaResultsResponse;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.ScanMediaRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The media and poison commands as the tests send them to a {@link TestDevice}. */
final class MediaOps {

    static final long LINE = 64;

    private MediaOps() {
    }

    static TestDevice.Reply getPoisonList(TestDevice t, Cci cci, long dpa, long lines, boolean restart) {
        return t.send(cci, CommandId.GET_POISON_LIST, new GetPoisonListRequest(restart, new DpaRange(dpa, lines))
                .encode());
    }

    /** Get Poison List of [dpa, dpa + 64 lines), checked to succeed, decoded. */
    static GetPoisonListResponse poisonList(TestDevice t, Cci cci, long dpa, long lines) {
        TestDevice.Reply r = getPoisonList(t, cci, dpa, lines, false);
        if (!r.ok()) {
            throw new AssertionError("Get Poison List failed: " + r);
        }
        return GetPoisonListResponse.decode(ByteBuffer.wrap(r.output()));
    }

    /** The whole list of the whole device, through the mailbox (continuing while More). */
    static List<MediaErrorRecord> wholeList(TestDevice t) {
        long lines = t.config().totalCapacity() / LINE;
        List<MediaErrorRecord> all = new ArrayList<>();
        GetPoisonListResponse r;
        do {
            r = poisonList(t, Cci.MAILBOX, 0, lines);
            all.addAll(r.records());
        } while (r.more());
        return all;
    }

    static int inject(TestDevice t, long dpa) {
        return t.send(Cci.MAILBOX, CommandId.INJECT_POISON, new InjectPoisonRequest(dpa).encode()).returnCode();
    }

    static int clear(TestDevice t, Cci cci, long dpa, byte[] data) {
        return t.send(cci, CommandId.CLEAR_POISON, ClearPoisonRequest.of(dpa, data).encode()).returnCode();
    }

    static int clear(TestDevice t, Cci cci, long dpa) {
        return clear(t, cci, dpa, new byte[64]);
    }

    static TestDevice.Reply scan(TestDevice t, Cci cci, long dpa, long lines, boolean noEventLog) {
        return t.send(cci, CommandId.SCAN_MEDIA, new ScanMediaRequest(new DpaRange(dpa, lines), noEventLog).encode());
    }

    static TestDevice.Reply scanResults(TestDevice t, Cci cci) {
        return t.send(cci, CommandId.GET_SCAN_MEDIA_RESULTS);
    }

    static GetScanMediaResultsResponse results(TestDevice.Reply r) {
        return GetScanMediaResultsResponse.decode(ByteBuffer.wrap(r.output()));
    }

    static List<GeneralMediaEvent> generalMedia(TestDevice t, EventLog log) {
        return Events.records(t, log).stream().map(EventRecord::generalMedia).flatMap(java.util.Optional::stream)
                .toList();
    }

    static byte[] pattern(int seed) {
        byte[] b = new byte[64];
        for (int i = 0; i < 64; i++) {
            b[i] = (byte) (seed * 7 + i + 1);
        }
        return b;
    }
}
