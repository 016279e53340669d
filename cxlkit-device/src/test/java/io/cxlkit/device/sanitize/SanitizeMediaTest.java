package io.cxlkit.device.sanitize;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.label.LabelStore;
import io.cxlkit.device.media.MediaStore;
import io.cxlkit.device.testing.Events;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.GetLsaRequest;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.GetScanMediaResultsResponse;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.PoisonSource;
import io.cxlkit.protocol.payload.ScanMediaRequest;
import io.cxlkit.protocol.payload.SetLsaRequest;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.regs.MemoryDeviceStatus;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sanitize and Secure Erase over the device's real media model (memdev-commands.md §8, §9, §10,
 * §11, §2.4), not a recording stand-in: the poison and data of both partitions, the poison list
 * and its overflow, the Scan Media results, the LSA and the event logs, before, while and after a
 * Sanitize that runs in the background on the virtual clock, across abort and restart; and what
 * Secure Erase leaves.
 */
class SanitizeMediaTest {

    private static final long MIB = 1L << 20;
    private static final long V = 256 * MIB;
    private static final long P = 256 * MIB;
    private static final int LSA = DeviceConfig.MIN_LSA_SIZE;
    /** A 10 s Sanitize, a 100 ms Scan Media; firmware parts and activation instant. */
    private static final Timing TIMING = Timing.instant().withSanitizeTime(Duration.ofSeconds(10))
            .withScanMediaTime(Duration.ofMillis(100));

    /** Poisoned by Inject Poison: one volatile and one persistent line. */
    private static final long VOL_POISON = 0x1000;
    private static final long PERS_POISON = V + 0x2000;
    /** Written by Clear Poison with non-zero data: unpoisoned lines, and a poisoned one cleared with data. */
    private static final long VOL_DATA = 0x4_0000;
    private static final long PERS_DATA = V + 0x8_0000;
    private static final long PERS_CLEARED = V + 0x10_0000;
    private static final long[] WRITTEN = {VOL_DATA, PERS_DATA, PERS_CLEARED};

    @TempDir
    Path dir;

    /** A device with a volatile and a persistent partition and the real media model as what Sanitize erases. */
    private TestDevice open(UnaryOperator<DeviceConfig.Builder> change) {
        return TestDevice.builder(dir).timing(TIMING).mediaErase(null)
                .config(b -> change.apply(b.volatileCapacity(V).persistentCapacity(P).lsaSize(LSA).eventLogSize(64)))
                .open();
    }

    private TestDevice open() {
        return open(b -> b);
    }

    private static long lines(TestDevice t) {
        return t.config().totalCapacity() / 64;
    }

    private static Cci other(Cci cci) {
        return cci == Cci.MAILBOX ? Cci.MCTP : Cci.MAILBOX;
    }

    // ---- the commands ----

    private static int inject(TestDevice t, Cci cci, long dpa) {
        return t.send(cci, CommandId.INJECT_POISON, new InjectPoisonRequest(dpa).encode()).returnCode();
    }

    private static int clear(TestDevice t, Cci cci, long dpa, byte[] data) {
        return t.send(cci, CommandId.CLEAR_POISON, ClearPoisonRequest.of(dpa, data).encode()).returnCode();
    }

    private static TestDevice.Reply poisonListReply(TestDevice t, Cci cci) {
        return t.send(cci, CommandId.GET_POISON_LIST, new GetPoisonListRequest(false, new DpaRange(0, lines(t)))
                .encode());
    }

    private static GetPoisonListResponse poisonList(TestDevice t, Cci cci) {
        TestDevice.Reply r = poisonListReply(t, cci);
        assertThat(rc(r.returnCode())).as("Get Poison List on " + cci).isEqualTo("0000h");
        return GetPoisonListResponse.decode(ByteBuffer.wrap(r.output()));
    }

    private static TestDevice.Reply scan(TestDevice t, Cci cci) {
        return t.send(cci, CommandId.SCAN_MEDIA, new ScanMediaRequest(new DpaRange(0, lines(t)), false).encode());
    }

    private static TestDevice.Reply scanResults(TestDevice t, Cci cci) {
        return t.send(cci, CommandId.GET_SCAN_MEDIA_RESULTS);
    }

    private static int setLsa(TestDevice t, Cci cci, int offset, byte[] data) {
        return t.send(cci, CommandId.SET_LSA, new SetLsaRequest(offset, ByteBuffer.wrap(data)).encode()).returnCode();
    }

    private static TestDevice.Reply getLsa(TestDevice t, Cci cci, int offset, int length) {
        return t.send(cci, CommandId.GET_LSA, new GetLsaRequest(offset, length).encode());
    }

    /** The whole LSA through the mailbox, checked to succeed. */
    private static byte[] lsa(TestDevice t) {
        TestDevice.Reply r = getLsa(t, Cci.MAILBOX, 0, LSA);
        assertThat(rc(r.returnCode())).as("Get LSA").isEqualTo("0000h");
        return r.output();
    }

    private static byte[] pattern(int seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 13 + i * 7 + 1);
        }
        return b;
    }

    private static int transferFull(TestDevice t, Cci cci) {
        return t.transfer(cci, TransferFwRequest.full(2, ByteBuffer.wrap(TestDevice.pkg("NEW", 256))));
    }

    private static void startSanitize(TestDevice t, Cci cci) {
        assertThat(rc(t.send(cci, CommandId.SANITIZE).returnCode())).isEqualTo("0001h");
    }

    // ---- the state before and after ----

    /**
     * Poison and data in both partitions, a completed whole-device Scan Media whose results are
     * unread, a written LSA, and the records these added.
     */
    private static void fill(TestDevice t) {
        Events.setTimestamp(t, 5_000_000_000L);
        assertThat(rc(inject(t, Cci.MAILBOX, VOL_POISON))).isEqualTo("0000h");
        assertThat(rc(inject(t, Cci.MAILBOX, PERS_POISON))).isEqualTo("0000h");
        assertThat(rc(inject(t, Cci.MAILBOX, PERS_CLEARED))).isEqualTo("0000h");
        assertThat(rc(clear(t, Cci.MAILBOX, VOL_DATA, pattern(1, 64)))).isEqualTo("0000h");
        assertThat(rc(clear(t, Cci.MCTP, PERS_DATA, pattern(2, 64)))).isEqualTo("0000h");
        assertThat(rc(clear(t, Cci.MAILBOX, PERS_CLEARED, pattern(3, 64)))).isEqualTo("0000h");
        assertThat(rc(scan(t, Cci.MAILBOX).returnCode())).isEqualTo("0001h");
        assertThat(t.finishBackground(Cci.MAILBOX)).isZero();
        assertThat(rc(setLsa(t, Cci.MAILBOX, 0, pattern(4, LSA)))).isEqualTo("0000h");

        // the state is really there before the Sanitize
        assertThat(poisonList(t, Cci.MCTP).records()).containsExactly(
                new MediaErrorRecord(VOL_POISON, PoisonSource.INJECTED, 1),
                new MediaErrorRecord(PERS_POISON, PoisonSource.INJECTED, 1));
        for (int i = 0; i < WRITTEN.length; i++) {
            assertThat(t.device().readMedia(WRITTEN[i], 64)).isEqualTo(pattern(i + 1, 64));
        }
        assertThat(lsa(t)).isEqualTo(pattern(4, LSA));
        assertThat(Events.records(t, EventLog.INFORMATIONAL)).hasSize(3); // one per injected line
        assertThat(Files.exists(t.dir().resolve(MediaStore.DATA_FILE))).isTrue();
        assertThat(Files.exists(t.dir().resolve(MediaStore.POISON_FILE))).isTrue();
    }

    /** A completed Sanitize's media, LSA and status, on both CCIs. */
    private static void assertSanitized(TestDevice t) {
        assertThat(t.device().sanitizePending()).isFalse();
        assertThat(t.device().memoryDeviceStatus().mediaStatus()).isEqualTo(MemoryDeviceStatus.MEDIA_READY);
        for (Cci any : Cci.values()) {
            GetPoisonListResponse list = poisonList(t, any);
            assertThat(list.records()).as("poison list on " + any).isEmpty();
            assertThat(list.overflow()).isFalse();
            assertThat(list.overflowTimestamp()).isZero();
            assertThat(list.more()).isFalse();
        }
        for (long dpa : new long[] {VOL_POISON, PERS_POISON, VOL_DATA, PERS_DATA, PERS_CLEARED}) {
            assertThat(t.device().readMedia(dpa, 64)).as("line at DPA 0x%x", dpa).isEqualTo(new byte[64]);
        }
        // whole 1 MiB windows at the start of each partition
        assertThat(t.device().readMedia(0, 1 << 20)).isEqualTo(new byte[1 << 20]);
        assertThat(t.device().readMedia(V, 1 << 20)).isEqualTo(new byte[1 << 20]);
        assertThat(t.device().readMedia(V + (1 << 20), 1 << 20)).isEqualTo(new byte[1 << 20]);
        assertThat(lsa(t)).isEqualTo(new byte[LSA]);
        // on disk: media.bin and poison.bin absent (zeros, no poison), no mark, no LSA files
        for (String f : List.of(MediaStore.DATA_FILE, MediaStore.POISON_FILE, SanitizeMark.FILE, LabelStore.FILE,
                LabelStore.JOURNAL)) {
            assertThat(Files.exists(t.dir().resolve(f))).as(f).isFalse();
        }
    }

    private static void assertDisabledPending(TestDevice t) {
        assertThat(t.device().sanitizePending()).isTrue();
        assertThat(t.device().memoryDeviceStatus().mediaStatus()).isEqualTo(MemoryDeviceStatus.MEDIA_DISABLED);
        assertThat(Files.exists(t.dir().resolve(SanitizeMark.FILE))).isTrue();
        for (Cci any : Cci.values()) {
            assertThat(rc(poisonListReply(t, any).returnCode())).isEqualTo("0007h");
            assertThat(rc(getLsa(t, any, 0, 64).returnCode())).isEqualTo("0007h");
        }
    }

    // ---- Sanitize over the real media ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void sanitize_erasesBothPartitions_poisonListScanResultsLsaAndLogs_andItHoldsAfterARestart(Cci cci) {
        try (TestDevice t = open()) {
            assertThat(t.uploadFull(Cci.MAILBOX, 2, TestDevice.pkg("B", 256))).isZero(); // a slot to activate
            fill(t);
            int lastHandle = Events.records(t, EventLog.INFORMATIONAL).stream().mapToInt(EventRecord::handle).max().orElseThrow();

            startSanitize(t, cci);
            t.advance(Duration.ofSeconds(4));
            for (Cci any : Cci.values()) {
                // Background-flagged: 0006h while the Sanitize runs
                assertThat(rc(scan(t, any).returnCode())).as("Scan Media on " + any).isEqualTo("0006h");
                assertThat(rc(transferFull(t, any))).as("Transfer FW on " + any).isEqualTo("0006h");
                assertThat(rc(t.activate(any, new ActivateFwRequest(0, 2)))).as("Activate FW").isEqualTo("0006h");
                // media-gated: 0007h (a scan completed, so 4305h gets past its 0003h and 0006h checks)
                assertThat(rc(poisonListReply(t, any).returnCode())).as("Get Poison List").isEqualTo("0007h");
                assertThat(rc(scanResults(t, any).returnCode())).as("Get Scan Media Results").isEqualTo("0007h");
                // Inject Poison is offered on the mailbox only (MCTP: 0015h, whatever the media)
                assertThat(rc(inject(t, any, V + 0x20_0000))).as("Inject Poison")
                        .isEqualTo(any == Cci.MAILBOX ? "0007h" : "0015h");
                assertThat(rc(clear(t, any, VOL_POISON, pattern(9, 64)))).as("Clear Poison").isEqualTo("0007h");
                assertThat(rc(getLsa(t, any, 0, 64).returnCode())).as("Get LSA").isEqualTo("0007h");
                assertThat(rc(setLsa(t, any, 0, pattern(9, 64)))).as("Set LSA").isEqualTo("0007h");
                assertThat(rc(t.send(any, CommandId.SECURE_ERASE).returnCode())).as("Secure Erase")
                        .isEqualTo("0007h");
            }
            assertThat(t.bgStatus(cci)).isEqualTo(new BackgroundOperationStatus(true, 39, CommandId.SANITIZE.opcode(),
                    0, 0));
            assertThat(t.finishBackground(cci)).isZero();

            assertSanitized(t);
            for (Cci any : Cci.values()) {
                // a scan was started since the last reset: 0000h with no records
                TestDevice.Reply r = scanResults(t, any);
                assertThat(rc(r.returnCode())).isEqualTo("0000h");
                assertThat(GetScanMediaResultsResponse.decode(ByteBuffer.wrap(r.output())))
                        .isEqualTo(GetScanMediaResultsResponse.of(false, List.of()));
            }
            assertThat(Events.allRecords(t)).as("the logs are emptied").isEmpty();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1); // the refused Activate did nothing

            // the logs' handles keep counting: the next record's handle is past every earlier one
            // (a volatile line, so that the files stay as the Sanitize left them for the restart)
            assertThat(rc(inject(t, Cci.MAILBOX, VOL_POISON))).isEqualTo("0000h");
            List<EventRecord> after = Events.records(t, EventLog.INFORMATIONAL);
            assertThat(after).hasSize(1);
            assertThat(after.get(0).handle()).isGreaterThan(lastHandle);
            assertThat(rc(clear(t, Cci.MAILBOX, VOL_POISON, new byte[64]))).isEqualTo("0000h");

            t.reopen();
            assertSanitized(t);
            for (Cci any : Cci.values()) {
                // no Scan Media since the restart: 0003h (memdev-commands.md §8.4)
                assertThat(rc(scanResults(t, any).returnCode())).isEqualTo("0003h");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void whileAScanMediaRuns_sanitizeAndSecureEraseGet0006h_onEitherCci_andNothingIsErased(Cci scanner) {
        try (TestDevice t = open()) {
            fill(t);
            assertThat(rc(scan(t, scanner).returnCode())).isEqualTo("0001h");
            for (Cci any : Cci.values()) {
                assertThat(rc(t.send(any, CommandId.SANITIZE).returnCode())).isEqualTo("0006h");
                // docs/sanitize.md: Secure Erase while a background operation runs is 0006h (after the media check)
                assertThat(rc(t.send(any, CommandId.SECURE_ERASE).returnCode())).isEqualTo("0006h");
            }
            assertThat(t.device().sanitizePending()).isFalse();
            assertThat(Files.exists(dir.resolve(SanitizeMark.FILE))).isFalse();
            assertThat(t.finishBackground(scanner)).isZero();
            TestDevice.Reply r = scanResults(t, scanner);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(GetScanMediaResultsResponse.decode(ByteBuffer.wrap(r.output())).records()).containsExactly(
                    new MediaErrorRecord(VOL_POISON, PoisonSource.INJECTED, 1),
                    new MediaErrorRecord(PERS_POISON, PoisonSource.INJECTED, 1));
            for (int i = 0; i < WRITTEN.length; i++) {
                assertThat(t.device().readMedia(WRITTEN[i], 64)).isEqualTo(pattern(i + 1, 64));
            }
            assertThat(lsa(t)).isEqualTo(pattern(4, LSA));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void anAbortedSanitize_0012h_leavesMediaDisabledAcrossARestart_andASecondOneClearsEverything(Cci cci) {
        try (TestDevice t = open()) {
            fill(t);
            startSanitize(t, cci);
            t.advance(Duration.ofSeconds(3));
            assertThat(t.requestAbort(other(cci))).isZero(); // the other CCI runs nothing
            assertThat(t.bgStatus(cci).inProgress()).isTrue();
            assertThat(t.requestAbort(cci)).isZero();
            BackgroundOperationStatus s = t.bgStatus(cci);
            assertThat(s.inProgress()).isFalse();
            assertThat(rc(s.returnCode())).isEqualTo("0012h");
            assertThat(s.opcode()).isEqualTo(CommandId.SANITIZE.opcode());
            assertDisabledPending(t);

            t.reopen();
            assertDisabledPending(t);
            t.crashAndReopen();
            assertDisabledPending(t);

            startSanitize(t, other(cci));
            assertThat(t.finishBackground(other(cci))).isZero();
            assertSanitized(t);
            t.reopen();
            assertSanitized(t);
        }
    }

    // ---- the poison list's overflow ----

    /** Four separate injected lines with room for two runs: the list overflows at the third. */
    private static void overflow(TestDevice t) {
        Events.setTimestamp(t, 7_000_000_000L);
        for (long dpa : new long[] {V + 0x1000, V + 0x3000, V + 0x5000, 0x7000}) {
            assertThat(rc(inject(t, Cci.MAILBOX, dpa))).isEqualTo("0000h");
        }
        GetPoisonListResponse list = poisonList(t, Cci.MAILBOX);
        assertThat(list.overflow()).isTrue();
        assertThat(list.overflowTimestamp()).isPositive();
        assertThat(list.records()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void anOverflowedListIsClearedBySanitize_noOverflowFlag_timestamp0_andSoAfterARestart(Cci cci) {
        try (TestDevice t = open(b -> b.poisonMaxRecords(2))) {
            overflow(t);
            startSanitize(t, cci);
            assertThat(t.finishBackground(cci)).isZero();
            for (Cci any : Cci.values()) {
                GetPoisonListResponse list = poisonList(t, any);
                assertThat(list).isEqualTo(new GetPoisonListResponse(false, false, false, false, 0, List.of()));
            }
            assertThat(Files.exists(dir.resolve(MediaStore.POISON_FILE))).isFalse();
            // room again: a new line is listed, with no overflow
            assertThat(rc(inject(t, Cci.MAILBOX, V + 0x1000))).isEqualTo("0000h");
            assertThat(poisonList(t, cci).overflow()).isFalse();
            assertThat(poisonList(t, cci).records()).hasSize(1);
            t.reopen();
            GetPoisonListResponse list = poisonList(t, cci);
            assertThat(list.overflow()).isFalse();
            assertThat(list.overflowTimestamp()).isZero();
            assertThat(list.records()).containsExactly(new MediaErrorRecord(V + 0x1000, PoisonSource.INJECTED, 1));
        }
    }

    // ---- Secure Erase over the real media ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void secureErase_zeroesTheData_andKeepsPoisonTheOverflowedListAndTheLsa(Cci cci) {
        try (TestDevice t = open(b -> b.poisonMaxRecords(2))) {
            overflow(t);
            assertThat(rc(clear(t, Cci.MAILBOX, VOL_DATA, pattern(1, 64)))).isEqualTo("0000h");
            assertThat(rc(clear(t, Cci.MAILBOX, PERS_DATA, pattern(2, 64)))).isEqualTo("0000h");
            assertThat(rc(setLsa(t, Cci.MAILBOX, 0, pattern(4, LSA)))).isEqualTo("0000h");
            GetPoisonListResponse before = poisonList(t, Cci.MAILBOX);
            byte[] poisonFile = readFile(dir.resolve(MediaStore.POISON_FILE));
            int records = Events.allRecords(t).size();

            assertThat(rc(t.send(cci, CommandId.SECURE_ERASE).returnCode())).isEqualTo("0000h");

            assertThat(t.device().readMedia(VOL_DATA, 64)).isEqualTo(new byte[64]);
            assertThat(t.device().readMedia(PERS_DATA, 64)).isEqualTo(new byte[64]);
            assertThat(Files.exists(dir.resolve(MediaStore.DATA_FILE))).isFalse();
            for (Cci any : Cci.values()) {
                assertThat(poisonList(t, any)).isEqualTo(before);
            }
            assertThat(readFile(dir.resolve(MediaStore.POISON_FILE))).isEqualTo(poisonFile);
            assertThat(lsa(t)).isEqualTo(pattern(4, LSA));
            assertThat(Events.allRecords(t)).hasSize(records);
            assertThat(t.device().sanitizePending()).isFalse();
            // the poisoned lines are still poisoned: injecting again changes nothing
            assertThat(rc(inject(t, Cci.MAILBOX, V + 0x1000))).isEqualTo("0000h");
            assertThat(Events.allRecords(t)).hasSize(records);

            t.reopen(); // the persistent partition's poison and the overflow persist; the volatile line's does not
            GetPoisonListResponse list = poisonList(t, cci);
            assertThat(list.overflow()).isTrue();
            assertThat(list.overflowTimestamp()).isEqualTo(before.overflowTimestamp());
            assertThat(list.records()).isEqualTo(before.records().stream().filter(r -> r.dpa() >= V).toList());
            assertThat(t.device().readMedia(PERS_DATA, 64)).isEqualTo(new byte[64]);
            assertThat(lsa(t)).isEqualTo(pattern(4, LSA));
        }
    }

    /** Fails the first write of media.bin once armed, as a full disk would. */
    private static final class FailMediaWrite implements io.cxlkit.device.persist.CrashHook {
        volatile boolean armed;

        @Override
        public void reached(String point) {
            if (armed && point.equals("write " + MediaStore.DATA_FILE)) {
                armed = false;
                throw new java.io.UncheckedIOException(new java.io.IOException("no space left on device"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void aClearPoisonCutShortBeforeASecureErase_doesNotWriteItsLineAgainAtTheNextRestart(Cci cci) {
        FailMediaWrite hook = new FailMediaWrite();
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).mediaErase(null).crashHook(hook)
                .config(b -> b.volatileCapacity(V).persistentCapacity(P).lsaSize(LSA)).open()) {
            assertThat(rc(inject(t, Cci.MAILBOX, PERS_POISON))).isEqualTo("0000h");
            hook.armed = true;
            // poison.bin lands with the line as a redo record, then the line's write fails
            assertThat(rc(clear(t, Cci.MAILBOX, PERS_POISON, pattern(6, 64)))).isEqualTo("0004h");
            assertThat(rc(t.send(cci, CommandId.SECURE_ERASE).returnCode())).isEqualTo("0000h");
            assertThat(t.device().readMedia(PERS_POISON, 64)).isEqualTo(new byte[64]);
            t.reopen();
            // the Clear Poison that answered 0004h before the Secure Erase must not land after it
            assertThat(t.device().readMedia(PERS_POISON, 64)).as("the line after a restart").isEqualTo(new byte[64]);
            t.crashAndReopen();
            assertThat(t.device().readMedia(PERS_POISON, 64)).isEqualTo(new byte[64]);
        }
    }

    private static byte[] readFile(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- poison commands queued before a Sanitize ----

    /** Holds the first LSA file step of the state writer's lane until released: what is queued behind it waits. */
    private static final class LaneBlocker implements io.cxlkit.device.persist.CrashHook {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean armed;

        @Override
        public void reached(String point) {
            if (armed && point.contains("lsa") && entered.getCount() > 0) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static CompletableFuture<Integer> async(ExecutorService threads, TestDevice t, Cci cci, CommandId id,
                                                    byte[] payload) {
        return CompletableFuture.supplyAsync(() -> t.device().execute(cci, id.opcode(), payload.length,
                ByteBuffer.wrap(payload)).returnCode().value(), threads);
    }

    /** Waits (no sleeping) until {@code thread} is parked, i.e. its command waits for the state writer. */
    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("%s parked", thread.getName()).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void clearAndInjectPoisonAcceptedBeforeASanitize_butDueAfterIt_areRefused_andNoPoisonOrDataIsLeft()
            throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        LaneBlocker blocker = new LaneBlocker();
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING).mediaErase(null).worker(pool).crashHook(blocker)
                .config(b -> b.volatileCapacity(V).persistentCapacity(P).lsaSize(LSA)).open()) {
            assertThat(rc(inject(t, Cci.MAILBOX, PERS_POISON))).isEqualTo("0000h");
            blocker.armed = true;
            // a Set LSA holds the state writer's lane in its file step (outside the device lock)
            CompletableFuture<Integer> setLsa = async(pool, t, Cci.MCTP, CommandId.SET_LSA,
                    new SetLsaRequest(0, ByteBuffer.wrap(pattern(4, 256))).encode());
            assertThat(blocker.entered.await(10, TimeUnit.SECONDS)).isTrue();
            // accepted (their arrival checks pass) and queued behind it
            Thread[] threads = new Thread[2];
            CompletableFuture<Integer> clearRc = CompletableFuture.supplyAsync(() -> {
                threads[0] = Thread.currentThread();
                return t.device().execute(Cci.MCTP, CommandId.CLEAR_POISON.opcode(), 0x48,
                        ByteBuffer.wrap(ClearPoisonRequest.of(PERS_POISON, pattern(5, 64)).encode())).returnCode().value();
            }, callers);
            CompletableFuture<Integer> injectRc = CompletableFuture.supplyAsync(() -> {
                threads[1] = Thread.currentThread();
                return t.device().execute(Cci.MAILBOX, CommandId.INJECT_POISON.opcode(), 8,
                        ByteBuffer.wrap(new InjectPoisonRequest(V + 0x20_0000).encode())).returnCode().value();
            }, callers);
            for (int i = 0; i < 2; i++) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (threads[i] == null) {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.onSpinWait();
                }
                awaitParked(threads[i]);
            }
            // the Sanitize starts now: its mark lands (its work is on the worker, not the lane)
            assertThat(rc(async(pool, t, Cci.MCTP, CommandId.SANITIZE, new byte[0]).get(10, TimeUnit.SECONDS)))
                    .isEqualTo("0001h");
            blocker.release.countDown();
            assertThat(rc(setLsa.get(10, TimeUnit.SECONDS))).as("Set LSA, landed before the zeros").isEqualTo("0000h");
            assertThat(rc(clearRc.get(10, TimeUnit.SECONDS))).as("Clear Poison, due after the start")
                    .isEqualTo("0007h");
            assertThat(rc(injectRc.get(10, TimeUnit.SECONDS))).as("Inject Poison, due after the start")
                    .isEqualTo("0007h");

            t.advance(Duration.ofSeconds(10));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (t.bgStatus(Cci.MCTP).inProgress()) { // the completion waits for the work's end
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.onSpinWait();
            }
            assertThat(rc(t.bgStatus(Cci.MCTP).returnCode())).isEqualTo("0000h");
            assertSanitized(t);
        } finally {
            callers.shutdown();
            pool.shutdown();
        }
    }

    // ---- the media failing while a Sanitize runs ----

    @Test
    void aMediaErrorWhileASanitizeRuns_isGoneWhenItCompletes() {
        try (TestDevice t = open()) {
            fill(t);
            startSanitize(t, Cci.MAILBOX);
            t.advance(Duration.ofSeconds(5));
            // media-error is allowed while media is disabled: it models the media failing
            t.device().injectMediaError(PERS_POISON, 128);
            t.device().injectMediaError(VOL_POISON, 64);
            assertThat(t.finishBackground(Cci.MAILBOX)).isZero();
            assertSanitized(t);
            t.reopen();
            assertSanitized(t);
        }
    }
}
