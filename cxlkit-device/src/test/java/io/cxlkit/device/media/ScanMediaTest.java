package io.cxlkit.device.media;

import static io.cxlkit.device.media.MediaOps.clear;
import static io.cxlkit.device.media.MediaOps.generalMedia;
import static io.cxlkit.device.media.MediaOps.inject;
import static io.cxlkit.device.media.MediaOps.poisonList;
import static io.cxlkit.device.media.MediaOps.results;
import static io.cxlkit.device.media.MediaOps.scan;
import static io.cxlkit.device.media.MediaOps.scanResults;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.Events;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.GeneralMediaEvent;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.GetScanMediaResultsResponse;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.PoisonSource;
import io.cxlkit.protocol.payload.ResponseMessageLimit;
import io.cxlkit.protocol.payload.ScanMediaCapabilities;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Get Scan Media Capabilities (4303h), Scan Media (4304h) and Get Scan Media Results (4305h),
 * memdev-commands.md §8.4 and §10 with device-behaviour.md §2: the checks in order on both CCIs,
 * the modelled duration, results and listing at the completion instant, the records it adds, and
 * the background interplay on the virtual clock (0006h for Transfer and Activate FW, abort, cold
 * reset, Percentage Complete).
 */
class ScanMediaTest {

    private static final long GIB = 1L << 30;
    private static final long LINES = GIB / 64;

    @TempDir
    Path dir;

    private TestDevice open(Timing timing, UnaryOperator<DeviceConfig.Builder> config) {
        return TestDevice.builder(dir).timing(timing).config(b -> config.apply(b.eventLogSize(64))).open();
    }

    private TestDevice instant() {
        return open(Timing.instant(), b -> b);
    }

    /** A fixed 100 ms scan, so the percentages are round. */
    private TestDevice slow(UnaryOperator<DeviceConfig.Builder> config) {
        return open(Timing.instant().withScanMediaTime(Duration.ofMillis(100)), config);
    }

    private static TestDevice.Reply capabilities(TestDevice t, Cci cci, long dpa, long lines) {
        return t.send(cci, CommandId.GET_SCAN_MEDIA_CAPABILITIES, new DpaRange(dpa, lines).encode());
    }

    private static long estimateMs(TestDevice t, Cci cci, long dpa, long lines) {
        TestDevice.Reply r = capabilities(t, cci, dpa, lines);
        assertThat(rc(r.returnCode())).isEqualTo("0000h");
        assertThat(r.output()).hasSize(4);
        return ScanMediaCapabilities.decode(ByteBuffer.wrap(r.output())).estimatedScanMediaTimeMs();
    }

    private static MediaErrorRecord rec(long dpa, PoisonSource source, long lines) {
        return new MediaErrorRecord(dpa, source, lines);
    }

    // ---- 4303h ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void capabilities_theModelledDurationInMs_roundedUp_perPreset(Cci cci) {
        try (TestDevice t = open(Timing.realistic(), b -> b)) {
            // 10 ms + L / 8 GiB/s: 1 GiB = 125 ms
            assertThat(estimateMs(t, cci, 0, LINES)).isEqualTo(135);
            // 64 bytes: 10 ms + 7.45 ns, rounded up
            assertThat(estimateMs(t, cci, 0, 1)).isEqualTo(11);
        }
        try (TestDevice t = open(Timing.of(Timing.Preset.QEMU), b -> b)) {
            // max(1 ms, L/64 x 0.5 us): 16 Mi lines = 8388.608 ms
            assertThat(estimateMs(t, cci, 0, LINES)).isEqualTo(8389);
            assertThat(estimateMs(t, cci, 0, 3)).isEqualTo(1);
            assertThat(estimateMs(t, cci, 0, 4000)).isEqualTo(2);
        }
        try (TestDevice t = instant()) {
            assertThat(estimateMs(t, cci, 0, LINES)).isZero();
        }
        try (TestDevice t = open(Timing.realistic().withScanMediaTime(Duration.ofNanos(2_000_001)), b -> b)) {
            assertThat(estimateMs(t, cci, 0, 1)).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void capabilities_checks_rangeThenMediaDisabled(Cci cci) {
        try (TestDevice t = instant()) {
            assertThat(rc(capabilities(t, cci, 0, 0).returnCode())).isEqualTo("0002h");
            assertThat(rc(capabilities(t, cci, 64, LINES).returnCode())).isEqualTo("000Fh");
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(capabilities(t, cci, 64, LINES).returnCode())).isEqualTo("000Fh");
            assertThat(rc(capabilities(t, cci, 0, LINES).returnCode())).isEqualTo("0007h");
        }
    }

    // ---- 4304h, 4305h checks ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void scanMedia_checks_rangeThenMediaDisabled_withoutEffect(Cci cci) {
        try (TestDevice t = instant()) {
            assertThat(rc(scan(t, cci, 0, 0, false).returnCode())).isEqualTo("0002h");
            assertThat(rc(scan(t, cci, GIB, 1, false).returnCode())).isEqualTo("000Fh");
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(scan(t, cci, GIB, 1, false).returnCode())).isEqualTo("000Fh");
            assertThat(rc(scan(t, cci, 0, LINES, false).returnCode())).isEqualTo("0007h");
            t.inject(FaultSet::clear);
            assertThat(rc(scanResults(t, cci).returnCode())).as("no scan started").isEqualTo("0003h");
            assertThat(rc(t.send(cci, CommandId.SCAN_MEDIA, new byte[0x10]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.GET_SCAN_MEDIA_RESULTS, new byte[1]).returnCode())).isEqualTo("0016h");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void scanResults_checks_noScan0003h_mediaDisabled0007h(Cci cci) {
        try (TestDevice t = instant()) {
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(scanResults(t, cci).returnCode())).as("0003h comes first").isEqualTo("0003h");
            t.inject(FaultSet::clear);
            assertThat(rc(scan(t, cci, 0, LINES, false).returnCode())).isEqualTo("0000h");
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(scanResults(t, cci).returnCode())).isEqualTo("0007h");
        }
    }

    /** §8.4's order for 4305h: a running scan (0006h) is named before disabled media (0007h). */
    @ParameterizedTest
    @EnumSource(Cci.class)
    void scanResults_checks_scanRunning0006hComesBeforeMediaDisabled0007h(Cci cci) {
        try (TestDevice t = slow(b -> b)) {
            assertThat(rc(scan(t, cci, 0, LINES, false).returnCode())).isEqualTo("0001h");
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(scanResults(t, cci).returnCode())).isEqualTo("0006h");
            t.inject(FaultSet::clear);
            assertThat(t.finishBackground(cci)).isZero();
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(scanResults(t, cci).returnCode())).as("the scan is over").isEqualTo("0007h");
        }
    }

    // ---- results ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void scanMedia_instant_completesSynchronously_resultsArePoisonedRunsClipped_returnedOnce(Cci cci) {
        try (TestDevice t = instant()) {
            t.device().injectMediaError(0x1000, 4 * 64);
            assertThat(inject(t, 0x1100)).isZero();
            assertThat(inject(t, 0x8000)).isZero();
            TestDevice.Reply started = scan(t, cci, 0x1040, 0x100, false);
            assertThat(rc(started.returnCode())).isEqualTo("0000h");
            assertThat(started.backgroundFlag()).isFalse();
            TestDevice.Reply r = scanResults(t, cci);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).hasSize(0x20 + 2 * 0x10);
            GetScanMediaResultsResponse res = results(r);
            assertThat(res.more()).isFalse();
            assertThat(res.scanStoppedPrematurely()).isFalse();
            assertThat(res.restart()).isEqualTo(new DpaRange(0, 0));
            assertThat(res.records()).containsExactly(rec(0x1040, PoisonSource.INTERNAL, 3),
                    rec(0x1100, PoisonSource.INJECTED, 1));
            // byte-exact header: restart 0/0, flags 0, count 2
            assertThat(java.util.Arrays.copyOfRange(r.output(), 0, 0x20)).containsExactly(new byte[] {
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            // returned once: then 0 records
            TestDevice.Reply after = scanResults(t, cci);
            assertThat(rc(after.returnCode())).isEqualTo("0000h");
            assertThat(after.output()).hasSize(0x20).containsOnly(0);
        }
    }

    @Test
    void scanResults_moreThanLout_nextUnreturnedEachCall() {
        try (TestDevice t = instant()) {
            assertThat(t.send(Cci.MCTP, CommandId.SET_RESPONSE_MESSAGE_LIMIT, new ResponseMessageLimit(8).encode())
                    .ok()).isTrue();
            List<MediaErrorRecord> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                t.device().injectMediaError(0x100000 + i * 0x1000L, 64);
                all.add(rec(0x100000 + i * 0x1000L, PoisonSource.INTERNAL, 1));
            }
            assertThat(rc(scan(t, Cci.MAILBOX, 0, LINES, true).returnCode())).isEqualTo("0000h");
            List<MediaErrorRecord> got = new ArrayList<>();
            List<Boolean> more = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                GetScanMediaResultsResponse r = results(scanResults(t, Cci.MCTP));
                got.addAll(r.records());
                more.add(r.more());
            }
            assertThat(more).containsExactly(true, true, false);
            assertThat(got).isEqualTo(all);
        }
    }

    @Test
    void scanMedia_wholeRange_rebuildsTheList_firstMRuns_recordsForNewlyListedRuns_overflowClearsWhenAllFit() {
        try (TestDevice t = instant().reopen(b -> b.poisonMaxRecords(2).eventLogSize(64))) {
            t.device().injectMediaError(0x1000, 64);
            t.device().injectMediaError(0x2000, 64);
            t.device().injectMediaError(0x3000, 2 * 64); // unlisted: overflow
            assertThat(inject(t, 0x4000)).isZero();       // unlisted
            Events.clearAll(t);
            // a part of the device lists nothing while overflowed, and adds no record
            assertThat(rc(scan(t, Cci.MCTP, 0x3000, 0x100, false).returnCode())).isEqualTo("0000h");
            assertThat(results(scanResults(t, Cci.MCTP)).records()).containsExactly(
                    rec(0x3000, PoisonSource.INTERNAL, 2), rec(0x4000, PoisonSource.INJECTED, 1));
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).records()).hasSize(2);
            assertThat(Events.allRecords(t)).isEmpty();
            // clear 2 listed lines; the whole range then lists the first M = 2 runs
            assertThat(clear(t, Cci.MAILBOX, 0x1000)).isZero();
            assertThat(rc(scan(t, Cci.MCTP, 0, LINES, false).returnCode())).isEqualTo("0000h");
            GetPoisonListResponse r = poisonList(t, Cci.MAILBOX, 0, LINES);
            assertThat(r.records()).containsExactly(rec(0x2000, PoisonSource.INTERNAL, 1),
                    rec(0x3000, PoisonSource.INTERNAL, 2));
            assertThat(r.overflow()).as("3 runs, M = 2").isTrue();
            assertThat(generalMedia(t, EventLog.INFORMATIONAL)).containsExactly(
                    new GeneralMediaEvent(0x3000, false, 0x01, 0, 0x03));
            // all fit: listed, overflow cleared; No Event Log: no record
            assertThat(clear(t, Cci.MAILBOX, 0x2000)).isZero();
            Events.clearAll(t);
            assertThat(rc(scan(t, Cci.MAILBOX, 0, LINES, true).returnCode())).isEqualTo("0000h");
            r = poisonList(t, Cci.MAILBOX, 0, LINES);
            assertThat(r.records()).containsExactly(rec(0x3000, PoisonSource.INTERNAL, 2),
                    rec(0x4000, PoisonSource.INJECTED, 1));
            assertThat(r.overflow()).isFalse();
            assertThat(r.overflowTimestamp()).isZero();
            assertThat(Events.allRecords(t)).isEmpty();
        }
    }

    // ---- the background operation ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void scanMedia_background_percentages_busyForTransferAndActivate_resultsAtCompletion(Cci owner) {
        Cci other = owner == Cci.MAILBOX ? Cci.MCTP : Cci.MAILBOX;
        try (TestDevice t = slow(b -> b)) {
            t.device().injectMediaError(0x1000, 64);
            TestDevice.Reply started = scan(t, owner, 0, LINES, false);
            assertThat(rc(started.returnCode())).isEqualTo("0001h");
            assertThat(started.backgroundFlag()).isTrue();
            BackgroundOperationStatus s = t.bgStatus(owner);
            assertThat(s.inProgress()).isTrue();
            assertThat(s.opcode().value()).isEqualTo(0x4304);
            assertThat(s.percentComplete()).isZero();
            t.advance(Duration.ofMillis(50));
            assertThat(t.bgStatus(owner).percentComplete()).isEqualTo(49); // floor(99 x 50 / 100)
            assertThat(t.bgStatus(other).inProgress()).isFalse();
            for (Cci cci : Cci.values()) {
                assertThat(rc(t.transfer(cci, TransferFwRequest.full(2, ByteBuffer.wrap(TestDevice.pkg("X", 64))))))
                        .isEqualTo("0006h");
                assertThat(rc(t.activate(cci, ActivateFwRequest.online(1)))).isEqualTo("0006h");
                assertThat(rc(scan(t, cci, 0, 1, false).returnCode())).isEqualTo("0006h");
                assertThat(rc(scanResults(t, cci).returnCode())).isEqualTo("0006h");
                // Get Poison List reports the scan: flags bit 2
                assertThat(poisonList(t, cci, 0, LINES).scanMediaInProgress()).isTrue();
            }
            // poison added while it runs is in its results: they are taken at the completion instant
            t.device().injectMediaError(0x2000, 64);
            t.advance(Duration.ofMillis(49));
            assertThat(t.bgStatus(owner).percentComplete()).isEqualTo(98);
            t.advance(Duration.ofMillis(1));
            s = t.bgStatus(owner);
            assertThat(s.inProgress()).isFalse();
            assertThat(s.percentComplete()).isEqualTo(100);
            assertThat(rc(s.returnCode())).isEqualTo("0000h");
            assertThat(poisonList(t, owner, 0, LINES).scanMediaInProgress()).isFalse();
            assertThat(results(scanResults(t, other)).records()).containsExactly(
                    rec(0x1000, PoisonSource.INTERNAL, 1), rec(0x2000, PoisonSource.INTERNAL, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void scanMedia_abortOnTheOwningCci_0012h_noResults_listUnchanged(Cci owner) {
        Cci other = owner == Cci.MAILBOX ? Cci.MCTP : Cci.MAILBOX;
        try (TestDevice t = slow(b -> b.poisonMaxRecords(1))) {
            t.device().injectMediaError(0x1000, 64);
            t.device().injectMediaError(0x2000, 64); // unlisted, overflow
            Events.clearAll(t);
            assertThat(rc(scan(t, owner, 0, LINES, false).returnCode())).isEqualTo("0001h");
            t.advance(Duration.ofMillis(30));
            assertThat(rc(t.requestAbort(other))).as("the other CCI runs nothing").isEqualTo("0000h");
            assertThat(t.bgStatus(owner).inProgress()).isTrue();
            assertThat(rc(t.requestAbort(owner))).isEqualTo("0000h");
            BackgroundOperationStatus s = t.bgStatus(owner);
            assertThat(s.inProgress()).isFalse();
            assertThat(rc(s.returnCode())).isEqualTo("0012h");
            assertThat(s.percentComplete()).isEqualTo(29);
            t.advance(Duration.ofMillis(100));
            GetPoisonListResponse list = poisonList(t, owner, 0, LINES);
            assertThat(list.records()).containsExactly(rec(0x1000, PoisonSource.INTERNAL, 1));
            assertThat(list.overflow()).isTrue();
            assertThat(Events.allRecords(t)).isEmpty();
            TestDevice.Reply r = scanResults(t, owner);
            assertThat(rc(r.returnCode())).as("a scan was started").isEqualTo("0000h");
            assertThat(r.output()).hasSize(0x20).containsOnly(0);
        }
    }

    @Test
    void scanMedia_aColdResetDropsIt_noResults_4305hAnswers0003h() {
        try (TestDevice t = slow(b -> b.poisonMaxRecords(1))) {
            t.device().injectMediaError(0x1000, 64);
            t.device().injectMediaError(0x2000, 64);
            assertThat(rc(scan(t, Cci.MAILBOX, 0, LINES, false).returnCode())).isEqualTo("0001h");
            t.advance(Duration.ofMillis(50));
            t.coldReset();
            assertThat(t.bgStatus(Cci.MAILBOX).inProgress()).isFalse();
            t.advance(Duration.ofMillis(100));
            assertThat(rc(scanResults(t, Cci.MAILBOX).returnCode())).isEqualTo("0003h");
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).records()).containsExactly(rec(0x1000, PoisonSource.INTERNAL, 1));
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).overflow()).isTrue();
            // a completed scan's results are dropped too
            t.inject(f -> { });
            assertThat(rc(scan(t, Cci.MCTP, 0, LINES, true).returnCode())).isEqualTo("0001h");
            t.finishBackground(Cci.MCTP);
            assertThat(rc(scanResults(t, Cci.MAILBOX).returnCode())).isEqualTo("0000h");
            t.coldReset();
            assertThat(rc(scanResults(t, Cci.MAILBOX).returnCode())).isEqualTo("0003h");
            t.reopen();
            assertThat(rc(scanResults(t, Cci.MCTP).returnCode())).isEqualTo("0003h");
        }
    }

    @Test
    void scanMedia_aNewScanDiscardsEarlierResults() {
        try (TestDevice t = instant()) {
            t.device().injectMediaError(0x1000, 64);
            assertThat(rc(scan(t, Cci.MAILBOX, 0, LINES, false).returnCode())).isEqualTo("0000h");
            assertThat(rc(scan(t, Cci.MAILBOX, 0x2000, 1, false).returnCode())).isEqualTo("0000h");
            assertThat(results(scanResults(t, Cci.MAILBOX)).records()).isEmpty();
        }
    }
}
