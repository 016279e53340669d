package io.cxlkit.device.label;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.ManualExecutor;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.GetLsaRequest;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.SetLsaRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Get LSA (4102h) and Set LSA (4103h), memdev-commands.md §6 with §2.2's output limit Lout (the
 * mailbox Payload Size, 4 KiB by default; on MCTP the response message limit, 1 KiB by default):
 * each check in order with no effect on failure, on both CCIs, the edges 0, S-1, S, S+1 and Lout,
 * random round trips, and persistence across cold resets and restarts.
 */
class LsaCommandsTest {

    /** The default LSA: 128 KiB, larger than either CCI's Lout. */
    private static final int S = DeviceConfig.DEFAULT_LSA_SIZE;
    /** The smallest LSA: 1280 B, above MCTP's default Lout and below the mailbox's. */
    private static final int SMALL = DeviceConfig.MIN_LSA_SIZE;

    @TempDir
    Path dir;

    private TestDevice open(UnaryOperator<DeviceConfig.Builder> config) {
        return TestDevice.builder(dir).instant().config(config).open();
    }

    static TestDevice.Reply get(TestDevice t, Cci cci, long offset, long length) {
        return t.send(cci, CommandId.GET_LSA, new GetLsaRequest(offset, length).encode());
    }

    static String set(TestDevice t, Cci cci, long offset, byte[] data) {
        return rc(t.send(cci, CommandId.SET_LSA, new SetLsaRequest(offset, ByteBuffer.wrap(data)).encode())
                .returnCode());
    }

    /** The whole LSA read through {@code cci} in Lout-sized pieces. */
    static byte[] readAll(TestDevice t, Cci cci, int size) {
        int lout = cci == Cci.MCTP ? 1024 : t.config().payloadSize();
        byte[] all = new byte[size];
        for (int at = 0; at < size; at += lout) {
            int n = Math.min(lout, size - at);
            TestDevice.Reply r = get(t, cci, at, n);
            assertThat(rc(r.returnCode())).as("Get LSA at %d", at).isEqualTo("0000h");
            System.arraycopy(r.output(), 0, all, at, n);
        }
        return all;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ---- Get LSA ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void get_anLsaNeverWritten_readsZeros_andNoFileExists(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            TestDevice.Reply r = get(t, cci, 0, 1024);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).hasSize(1024).containsOnly(0);
            assertThat(get(t, cci, S - 1, 1).output()).containsExactly(0);
            assertThat(dir.resolve(LabelStore.FILE)).doesNotExist();
            assertThat(dir.resolve(LabelStore.JOURNAL)).doesNotExist();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void get_check1_offsetPlusLengthAboveS_0002h_atTheEdges(Cci cci) {
        try (TestDevice t = open(b -> b.lsaSize(SMALL))) {
            byte[] content = bytes(SMALL, 1);
            writeAll(t, content);
            assertThat(get(t, cci, SMALL - 1, 1).output()).containsExactly(content[SMALL - 1]);
            TestDevice.Reply atEnd = get(t, cci, SMALL, 0);
            assertThat(rc(atEnd.returnCode())).as("0 bytes at S").isEqualTo("0000h");
            assertThat(atEnd.output()).isEmpty();
            assertThat(rc(get(t, cci, SMALL, 1).returnCode())).as("1 byte at S").isEqualTo("0002h");
            assertThat(rc(get(t, cci, SMALL + 1, 0).returnCode())).as("0 bytes at S+1").isEqualTo("0002h");
            assertThat(rc(get(t, cci, SMALL - 1, 2).returnCode())).as("2 bytes at S-1").isEqualTo("0002h");
            assertThat(rc(get(t, cci, 0xFFFF_FFFFL, 0xFFFF_FFFFL).returnCode())).as("32-bit extremes")
                    .isEqualTo("0002h");
            assertThat(rc(get(t, cci, 1, 0xFFFF_FFFFL).returnCode())).isEqualTo("0002h");
            // a failed Get returns nothing
            assertThat(get(t, cci, SMALL, 1).output()).isEmpty();
        }
    }

    @Test
    void get_theWholeSmallLsaAtOnce_whenItFitsLout() {
        try (TestDevice t = open(b -> b.lsaSize(SMALL))) {
            byte[] content = bytes(SMALL, 2);
            writeAll(t, content);
            assertThat(get(t, Cci.MAILBOX, 0, SMALL).output()).containsExactly(content);
            assertThat(rc(get(t, Cci.MAILBOX, 0, SMALL + 1).returnCode())).isEqualTo("0002h");
            // on MCTP, S (1280) is above Lout (1024): check 2
            assertThat(rc(get(t, Cci.MCTP, 0, SMALL).returnCode())).isEqualTo("0002h");
        }
    }

    @Test
    void get_check2_lengthAboveLout_0002h_mailboxPayloadSize_mctpResponseLimit() {
        try (TestDevice t = TestDevice.instant(dir)) {
            byte[] content = bytes(S, 3);
            writeAll(t, content);
            assertThat(get(t, Cci.MAILBOX, 8, 4096).output()).containsExactly(Arrays.copyOfRange(content, 8, 8 + 4096));
            assertThat(rc(get(t, Cci.MAILBOX, 8, 4097).returnCode())).isEqualTo("0002h");
            assertThat(get(t, Cci.MCTP, S - 1024, 1024).output())
                    .containsExactly(Arrays.copyOfRange(content, S - 1024, S));
            assertThat(rc(get(t, Cci.MCTP, 0, 1025).returnCode())).isEqualTo("0002h");
            // the MCTP limit is the response message limit, not the request size
            assertThat(rc(t.mctp(0x0004, new byte[] {8}).returnCode())).isEqualTo("0000h");
            assertThat(rc(get(t, Cci.MCTP, 0, 257).returnCode())).isEqualTo("0002h");
            assertThat(get(t, Cci.MCTP, 0, 256).output()).containsExactly(Arrays.copyOf(content, 256));
            assertThat(rc(get(t, Cci.MAILBOX, 0, 4096).returnCode())).as("the mailbox's own").isEqualTo("0000h");
        }
    }

    @Test
    void get_check2_followsAConfiguredMailboxPayloadSize() {
        try (TestDevice t = open(b -> b.payloadSizeExponent(8).lsaSize(SMALL))) {
            assertThat(rc(get(t, Cci.MAILBOX, 0, 256).returnCode())).isEqualTo("0000h");
            assertThat(rc(get(t, Cci.MAILBOX, 0, 257).returnCode())).isEqualTo("0002h");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void get_check3_mediaDisabled_0007h_afterTheRangeChecks(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(get(t, cci, S, 1).returnCode())).as("beyond S").isEqualTo("0002h");
            assertThat(rc(get(t, cci, 0, 4097).returnCode())).as("above Lout").isEqualTo("0002h");
            TestDevice.Reply r = get(t, cci, 0, 16);
            assertThat(rc(r.returnCode())).isEqualTo("0007h");
            assertThat(r.output()).isEmpty();
            assertThat(rc(get(t, cci, S, 0).returnCode())).as("even for 0 bytes").isEqualTo("0007h");
            t.inject(FaultSet::clear);
            assertThat(rc(get(t, cci, 0, 16).returnCode())).isEqualTo("0000h");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void get_takesExactly8Bytes(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            for (int n : new int[] {0, 7, 9, 16}) {
                assertThat(rc(t.send(cci, CommandId.GET_LSA, new byte[n]).returnCode())).as("%d bytes", n)
                        .isEqualTo("0016h");
            }
        }
    }

    // ---- Set LSA ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void set_check1_offsetPlusDataAboveS_0002h_atTheEdges_noEffect(Cci cci) {
        try (TestDevice t = open(b -> b.lsaSize(SMALL))) {
            assertThat(set(t, cci, SMALL, new byte[1])).as("1 byte at S").isEqualTo("0002h");
            assertThat(set(t, cci, SMALL - 1, new byte[] {1, 2})).as("2 bytes at S-1").isEqualTo("0002h");
            assertThat(set(t, cci, SMALL + 1, new byte[0])).as("0 bytes at S+1").isEqualTo("0002h");
            assertThat(set(t, cci, 0xFFFF_FFFFL, new byte[] {9})).isEqualTo("0002h");
            assertThat(set(t, cci, SMALL - 100, bytes(101, 4))).as("101 bytes at S-100").isEqualTo("0002h");
            assertThat(readAll(t, cci, SMALL)).as("nothing was written").containsOnly(0);
            assertThat(dir.resolve(LabelStore.FILE)).doesNotExist();
            // the edges that pass
            assertThat(set(t, cci, SMALL - 1, new byte[] {7})).isEqualTo("0000h");
            assertThat(set(t, cci, 0, new byte[] {5})).isEqualTo("0000h");
            assertThat(set(t, cci, SMALL, new byte[0])).as("0 bytes at S").isEqualTo("0000h");
            byte[] expected = new byte[SMALL];
            expected[0] = 5;
            expected[SMALL - 1] = 7;
            assertThat(readAll(t, cci, SMALL)).containsExactly(expected);
        }
    }

    @Test
    void set_check1_dataBeyondTheLsa_viaTheMailbox() {
        try (TestDevice t = open(b -> b.lsaSize(SMALL))) {
            assertThat(set(t, Cci.MAILBOX, 0, bytes(SMALL + 1, 4))).isEqualTo("0002h");
            assertThat(set(t, Cci.MAILBOX, 1, bytes(SMALL, 4))).isEqualTo("0002h");
            assertThat(set(t, Cci.MAILBOX, 0, bytes(SMALL, 4))).isEqualTo("0000h");
            assertThat(readAll(t, Cci.MAILBOX, SMALL)).containsExactly(bytes(SMALL, 4));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void set_check2_mediaDisabled_0007h_afterTheRangeCheck_evenForZeroBytes(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(set(t, cci, 0, new byte[] {1})).isEqualTo("0000h");
            t.inject(FaultSet::setMediaDisabled);
            assertThat(set(t, cci, S, new byte[1])).isEqualTo("0002h");
            assertThat(set(t, cci, 0, new byte[] {2})).isEqualTo("0007h");
            assertThat(set(t, cci, 0, new byte[0])).isEqualTo("0007h");
            t.inject(FaultSet::clear);
            assertThat(get(t, cci, 0, 1).output()).as("no effect").containsExactly(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void set_zeroDataBytes_0000h_noChange_noFile(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(set(t, cci, 0, new byte[0])).isEqualTo("0000h");
            assertThat(set(t, cci, S, new byte[0])).isEqualTo("0000h");
            assertThat(dir.resolve(LabelStore.FILE)).doesNotExist();
            assertThat(set(t, cci, 5, new byte[] {1, 2, 3})).isEqualTo("0000h");
            long journal = journalSize();
            assertThat(set(t, cci, 5, new byte[0])).isEqualTo("0000h");
            assertThat(journalSize()).as("nothing written").isEqualTo(journal);
            assertThat(get(t, cci, 4, 5).output()).containsExactly(0, 1, 2, 3, 0);
        }
    }

    private long journalSize() {
        try {
            Path j = dir.resolve(LabelStore.JOURNAL);
            return Files.exists(j) ? Files.size(j) : -1;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void set_takesAtLeast8Bytes_upToTheCciLimit_andIgnoresTheReservedBytes(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            for (int n : new int[] {0, 1, 7}) {
                assertThat(rc(t.send(cci, CommandId.SET_LSA, new byte[n]).returnCode())).as("%d bytes", n)
                        .isEqualTo("0016h");
            }
            int limit = cci == Cci.MCTP ? 1024 : 4096;
            byte[] full = bytes(limit - 8, 5);
            byte[] payload = new SetLsaRequest(100, ByteBuffer.wrap(full)).encode();
            payload[4] = payload[5] = payload[6] = payload[7] = (byte) 0xA5; // reserved
            assertThat(rc(t.send(cci, CommandId.SET_LSA, payload).returnCode())).isEqualTo("0000h");
            assertThat(get(t, Cci.MAILBOX, 100, full.length).output()).containsExactly(full);
            assertThat(rc(t.send(cci, CommandId.SET_LSA, Arrays.copyOf(payload, limit + 1)).returnCode()))
                    .as("one byte above the CCI's limit").isEqualTo("0016h");
        }
    }

    @Test
    void set_answersOnlyOnceItsBytesHaveLanded() throws Exception {
        ManualExecutor workers = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).instant().worker(workers).open()) {
            CompletableFuture<String> answer = setWaitingForTheWriter(t, workers);
            assertThat(answer).isNotDone();
            assertThat(dir.resolve(LabelStore.FILE)).doesNotExist();
            workers.runAll();
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("0000h");
            assertThat(Files.readAllBytes(dir.resolve(LabelStore.FILE))).hasSize(S)
                    .startsWith(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 6});
        }
    }

    @Test
    void set_check2_runsAgainWhenTheWriteIsDue_mediaDisabledMeanwhile_0007h_nothingWritten() throws Exception {
        ManualExecutor workers = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).instant().worker(workers).open()) {
            CompletableFuture<String> answer = setWaitingForTheWriter(t, workers);
            t.inject(FaultSet::setMediaDisabled); // after the checks at arrival, before the write
            workers.runAll();
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("0007h");
            assertThat(dir.resolve(LabelStore.FILE)).doesNotExist();
            t.inject(FaultSet::clear);
            assertThat(get(t, Cci.MCTP, 0, 16).output()).containsOnly(0);
        }
    }

    @Test
    void set_theFirstWriteRenamedButItsDirectoryFsyncFailed_0004h_getLsaReadsWhatTheFileHolds() {
        boolean[] fail = {false};
        io.cxlkit.device.persist.CrashHook hook = point -> {
            if (fail[0] && point.equals("fsync dir after " + LabelStore.FILE)) {
                fail[0] = false;
                throw new java.io.UncheckedIOException(new java.io.IOException("injected: fsync of the directory"));
            }
        };
        try (TestDevice t = TestDevice.builder(dir).instant().crashHook(hook).open()) {
            fail[0] = true;
            assertThat(set(t, Cci.MCTP, 10, new byte[] {4, 5, 6})).isEqualTo("0004h");
            assertThat(dir.resolve(LabelStore.FILE)).exists(); // the rename had happened
            // memory follows the file: what a restart would read
            assertThat(get(t, Cci.MCTP, 8, 6).output()).containsExactly(0, 0, 4, 5, 6, 0);
            // the next Set appends to that LSA rather than creating a new one over it
            assertThat(set(t, Cci.MCTP, 20, new byte[] {9})).isEqualTo("0000h");
            assertThat(get(t, Cci.MCTP, 10, 11).output()).containsExactly(4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 9);
            t.reopen();
            assertThat(get(t, Cci.MCTP, 10, 11).output()).containsExactly(4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 9);
        }
    }

    /**
     * Sends Set LSA of 04 05 06 at offset 10 over MCTP and returns its answer to come once the
     * command waits for the state writer, which the test holds in {@code workers}.
     */
    private static CompletableFuture<String> setWaitingForTheWriter(TestDevice t, ManualExecutor workers) {
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(
                () -> set(t, Cci.MCTP, 10, new byte[] {4, 5, 6}));
        while (workers.pending() == 0) {
            Thread.onSpinWait();
        }
        return answer;
    }

    // ---- round trips and persistence ----

    /** Writes {@code content} over the whole LSA through the mailbox, in chunks. */
    private static void writeAll(TestDevice t, byte[] content) {
        int chunk = t.config().payloadSize() - 8;
        for (int at = 0; at < content.length; at += chunk) {
            int n = Math.min(chunk, content.length - at);
            assertThat(set(t, Cci.MAILBOX, at, Arrays.copyOfRange(content, at, at + n))).isEqualTo("0000h");
        }
    }

    @Test
    void randomRoundTrips_onBothCcis_acrossColdResetsAndRestarts() throws Exception {
        Random random = new Random(20240614);
        int[] sizes = {SMALL, 4096 + 3, S};
        for (int size : sizes) {
            Path d = dir.resolve("lsa-" + size);
            try (TestDevice t = TestDevice.builder(d).instant().config(b -> b.lsaSize(size)).open()) {
                byte[] model = new byte[size];
                for (int i = 0; i < 300; i++) {
                    Cci cci = random.nextBoolean() ? Cci.MAILBOX : Cci.MCTP;
                    int lout = cci == Cci.MCTP ? 1024 : 4096;
                    int pick = random.nextInt(10);
                    long offset = pick == 0 ? 0 : pick == 1 ? size - 1 : pick == 2 ? size : pick == 3 ? size + 1
                            : random.nextInt(size + 1);
                    int max = pick == 4 ? lout - 8 : random.nextInt(lout - 8 + 1);
                    if (random.nextBoolean()) {
                        byte[] data = bytes(random.nextInt(max + 1), random.nextInt());
                        boolean fits = offset + data.length <= size;
                        assertThat(set(t, cci, offset, data)).as("Set LSA %d+%d of %d", offset, data.length, size)
                                .isEqualTo(fits ? "0000h" : "0002h");
                        if (fits) {
                            System.arraycopy(data, 0, model, (int) offset, data.length);
                        }
                    } else {
                        int length = pick == 5 ? lout : pick == 6 ? lout + 1 : random.nextInt(lout + 1);
                        TestDevice.Reply r = get(t, cci, offset, length);
                        boolean ok = offset + length <= size && length <= lout;
                        assertThat(rc(r.returnCode())).as("Get LSA %d+%d of %d on %s", offset, length, size, cci)
                                .isEqualTo(ok ? "0000h" : "0002h");
                        if (ok) {
                            assertThat(r.output()).containsExactly(
                                    Arrays.copyOfRange(model, (int) offset, (int) offset + length));
                        }
                    }
                    if (i % 97 == 96) {
                        t.coldReset();
                    } else if (i % 61 == 60) {
                        t.reopen();
                    }
                }
                assertThat(readAll(t, Cci.MCTP, size)).containsExactly(model);
                t.reopen();
                assertThat(readAll(t, Cci.MAILBOX, size)).containsExactly(model);
                assertThat(Files.size(d.resolve(LabelStore.JOURNAL))).as("the journal is applied at open").isZero();
            }
        }
    }

    @Test
    void contentsSurviveAColdResetAndARestart_andThePartitionShareDoesNotTouchThem() {
        try (TestDevice t = open(b -> b.partitionableCapacity(1L << 30).partitionAlignment(256L << 20))) {
            byte[] content = bytes(S, 6);
            writeAll(t, content);
            t.coldReset();
            assertThat(readAll(t, Cci.MCTP, S)).containsExactly(content);
            assertThat(rc(t.send(Cci.MCTP, CommandId.SET_PARTITION_INFO,
                    new io.cxlkit.protocol.payload.SetPartitionInfoRequest(2, true).encode()).returnCode()))
                    .isEqualTo("0000h");
            assertThat(rc(t.send(Cci.MCTP, CommandId.SET_PARTITION_INFO,
                    new io.cxlkit.protocol.payload.SetPartitionInfoRequest(4, false).encode()).returnCode()))
                    .isEqualTo("0000h");
            t.reopen();
            assertThat(readAll(t, Cci.MAILBOX, S)).containsExactly(content);
        }
    }

    @Test
    void theFileIsCreatedAtTheFirstSet_sparse_andLaterSetsGoToTheJournal() throws Exception {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(set(t, Cci.MCTP, S - 2, new byte[] {1, 2})).isEqualTo("0000h");
            Path file = dir.resolve(LabelStore.FILE);
            assertThat(Files.size(file)).isEqualTo(S);
            assertThat(dir.resolve(LabelStore.JOURNAL)).doesNotExist();
            assertThat(set(t, Cci.MCTP, 0, new byte[] {3})).isEqualTo("0000h");
            assertThat(Files.readAllBytes(file)[0]).as("not rewritten").isZero();
            assertThat(Files.size(dir.resolve(LabelStore.JOURNAL))).isEqualTo(LabelStore.HEADER + 1);
        }
    }

    @Test
    void identifyMemoryDevice_reportsTheLsaSize() {
        for (int size : new int[] {SMALL, S, DeviceConfig.MAX_LSA_SIZE, 5000}) {
            try (TestDevice t = TestDevice.builder(dir.resolve("s" + size)).instant().config(b -> b.lsaSize(size))
                    .open()) {
                TestDevice.Reply r = t.send(Cci.MCTP, CommandId.IDENTIFY_MEMORY_DEVICE);
                assertThat(IdentifyMemoryDevice.decode(ByteBuffer.wrap(r.output())).lsaSize()).isEqualTo(size);
                assertThat(ByteBuffer.wrap(r.output(), 0x38, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt())
                        .isEqualTo(size);
            }
        }
    }

    @Test
    void a16MiBLsa_aSmallSetDoesNotRewriteIt() throws Exception {
        try (TestDevice t = open(b -> b.lsaSize(DeviceConfig.MAX_LSA_SIZE).payloadSizeExponent(20))) {
            byte[] big = bytes((1 << 20) - 8, 7);
            assertThat(set(t, Cci.MAILBOX, 0, big)).isEqualTo("0000h");
            Path file = dir.resolve(LabelStore.FILE);
            long modified = Files.getLastModifiedTime(file).toMillis();
            for (int i = 0; i < 4; i++) {
                assertThat(set(t, Cci.MCTP, (15L << 20) + i * 1000, bytes(1000, i))).isEqualTo("0000h");
            }
            assertThat(Files.size(dir.resolve(LabelStore.JOURNAL))).isEqualTo(4 * (LabelStore.HEADER + 1000));
            assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
            t.reopen();
            assertThat(get(t, Cci.MAILBOX, 0, big.length).output()).containsExactly(big);
            assertThat(get(t, Cci.MCTP, (15L << 20) + 3000, 1000).output()).containsExactly(bytes(1000, 3));
        }
    }

    @Test
    void aPersistedLsaOfAnotherSize_isAStartupErrorNamingTheDevice() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(set(t, Cci.MCTP, 0, new byte[] {1})).isEqualTo("0000h");
            assertThatThrownBy(() -> t.reopen(b -> b.lsaSize(SMALL))).hasMessageContaining("mem0: ")
                    .hasMessageContaining("131072-byte label storage area but the LSA size is 1280");
        }
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(get(t, Cci.MCTP, 0, 1).output()).containsExactly(1);
        }
    }

    @Test
    void anLsaNeverWritten_canChangeSize() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.reopen(b -> b.lsaSize(SMALL));
            assertThat(rc(get(t, Cci.MAILBOX, 0, SMALL).returnCode())).isEqualTo("0000h");
        }
    }
}
