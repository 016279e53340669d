package io.cxlkit.device.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.persist.FileTrees;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.GeneralMediaEvent;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.GetScanMediaResultsResponse;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.PoisonSource;
import io.cxlkit.protocol.payload.ResponseMessageLimit;
import io.cxlkit.protocol.payload.ScanMediaRequest;
import io.cxlkit.protocol.payload.Timestamp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The poison list against a line-by-line reference model (memdev-commands.md §8.1-§8.4, §3.3,
 * §11): random Inject Poison, Clear Poison, {@code media-error}, Scan Media of part or all of the
 * device, Set Timestamp, cold resets and restarts over a window of lines on both sides of the
 * volatile/persistent boundary, with a small record limit M. After every step the whole list,
 * read on the MCTP CCI with a 256-byte Lout (14 records an output) and continued while More, must
 * be byte for byte the reference's; so must a clipped range on the mailbox, the Scan Media results
 * and the General Media records. The reference knows nothing of runs: it holds one entry per line.
 */
class PoisonListProperties {

    private static final long V = 256L << 20;
    private static final long LINES = 2 * V / 64;
    private static final long BOUNDARY = V / 64;
    /** The window of lines the steps touch: [BOUNDARY - 24, BOUNDARY + 24). */
    private static final long FIRST = BOUNDARY - 24;
    private static final int WINDOW = 48;
    private static final int LOUT_RECORDS = 14;

    sealed interface Step {
    }

    record Inject(int at) implements Step {
    }

    record Clear(int at, Cci cci) implements Step {
    }

    record MediaError(int at, int lines) implements Step {
    }

    record Scan(int at, int lines, boolean whole, boolean noEventLog) implements Step {
    }

    record SetTimestamp(long value) implements Step {
    }

    record ColdReset() implements Step {
    }

    record Restart() implements Step {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, WINDOW - 1);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, at.map(Inject::new)),
                net.jqwik.api.Tuple.of(6, Combinators.combine(at, Arbitraries.of(Cci.values())).as(Clear::new)),
                net.jqwik.api.Tuple.of(5, Combinators.combine(at, Arbitraries.integers().between(1, 9))
                        .as(MediaError::new)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(at, Arbitraries.integers().between(1, 20),
                        Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Scan::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 1L << 40).map(SetTimestamp::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new ColdReset())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Restart())));
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300, seed = "271828", shrinking = ShrinkingMode.BOUNDED)
    void theListFollowsTheReference(@ForAll("steps") List<Step> steps,
                                    @ForAll("limits") int m) throws IOException {
        Path dir = Files.createTempDirectory("cxlkit-poison-model-");
        try (TestDevice t = TestDevice.builder(dir).instant().config(b -> b.volatileCapacity(V).persistentCapacity(V)
                .poisonMaxRecords(m).eventLogSize(1024)).open()) {
            Reference ref = new Reference(m);
            smallLout(t);
            int n = 0;
            for (Step s : steps) {
                n++;
                apply(t, ref, s);
                check(t, ref, "after step " + n + " " + s + " of " + steps);
            }
        } finally {
            FileTrees.delete(dir);
        }
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.of(1, 2, 3, 3, 20);
    }

    private static void smallLout(TestDevice t) {
        assertThat(t.send(Cci.MCTP, CommandId.SET_RESPONSE_MESSAGE_LIMIT, new ResponseMessageLimit(8).encode()).ok())
                .isTrue();
    }

    private static void apply(TestDevice t, Reference ref, Step s) {
        long dpaBase = FIRST * 64;
        if (s instanceof Inject i) {
            int rc = t.send(Cci.MAILBOX, CommandId.INJECT_POISON, new InjectPoisonRequest(dpaBase + i.at() * 64L)
                    .encode()).returnCode();
            assertThat(rc).isZero();
            ref.poison(FIRST + i.at(), FIRST + i.at() + 1, PoisonSource.INJECTED);
        } else if (s instanceof Clear c) {
            int rc = t.send(c.cci(), CommandId.CLEAR_POISON, ClearPoisonRequest.of(dpaBase + c.at() * 64L,
                    new byte[64]).encode()).returnCode();
            assertThat(rc).isZero();
            ref.clear(FIRST + c.at());
        } else if (s instanceof MediaError e) {
            t.device().injectMediaError(dpaBase + e.at() * 64L, e.lines() * 64L);
            ref.poison(FIRST + e.at(), FIRST + e.at() + e.lines(), PoisonSource.INTERNAL);
        } else if (s instanceof Scan sc) {
            long start = sc.whole() ? 0 : FIRST + sc.at();
            long lines = sc.whole() ? LINES : sc.lines();
            TestDevice.Reply r = t.send(Cci.MAILBOX, CommandId.SCAN_MEDIA, new ScanMediaRequest(
                    new DpaRange(start * 64, lines), sc.noEventLog()).encode());
            assertThat(r.returnCode()).isZero();
            List<MediaErrorRecord> expected = ref.scan(start, start + lines, sc.whole(), sc.noEventLog());
            GetScanMediaResultsResponse res = GetScanMediaResultsResponse.decode(ByteBuffer.wrap(
                    t.send(Cci.MAILBOX, CommandId.GET_SCAN_MEDIA_RESULTS).output()));
            assertThat(res.records()).as("scan results of %s", s).isEqualTo(expected);
            assertThat(res.more()).isFalse();
        } else if (s instanceof SetTimestamp ts) {
            assertThat(t.send(Cci.MCTP, CommandId.SET_TIMESTAMP, new Timestamp(ts.value()).encode()).ok()).isTrue();
            ref.timestamp = ts.value();
        } else if (s instanceof ColdReset) {
            t.coldReset();
            ref.reset();
            smallLout(t);
        } else if (s instanceof Restart) {
            t.reopen();
            ref.reset();
            smallLout(t);
        }
    }

    private static void check(TestDevice t, Reference ref, String where) {
        List<MediaErrorRecord> all = ref.records(0, LINES);
        // the whole device on MCTP, 14 records an output, continued while More: byte for byte
        int from = 0;
        do {
            int to = Math.min(all.size(), from + LOUT_RECORDS);
            boolean more = to < all.size();
            byte[] got = t.send(Cci.MCTP, CommandId.GET_POISON_LIST, GetPoisonListRequest.of(0, LINES).encode())
                    .output();
            byte[] expected = new GetPoisonListResponse(more, ref.overflow, false, false,
                    ref.overflow ? ref.overflowTimestamp : 0, all.subList(from, to)).encode();
            assertThat(got).as("Get Poison List at record %d %s", from, where).containsExactly(expected);
            from = to;
        } while (from < all.size());
        // a clipped range on the mailbox
        long s = BOUNDARY - 7;
        long e = BOUNDARY + 9;
        GetPoisonListResponse part = GetPoisonListResponse.decode(ByteBuffer.wrap(t.send(Cci.MAILBOX,
                CommandId.GET_POISON_LIST, GetPoisonListRequest.of(s * 64, e - s).encode()).output()));
        assertThat(part.records()).as("clipped %s", where).isEqualTo(ref.records(s, e));
        assertThat(MediaOps.generalMedia(t, EventLog.INFORMATIONAL)).as("informational %s", where)
                .isEqualTo(ref.informational);
        assertThat(MediaOps.generalMedia(t, EventLog.FAILURE)).as("failure %s", where).isEqualTo(ref.failure);
    }

    /** One entry per poisoned line: its source and whether the list holds it. */
    static final class Reference {
        record Line(PoisonSource source, boolean listed) {
        }

        final int m;
        final TreeMap<Long, Line> lines = new TreeMap<>();
        boolean overflow;
        long overflowTimestamp;
        long timestamp;
        final List<GeneralMediaEvent> informational = new ArrayList<>();
        final List<GeneralMediaEvent> failure = new ArrayList<>();

        Reference(int m) {
            this.m = m;
        }

        /** Runs of consecutive lines of one source, listed only or all, clipped to [s, e). */
        List<MediaErrorRecord> runs(long s, long e, boolean listedOnly) {
            List<MediaErrorRecord> out = new ArrayList<>();
            long runStart = -1;
            long prev = -2;
            PoisonSource source = null;
            for (Map.Entry<Long, Line> x : lines.subMap(s, e).entrySet()) {
                if (listedOnly && !x.getValue().listed()) {
                    continue;
                }
                long line = x.getKey();
                if (line == prev + 1 && x.getValue().source() == source) {
                    prev = line;
                    continue;
                }
                if (runStart >= 0) {
                    out.add(new MediaErrorRecord(runStart * 64, source, prev - runStart + 1));
                }
                runStart = line;
                prev = line;
                source = x.getValue().source();
            }
            if (runStart >= 0) {
                out.add(new MediaErrorRecord(runStart * 64, source, prev - runStart + 1));
            }
            return out;
        }

        List<MediaErrorRecord> records(long s, long e) {
            return runs(s, e, true);
        }

        void overflowNow() {
            if (!overflow) {
                overflow = true;
                overflowTimestamp = timestamp;
            }
        }

        /** Each gap of unpoisoned lines is poisoned as a whole, listed if the list can take it. */
        void poison(long s, long e, PoisonSource source) {
            long line = s;
            while (line < e) {
                if (lines.containsKey(line)) {
                    line++;
                    continue;
                }
                long gapEnd = line;
                while (gapEnd < e && !lines.containsKey(gapEnd)) {
                    gapEnd++;
                }
                for (long x = line; x < gapEnd; x++) {
                    lines.put(x, new Line(source, true));
                }
                boolean listed = !overflow && records(0, LINES).size() <= m;
                if (!listed) {
                    for (long x = line; x < gapEnd; x++) {
                        lines.put(x, new Line(source, false));
                    }
                    overflowNow();
                }
                long dpa = line * 64;
                GeneralMediaEvent ev = new GeneralMediaEvent(dpa, line < BOUNDARY, listed ? 1 : 5, 0,
                        source == PoisonSource.INJECTED ? 4 : 0);
                (source == PoisonSource.INJECTED ? informational : failure).add(ev);
                line = gapEnd;
            }
        }

        void clear(long line) {
            Line was = lines.get(line);
            if (was == null) {
                return;
            }
            int before = records(0, LINES).size();
            lines.remove(line);
            if (was.listed() && records(0, LINES).size() > before && before == m) {
                // the upper fragment of the split run: unlisted
                for (long x = line + 1; lines.containsKey(x) && lines.get(x).equals(was); x++) {
                    lines.put(x, new Line(was.source(), false));
                }
                overflowNow();
            }
        }

        List<MediaErrorRecord> scan(long s, long e, boolean whole, boolean noEventLog) {
            List<MediaErrorRecord> found = runs(s, e, false);
            if (whole) {
                List<MediaErrorRecord> all = runs(0, LINES, false);
                for (int i = 0; i < all.size(); i++) {
                    MediaErrorRecord r = all.get(i);
                    long first = r.dpa() / 64;
                    boolean inUnlisted = false;
                    for (long x = first; x < first + r.length(); x++) {
                        Line l = lines.get(x);
                        boolean listNow = i < m;
                        if (listNow && !l.listed() && !inUnlisted && !noEventLog) {
                            informational.add(new GeneralMediaEvent(x * 64, x < BOUNDARY, 1, 0, 3));
                        }
                        inUnlisted = !l.listed();
                        lines.put(x, new Line(l.source(), listNow));
                    }
                }
                if (all.size() <= m) {
                    overflow = false;
                    overflowTimestamp = 0;
                }
            }
            return found;
        }

        /** A cold reset or restart: volatile poison, the timestamp and the event logs go. */
        void reset() {
            lines.headMap(BOUNDARY).clear();
            timestamp = 0;
            informational.clear();
            failure.clear();
        }
    }
}
