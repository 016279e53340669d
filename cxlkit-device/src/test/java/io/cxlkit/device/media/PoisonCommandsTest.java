package io.cxlkit.device.media;

import static io.cxlkit.device.media.MediaOps.clear;
import static io.cxlkit.device.media.MediaOps.generalMedia;
import static io.cxlkit.device.media.MediaOps.getPoisonList;
import static io.cxlkit.device.media.MediaOps.inject;
import static io.cxlkit.device.media.MediaOps.pattern;
import static io.cxlkit.device.media.MediaOps.poisonList;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.Events;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.GeneralMediaEvent;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.PoisonSource;
import io.cxlkit.protocol.payload.ResponseMessageLimit;
import io.cxlkit.protocol.payload.Timestamp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Get Poison List (4300h), Inject Poison (4301h), Clear Poison (4302h) and the {@code media-error}
 * one-shot, memdev-commands.md §8.1-§8.3, §2.3, §3.3, §12: each check in its order with no effect
 * on failure, on both CCIs where offered, the list's runs, limit M and overflow, the continuation
 * cursor, and the records each change adds. The default device: 1 GiB persistent, no volatile.
 */
class PoisonCommandsTest {

    private static final long GIB = 1L << 30;
    private static final long LINES = GIB / 64;

    @TempDir
    Path dir;

    private TestDevice open(UnaryOperator<DeviceConfig.Builder> config) {
        return TestDevice.builder(dir).instant().config(b -> config.apply(b.eventLogSize(64))).open();
    }

    private TestDevice open() {
        return open(b -> b);
    }

    private static MediaErrorRecord rec(long dpa, PoisonSource source, long lines) {
        return new MediaErrorRecord(dpa, source, lines);
    }

    // ---- Get Poison List ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getPoisonList_nothingPoisoned_isTheBare20hHeader(Cci cci) {
        try (TestDevice t = open()) {
            TestDevice.Reply r = getPoisonList(t, cci, 0, LINES, false);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).hasSize(0x20).containsOnly(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getPoisonList_check1_range(Cci cci) {
        try (TestDevice t = open()) {
            assertThat(rc(getPoisonList(t, cci, 0, 0, false).returnCode())).as("length 0").isEqualTo("0002h");
            assertThat(rc(getPoisonList(t, cci, GIB, 0, false).returnCode())).as("length 0 beyond").isEqualTo("0002h");
            assertThat(rc(getPoisonList(t, cci, GIB - 64, 1, false).returnCode())).as("the last line").isEqualTo("0000h");
            assertThat(rc(getPoisonList(t, cci, GIB - 64, 2, false).returnCode())).as("one past").isEqualTo("000Fh");
            assertThat(rc(getPoisonList(t, cci, GIB, 1, false).returnCode())).isEqualTo("000Fh");
            assertThat(rc(getPoisonList(t, cci, 0, LINES + 1, false).returnCode())).isEqualTo("000Fh");
            // DPA + 64·N overflowing 64 bits counts as above the capacity
            assertThat(rc(getPoisonList(t, cci, 0xFFFF_FFFF_FFFF_FFC0L, 2, false).returnCode())).isEqualTo("000Fh");
            assertThat(rc(getPoisonList(t, cci, 64, -1L, false).returnCode())).isEqualTo("000Fh");
            assertThat(rc(getPoisonList(t, cci, 64, 1L << 58, false).returnCode())).isEqualTo("000Fh");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getPoisonList_check2_mediaDisabled_0007h_afterTheRangeCheck(Cci cci) {
        try (TestDevice t = open()) {
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(getPoisonList(t, cci, 0, LINES, false).returnCode())).isEqualTo("0007h");
            assertThat(rc(getPoisonList(t, cci, 0, 0, false).returnCode())).isEqualTo("0002h");
            assertThat(rc(getPoisonList(t, cci, GIB, 1, false).returnCode())).isEqualTo("000Fh");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getPoisonList_recordsAreMaximalRunsOfOneSource_clippedToTheRange_byteExact(Cci cci) {
        try (TestDevice t = open()) {
            for (long dpa : new long[] {0x1000, 0x1040, 0x1080}) {
                assertThat(inject(t, dpa)).isZero();
            }
            t.device().injectMediaError(0x10C0, 128); // Internal, adjacent: a run of its own
            t.device().injectMediaError(0x2000, 64);
            TestDevice.Reply r = getPoisonList(t, cci, 0, LINES, false);
            ByteBuffer expected = ByteBuffer.allocate(0x20 + 3 * 0x10).order(ByteOrder.LITTLE_ENDIAN);
            expected.putShort(0x0A, (short) 3);
            expected.position(0x20);
            expected.putLong(0x1000 | 3).putInt(3).putInt(0);
            expected.putLong(0x10C0 | 2).putInt(2).putInt(0);
            expected.putLong(0x2000 | 2).putInt(1).putInt(0);
            assertThat(r.output()).containsExactly(expected.array());
            // clipped: the range starts inside the first run and ends inside the second
            assertThat(poisonList(t, cci, 0x1040, 3).records()).containsExactly(
                    rec(0x1040, PoisonSource.INJECTED, 2), rec(0x10C0, PoisonSource.INTERNAL, 1));
            assertThat(poisonList(t, cci, 0x1100, 0x10).records()).containsExactly(rec(0x1100, PoisonSource.INTERNAL, 1));
            assertThat(poisonList(t, cci, 0x1140, 1).records()).isEmpty();
        }
    }

    @Test
    void getPoisonList_moreRecordsThanLout_continueFromWhereTheyStopped_perCci() {
        try (TestDevice t = open()) {
            // MCTP Lout 2^8 = 256 bytes: (256 - 20h) / 10h = 14 records per output
            assertThat(t.send(Cci.MCTP, CommandId.SET_RESPONSE_MESSAGE_LIMIT, new ResponseMessageLimit(8).encode())
                    .ok()).isTrue();
            List<MediaErrorRecord> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                assertThat(inject(t, 0x10000 + i * 0x100L)).isZero();
                all.add(rec(0x10000 + i * 0x100L, PoisonSource.INJECTED, 1));
            }
            GetPoisonListResponse first = poisonList(t, Cci.MCTP, 0, LINES);
            assertThat(first.more()).isTrue();
            assertThat(first.restartAck()).isFalse();
            assertThat(first.records()).isEqualTo(all.subList(0, 14));
            // the mailbox (Lout 4 KiB) has a cursor of its own: it lists all 20 from the start
            GetPoisonListResponse mailbox = poisonList(t, Cci.MAILBOX, 0, LINES);
            assertThat(mailbox.more()).isFalse();
            assertThat(mailbox.records()).isEqualTo(all);
            GetPoisonListResponse second = poisonList(t, Cci.MCTP, 0, LINES);
            assertThat(second.more()).isFalse();
            assertThat(second.records()).isEqualTo(all.subList(14, 20));
            // no More: the cursor is gone, the same request starts again
            assertThat(poisonList(t, Cci.MCTP, 0, LINES).records()).isEqualTo(all.subList(0, 14));
            // Restart Request starts at the range start and says so
            TestDevice.Reply restart = getPoisonList(t, Cci.MCTP, 0, LINES, true);
            GetPoisonListResponse again = GetPoisonListResponse.decode(ByteBuffer.wrap(restart.output()));
            assertThat(again.restartAck()).isTrue();
            assertThat(restart.output()[0]).isEqualTo((byte) 0x09); // More + Restart Ack
            assertThat(again.records()).isEqualTo(all.subList(0, 14));
            // another range starts at its own start, and forgets the cursor
            assertThat(poisonList(t, Cci.MCTP, 0, LINES - 1).records()).isEqualTo(all.subList(0, 14));
            assertThat(poisonList(t, Cci.MCTP, 0, LINES).records()).isEqualTo(all.subList(0, 14));
            // a cold reset drops the cursors
            t.coldReset();
            assertThat(t.send(Cci.MCTP, CommandId.SET_RESPONSE_MESSAGE_LIMIT, new ResponseMessageLimit(8).encode())
                    .ok()).isTrue();
            assertThat(poisonList(t, Cci.MCTP, 0, LINES).records()).isEqualTo(all.subList(0, 14));
            t.coldReset();
            assertThat(t.send(Cci.MCTP, CommandId.SET_RESPONSE_MESSAGE_LIMIT, new ResponseMessageLimit(8).encode())
                    .ok()).isTrue();
            assertThat(poisonList(t, Cci.MCTP, 0, LINES).records()).isEqualTo(all.subList(0, 14));
        }
    }

    // ---- Inject Poison ----

    @Test
    void injectPoison_isNotOfferedOnMctp_0015h() {
        try (TestDevice t = open()) {
            assertThat(rc(t.send(Cci.MCTP, CommandId.INJECT_POISON, new InjectPoisonRequest(0).encode()).returnCode()))
                    .isEqualTo("0015h");
            assertThat(poisonList(t, Cci.MCTP, 0, LINES).records()).isEmpty();
            // the length check comes first (dispatch check 2 before 3)
            assertThat(rc(t.send(Cci.MCTP, CommandId.INJECT_POISON, new byte[9]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(Cci.MAILBOX, CommandId.INJECT_POISON, new byte[7]).returnCode())).isEqualTo("0016h");
        }
    }

    @Test
    void injectPoison_checks_inOrder_withoutEffect() {
        try (TestDevice t = open(b -> b.injectPoisonLimit(2))) {
            // 1. range (DPA, 1)
            assertThat(rc(inject(t, GIB))).isEqualTo("000Fh");
            assertThat(rc(inject(t, 0xFFFF_FFFF_FFFF_FFC0L))).isEqualTo("000Fh");
            assertThat(rc(inject(t, GIB - 64))).isEqualTo("0000h");
            // 2. media disabled, before "already poisoned"
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(inject(t, 0x40))).isEqualTo("0007h");
            assertThat(rc(inject(t, GIB - 64))).isEqualTo("0007h");
            assertThat(rc(inject(t, GIB))).isEqualTo("000Fh");
            t.inject(FaultSet::clear);
            Events.clearAll(t);
            // 3. already poisoned: 0000h, no change, no record (before the limit)
            assertThat(rc(inject(t, 0x40))).isEqualTo("0000h");
            Events.clearAll(t);
            assertThat(rc(inject(t, 0x40))).isEqualTo("0000h");
            assertThat(Events.allRecords(t)).isEmpty();
            // 4. the limit: 2 Injected lines
            assertThat(rc(inject(t, 0x80))).isEqualTo("0010h");
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).records()).containsExactly(
                    rec(0x40, PoisonSource.INJECTED, 1), rec(GIB - 64, PoisonSource.INJECTED, 1));
            // Internal lines do not count; a cleared Injected line frees its place
            t.device().injectMediaError(0x1000, 64);
            assertThat(rc(clear(t, Cci.MCTP, 0x40))).isEqualTo("0000h");
            assertThat(rc(inject(t, 0x80))).isEqualTo("0000h");
            assertThat(rc(inject(t, 0xC0))).isEqualTo("0010h");
        }
    }

    @Test
    void injectPoison_addsAnInformationalRecord_descriptor01h_transaction04h_withTheVolatileBit() {
        try (TestDevice t = open(b -> b.volatileCapacity(256L << 20))) {
            assertThat(inject(t, 0x40)).isZero(); // volatile partition [0, 256 MiB)
            assertThat(inject(t, (256L << 20) + 0x80)).isZero();
            List<EventRecord> info = Events.records(t, EventLog.INFORMATIONAL);
            assertThat(info).extracting(r -> r.generalMedia().orElseThrow()).containsExactly(
                    new GeneralMediaEvent(0x40, true, 0x01, 0x00, 0x04),
                    new GeneralMediaEvent((256L << 20) + 0x80, false, 0x01, 0x00, 0x04));
            assertThat(info).extracting(EventRecord::flags).containsOnly(0);
            assertThat(Arrays.copyOfRange(info.get(0).data(), 0, 11)).containsExactly(0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0, 4);
        }
    }

    @Test
    void overflow_aLineThatWouldExceedM_staysPoisonedButUnlisted_flagAndTimestamp() {
        try (TestDevice t = open(b -> b.poisonMaxRecords(2))) {
            assertThat(t.send(Cci.MAILBOX, CommandId.SET_TIMESTAMP, new Timestamp(5_000_000_000L).encode()).ok()).isTrue();
            assertThat(inject(t, 0x0)).isZero();
            assertThat(inject(t, 0x1000)).isZero();
            // joining a listed run of its source does not add a record: listed
            assertThat(inject(t, 0x1040)).isZero();
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).overflow()).isFalse();
            t.advance(java.time.Duration.ofSeconds(1));
            long overflowAt = 6_000_000_000L;
            assertThat(inject(t, 0x2000)).isZero();
            GetPoisonListResponse r = poisonList(t, Cci.MCTP, 0, LINES);
            assertThat(r.overflow()).isTrue();
            assertThat(r.overflowTimestamp()).isEqualTo(overflowAt);
            assertThat(r.records()).containsExactly(rec(0, PoisonSource.INJECTED, 1), rec(0x1000, PoisonSource.INJECTED, 2));
            assertThat(generalMedia(t, EventLog.INFORMATIONAL)).last()
                    .isEqualTo(new GeneralMediaEvent(0x2000, false, 0x05, 0, 0x04));
            // still poisoned: inject answers "already poisoned"
            Events.clearAll(t);
            assertThat(inject(t, 0x2000)).isZero();
            assertThat(Events.allRecords(t)).isEmpty();
            // while overflowed nothing is listed, even a line that would join a listed run
            t.advance(java.time.Duration.ofSeconds(1));
            assertThat(inject(t, 0x1080)).isZero();
            r = poisonList(t, Cci.MCTP, 0, LINES);
            assertThat(r.records()).containsExactly(rec(0, PoisonSource.INJECTED, 1), rec(0x1000, PoisonSource.INJECTED, 2));
            assertThat(r.overflowTimestamp()).as("the time it overflowed").isEqualTo(overflowAt);
            // clearing listed lines does not clear the overflow
            assertThat(clear(t, Cci.MAILBOX, 0)).isZero();
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).overflow()).isTrue();
        }
    }

    @Test
    void clearPoison_splittingARunWhenMRunsExist_unlistsTheUpperFragment_andOverflows() {
        try (TestDevice t = open(b -> b.poisonMaxRecords(2))) {
            t.device().injectMediaError(0x1000, 5 * 64);
            assertThat(clear(t, Cci.MCTP, 0x1080)).as("a split with 1 run of 2: both listed").isZero();
            GetPoisonListResponse r = poisonList(t, Cci.MAILBOX, 0, LINES);
            assertThat(r.records()).containsExactly(rec(0x1000, PoisonSource.INTERNAL, 2),
                    rec(0x10C0, PoisonSource.INTERNAL, 2));
            assertThat(r.overflow()).isFalse();
            assertThat(clear(t, Cci.MCTP, 0x1040)).as("the end of a run: no split").isZero();
            assertThat(clear(t, Cci.MCTP, 0x10C0)).isZero();
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).records()).containsExactly(
                    rec(0x1000, PoisonSource.INTERNAL, 1), rec(0x1100, PoisonSource.INTERNAL, 1));
            t.device().injectMediaError(0x2000, 3 * 64);
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).overflow()).as("the third run").isTrue();
        }
    }

    @Test
    void clearPoison_splitAtM_upperFragmentUnlisted() {
        try (TestDevice t = open(b -> b.poisonMaxRecords(2))) {
            t.device().injectMediaError(0x1000, 4 * 64);
            assertThat(inject(t, 0x3000)).isZero();
            assertThat(clear(t, Cci.MAILBOX, 0x1040)).isZero();
            GetPoisonListResponse r = poisonList(t, Cci.MAILBOX, 0, LINES);
            assertThat(r.overflow()).isTrue();
            assertThat(r.records()).containsExactly(rec(0x1000, PoisonSource.INTERNAL, 1),
                    rec(0x3000, PoisonSource.INJECTED, 1));
            // the upper fragment is still poisoned: Clear Poison of it works, inject says "already"
            Events.clearAll(t);
            assertThat(inject(t, 0x1080)).isZero();
            assertThat(Events.allRecords(t)).isEmpty();
        }
    }

    // ---- Clear Poison ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clearPoison_checks_inOrder_withoutEffect(Cci cci) {
        try (TestDevice t = open()) {
            assertThat(inject(t, 0x40)).isZero();
            assertThat(rc(clear(t, cci, GIB, pattern(1)))).isEqualTo("000Fh");
            assertThat(rc(clear(t, cci, -64L, pattern(1)))).isEqualTo("000Fh");
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(clear(t, cci, 0x40, pattern(1)))).isEqualTo("0007h");
            assertThat(rc(clear(t, cci, GIB, pattern(1)))).isEqualTo("000Fh");
            t.inject(FaultSet::clear);
            assertThat(t.device().readMedia(0, 128)).containsOnly(0);
            assertThat(poisonList(t, cci, 0, LINES).records()).containsExactly(rec(0x40, PoisonSource.INJECTED, 1));
            assertThat(rc(t.send(cci, CommandId.CLEAR_POISON, new byte[0x47]).returnCode())).isEqualTo("0016h");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clearPoison_writesTheData_unpoisons_anySource_andAddsNoRecord(Cci cci) {
        try (TestDevice t = open()) {
            t.device().injectMediaError(0x1000, 3 * 64);
            assertThat(inject(t, 0x2000)).isZero();
            Events.clearAll(t);
            assertThat(rc(clear(t, cci, 0x1040, pattern(3)))).isEqualTo("0000h");
            assertThat(rc(clear(t, cci, 0x2000, pattern(4)))).isEqualTo("0000h");
            // an unpoisoned line: the data is written all the same
            assertThat(rc(clear(t, cci, GIB - 64, pattern(5)))).isEqualTo("0000h");
            assertThat(poisonList(t, cci, 0, LINES).records()).containsExactly(rec(0x1000, PoisonSource.INTERNAL, 1),
                    rec(0x1080, PoisonSource.INTERNAL, 1));
            assertThat(t.device().readMedia(0x1040, 64)).containsExactly(pattern(3));
            assertThat(t.device().readMedia(0x2000, 64)).containsExactly(pattern(4));
            assertThat(t.device().readMedia(GIB - 64, 64)).containsExactly(pattern(5));
            byte[] around = t.device().readMedia(0x1000, 192);
            assertThat(Arrays.copyOfRange(around, 0, 64)).containsOnly(0);
            assertThat(Arrays.copyOfRange(around, 128, 192)).containsOnly(0);
            assertThat(Events.allRecords(t)).isEmpty();
        }
    }

    // ---- the media-error one-shot ----

    @Test
    void mediaError_poisonsWithSourceInternal_poisonedLinesKeepTheirs_oneFailureRecordPerNewRun() {
        try (TestDevice t = open(b -> b.poisonMaxRecords(3))) {
            assertThat(inject(t, 0x1040)).isZero();
            Events.clearAll(t);
            t.device().injectMediaError(0x1000, 4 * 64); // lines 1000h, [1080h, 1100h): two new runs
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).records()).containsExactly(
                    rec(0x1000, PoisonSource.INTERNAL, 1), rec(0x1040, PoisonSource.INJECTED, 1),
                    rec(0x1080, PoisonSource.INTERNAL, 2));
            assertThat(generalMedia(t, EventLog.FAILURE)).containsExactly(
                    new GeneralMediaEvent(0x1000, false, 0x01, 0, 0x00),
                    new GeneralMediaEvent(0x1080, false, 0x01, 0, 0x00));
            assertThat(Events.records(t, EventLog.INFORMATIONAL)).isEmpty();
            // a run the list cannot take: descriptor 05h
            Events.clearAll(t);
            t.device().injectMediaError(0x4000, 64);
            assertThat(generalMedia(t, EventLog.FAILURE)).containsExactly(
                    new GeneralMediaEvent(0x4000, false, 0x05, 0, 0x00));
            // all poisoned already: nothing new, no record
            Events.clearAll(t);
            t.device().injectMediaError(0x1000, 4 * 64);
            assertThat(Events.allRecords(t)).isEmpty();
        }
    }

    @Test
    void mediaError_aHugeRange_staysOneRun() {
        try (TestDevice t = open()) {
            t.device().injectMediaError(0, GIB);
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).records()).containsExactly(rec(0, PoisonSource.INTERNAL, LINES));
            assertThat(generalMedia(t, EventLog.FAILURE)).hasSize(1);
            assertThat(clear(t, Cci.MAILBOX, GIB / 2)).isZero();
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).records()).containsExactly(
                    rec(0, PoisonSource.INTERNAL, LINES / 2), rec(GIB / 2 + 64, PoisonSource.INTERNAL, LINES / 2 - 1));
        }
    }

    @Test
    void mediaError_andReadMedia_refuseBadRanges_withOneLineNamingTheDevice() {
        try (TestDevice t = open()) {
            for (long[] bad : new long[][] {{32, 64}, {0, 32}, {0, 0}, {GIB, 64}, {GIB - 64, 128}, {-64, 64},
                    {0, GIB + 64}}) {
                assertThatThrownBy(() -> t.device().injectMediaError(bad[0], bad[1]))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("mem0: ")
                        .hasMessageNotContaining("\n");
            }
            for (long[] bad : new long[][] {{32, 64}, {0, 32}, {0, 0}, {GIB, 64}, {GIB - 64, 128}, {0, (1 << 20) + 64}}) {
                assertThatThrownBy(() -> t.device().readMedia(bad[0], (int) bad[1]))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("mem0: ");
            }
            assertThat(t.device().readMedia(0, 1 << 20)).hasSize(1 << 20).containsOnly(0);
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES).records()).isEmpty();
        }
    }

    @Test
    void mediaError_onAPoweredOffDevice_isRefused_andChangesNoFile() {
        TestDevice t = open();
        t.close();
        assertThatThrownBy(() -> t.device().injectMediaError(0x1000, 64)).isInstanceOf(IllegalStateException.class)
                .hasMessage("mem0: powered off, media-error not injected");
        assertThat(dir.resolve(MediaStore.POISON_FILE)).doesNotExist();
    }

    @Test
    void identify_reportsMTheLimitAndPersistentPoison() {
        try (TestDevice t = open(b -> b.poisonMaxRecords(0x123456).injectPoisonLimit(0xABCD))) {
            byte[] out = t.send(Cci.MCTP, CommandId.IDENTIFY_MEMORY_DEVICE).output();
            assertThat(Arrays.copyOfRange(out, 0x3C, 0x42)).containsExactly(0x56, 0x34, 0x12, 0xCD, 0xAB, 0x01);
        }
    }
}
