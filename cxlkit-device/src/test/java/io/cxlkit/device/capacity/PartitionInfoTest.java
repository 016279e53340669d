package io.cxlkit.device.capacity;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.ManualExecutor;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.PartitionInfo;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Get Partition Info (4100h) and Set Partition Info (4101h), memdev-commands.md §5 (check by
 * check, in order, with no effect on failure, on both CCIs), the share's persistence and a pending
 * share applied at a cold reset and at a restart (§11). Capacities in 256 MiB units.
 */
class PartitionInfoTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    /** V = 1 unit, P = 2 units, X = 8 units with alignment A = 2 units. */
    private static DeviceConfig.Builder partitionable(DeviceConfig.Builder b) {
        return b.volatileCapacity(256 * MIB).persistentCapacity(512 * MIB).partitionableCapacity(2048 * MIB)
                .partitionAlignment(512 * MIB);
    }

    private TestDevice open(UnaryOperator<DeviceConfig.Builder> config) {
        return TestDevice.builder(dir).instant().config(config).open();
    }

    static PartitionInfo info(TestDevice t, Cci cci) {
        TestDevice.Reply r = t.send(cci, CommandId.GET_PARTITION_INFO);
        assertThat(rc(r.returnCode())).as("Get Partition Info").isEqualTo("0000h");
        assertThat(r.output()).hasSize(0x20);
        return PartitionInfo.decode(ByteBuffer.wrap(r.output()));
    }

    static String set(TestDevice t, Cci cci, long units, boolean immediate) {
        return rc(t.send(cci, CommandId.SET_PARTITION_INFO, new SetPartitionInfoRequest(units, immediate).encode())
                .returnCode());
    }

    /** Active share s, nothing pending: (V + s, P + X - s, 0, 0). */
    private static PartitionInfo active(long s) {
        return new PartitionInfo(1 + s, 2 + 8 - s, 0, 0);
    }

    private static PartitionInfo pending(long s, long next) {
        return new PartitionInfo(1 + s, 2 + 8 - s, 1 + next, 2 + 8 - next);
    }

    // ---- Get Partition Info ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getPartitionInfo_factoryDefaults_allPersistentNothingPending(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            TestDevice.Reply r = t.send(cci, CommandId.GET_PARTITION_INFO);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            // byte-exact: 00h active volatile 0, 08h active persistent 4 units, both next fields 0
            byte[] expected = new byte[0x20];
            expected[0x08] = 4;
            assertThat(r.output()).containsExactly(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getPartitionInfo_countsTheVolatileShareOnBothSides(Cci cci) {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            assertThat(info(t, cci)).isEqualTo(active(0));
            assertThat(set(t, cci, 6, true)).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(active(6));
            assertThat(set(t, cci, 2, false)).isEqualTo("0000h");
            PartitionInfo i = info(t, cci);
            assertThat(i).isEqualTo(pending(6, 2));
            // the byte layout: 00h, 08h, 10h, 18h, little-endian
            assertThat(t.send(cci, CommandId.GET_PARTITION_INFO).output()).containsExactly(le(7, 4, 3, 8));
        }
    }

    private static byte[] le(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    @Test
    void getPartitionInfo_takesNoInput() {
        try (TestDevice t = TestDevice.instant(dir)) {
            for (Cci cci : Cci.values()) {
                assertThat(rc(t.send(cci, CommandId.GET_PARTITION_INFO, new byte[1]).returnCode())).isEqualTo("0016h");
            }
        }
    }

    // ---- Set Partition Info: input length (memdev-commands.md §16: 9 or 10 bytes) ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void setPartitionInfo_takes9Or10Bytes_theTenthIgnored(Cci cci) {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            byte[] ten = Arrays.copyOf(new SetPartitionInfoRequest(4, true).encode(), 10);
            ten[9] = (byte) 0xFF;
            assertThat(rc(t.send(cci, CommandId.SET_PARTITION_INFO, ten).returnCode())).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(active(4));
            for (int n : new int[] {0, 8, 11, 16}) {
                byte[] p = Arrays.copyOf(new SetPartitionInfoRequest(2, true).encode(), n);
                assertThat(rc(t.send(cci, CommandId.SET_PARTITION_INFO, p).returnCode())).as("%d bytes", n)
                        .isEqualTo("0016h");
            }
            assertThat(info(t, cci)).isEqualTo(active(4));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void setPartitionInfo_reservedFlagBitsAreIgnored(Cci cci) {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            byte[] p = new SetPartitionInfoRequest(2, false).encode();
            p[8] = (byte) 0xFE; // Immediate clear, every reserved bit set
            assertThat(rc(t.send(cci, CommandId.SET_PARTITION_INFO, p).returnCode())).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(pending(0, 2));
        }
    }

    // ---- Set Partition Info: the checks, in order ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void check1_noAlignment_0003h_beforeEveryOtherCheck(Cci cci) {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic()).open()) {
            assertThat(set(t, cci, 0, false)).isEqualTo("0003h");
            assertThat(set(t, cci, 0, true)).isEqualTo("0003h");
            // with a bad share, media disabled and a background operation running: still 0003h
            t.inject(FaultSet::setMediaDisabled);
            assertThat(set(t, cci, 3, true)).isEqualTo("0003h");
            t.inject(FaultSet::clear);
            startBackgroundOperation(t);
            assertThat(set(t, cci, -1, true)).isEqualTo("0003h");
            assertThat(info(t, cci)).isEqualTo(new PartitionInfo(0, 4, 0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void check2_unalignedOrAboveThePartitionableCapacity_0002h_noEffect(Cci cci) {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            assertThat(set(t, cci, 4, false)).isEqualTo("0000h");
            for (long units : new long[] {1, 3, 7, 9, 10, 16, Long.MAX_VALUE, -1L, Long.MIN_VALUE}) {
                for (boolean immediate : new boolean[] {false, true}) {
                    assertThat(set(t, cci, units, immediate)).as("share %d units", units).isEqualTo("0002h");
                }
            }
            assertThat(info(t, cci)).isEqualTo(pending(0, 4));
            // the edges that pass: 0 and X
            assertThat(set(t, cci, 8, true)).isEqualTo("0000h");
            assertThat(set(t, cci, 0, true)).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(active(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void check2_comesBeforeMediaDisabledAndBusy(Cci cci) {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic()).config(PartitionInfoTest::partitionable)
                .open()) {
            t.inject(FaultSet::setMediaDisabled);
            startBackgroundOperationAnyway(t);
            assertThat(set(t, cci, 3, true)).isEqualTo("0002h");
            assertThat(set(t, cci, 10, true)).isEqualTo("0002h");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void check3_immediateWhileMediaDisabled_0007h_beforeBusy_andOnlyWithImmediate(Cci cci) {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic()).config(PartitionInfoTest::partitionable)
                .open()) {
            t.inject(FaultSet::setMediaDisabled);
            assertThat(set(t, cci, 2, true)).isEqualTo("0007h");
            assertThat(info(t, cci)).isEqualTo(active(0));
            startBackgroundOperationAnyway(t);
            assertThat(set(t, cci, 2, true)).isEqualTo("0007h");
            assertThat(info(t, cci)).isEqualTo(active(0));
            // without Immediate, media disabled does not matter: the share becomes pending
            assertThat(set(t, cci, 2, false)).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(pending(0, 2));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void check4_immediateWhileABackgroundOperationRuns_0006h_onEitherCci_withoutImmediateAccepted(Cci cci) {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic()).config(PartitionInfoTest::partitionable)
                .open()) {
            startBackgroundOperation(t); // owned by the MCTP CCI; the device is busy for both
            assertThat(set(t, cci, 4, true)).isEqualTo("0006h");
            assertThat(info(t, cci)).isEqualTo(active(0));
            assertThat(set(t, cci, 4, false)).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(pending(0, 4));
            // Set Partition Info is not Background-flagged: it started nothing and stopped nothing
            assertThat(t.bgStatus(Cci.MCTP).inProgress()).isTrue();
            assertThat(t.finishBackground(Cci.MCTP)).isZero();
            assertThat(set(t, cci, 4, true)).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(active(4));
        }
    }

    /** Sends an Immediate Set Partition Info from another thread and waits until the held state writer has it. */
    private static CompletableFuture<String> queuedImmediateSet(TestDevice t, ManualExecutor workers, long units) {
        // on the mailbox: the test's own commands meanwhile go through the MCTP CCI, which is free
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> set(t, Cci.MAILBOX, units, true));
        while (workers.pending() == 0) {
            Thread.onSpinWait();
        }
        assertThat(answer).isNotDone();
        return answer;
    }

    @Test
    void check3_runsAgainWhenTheWriteIsDue_mediaDisabledMeanwhile_0007h_noChange() throws Exception {
        ManualExecutor workers = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).instant().worker(workers).config(PartitionInfoTest::partitionable)
                .open()) {
            CompletableFuture<String> answer = queuedImmediateSet(t, workers, 2);
            t.inject(FaultSet::setMediaDisabled); // after the checks at arrival, before the write
            workers.runAll();
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("0007h");
            t.inject(FaultSet::clear);
            assertThat(info(t, Cci.MCTP)).isEqualTo(active(0));
            t.reopen();
            workers.runAll();
            assertThat(info(t, Cci.MCTP)).isEqualTo(active(0));
        }
    }

    @Test
    void check4_runsAgainWhenTheWriteIsDue_backgroundOperationStartedMeanwhile_0006h_noChange() throws Exception {
        ManualExecutor workers = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic()).worker(workers)
                .config(PartitionInfoTest::partitionable).open()) {
            CompletableFuture<String> answer = queuedImmediateSet(t, workers, 2);
            startBackgroundOperation(t); // after the checks at arrival, before the write
            workers.runAll();
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("0006h");
            assertThat(info(t, Cci.MCTP)).isEqualTo(active(0));
        }
    }

    /** A Transfer FW Initiate under realistic timing: a background operation owned by the MCTP CCI. */
    private static void startBackgroundOperation(TestDevice t) {
        assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.allocate(128)))))
                .isEqualTo("0001h");
        assertThat(t.bgStatus(Cci.MCTP).inProgress()).isTrue();
    }

    /** As {@link #startBackgroundOperation}, with media disabled for the while (Transfer FW checks it). */
    private static void startBackgroundOperationAnyway(TestDevice t) {
        t.inject(FaultSet::clear);
        startBackgroundOperation(t);
        t.inject(FaultSet::setMediaDisabled);
    }

    // ---- Set Partition Info: effects ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void immediate_appliesNow_andDropsAPendingShare(Cci cci) {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            assertThat(set(t, cci, 6, false)).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(pending(0, 6));
            assertThat(set(t, cci, 2, true)).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(active(2));
            // Immediate with the active share: still drops what is pending
            assertThat(set(t, cci, 8, false)).isEqualTo("0000h");
            assertThat(set(t, cci, 2, true)).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(active(2));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void withoutImmediate_theSharePends_andTheActiveShareMeansNothingPending(Cci cci) {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            assertThat(set(t, cci, 4, true)).isEqualTo("0000h");
            assertThat(set(t, cci, 8, false)).isEqualTo("0000h");
            assertThat(info(t, cci)).isEqualTo(pending(4, 8));
            assertThat(set(t, cci, 0, false)).isEqualTo("0000h");
            assertThat(info(t, cci)).as("a second one replaces the first").isEqualTo(pending(4, 0));
            assertThat(set(t, cci, 4, false)).isEqualTo("0000h");
            assertThat(info(t, cci)).as("equal to the active share: nothing pending").isEqualTo(active(4));
        }
    }

    @Test
    void aPendingShareIsAppliedByAColdReset_andAResetWithNothingPendingChangesNothing() {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            assertThat(set(t, Cci.MAILBOX, 6, false)).isEqualTo("0000h");
            t.coldReset();
            assertThat(info(t, Cci.MCTP)).isEqualTo(active(6));
            t.coldReset();
            assertThat(info(t, Cci.MCTP)).isEqualTo(active(6));
            assertThat(set(t, Cci.MCTP, 0, false)).isEqualTo("0000h");
            t.coldReset();
            assertThat(info(t, Cci.MAILBOX)).isEqualTo(active(0));
        }
    }

    @Test
    void aPendingShareIsAppliedByARestart() {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            assertThat(set(t, Cci.MAILBOX, 2, true)).isEqualTo("0000h");
            assertThat(set(t, Cci.MAILBOX, 8, false)).isEqualTo("0000h");
            t.reopen();
            assertThat(info(t, Cci.MCTP)).isEqualTo(active(8));
            t.reopen();
            assertThat(info(t, Cci.MCTP)).isEqualTo(active(8));
        }
    }

    @Test
    void theActiveShareSurvivesARestart() {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            assertThat(set(t, Cci.MCTP, 4, true)).isEqualTo("0000h");
            t.reopen();
            assertThat(info(t, Cci.MAILBOX)).isEqualTo(active(4));
        }
    }

    @Test
    void theStateFileIsCreatedAtTheFirstChange_andHoldsBytes() throws Exception {
        Path file = dir.resolve(PartitionStore.FILE);
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            info(t, Cci.MCTP);
            assertThat(set(t, Cci.MCTP, 0, false)).as("the active share: no change").isEqualTo("0000h");
            assertThat(set(t, Cci.MCTP, 0, true)).as("the active share, nothing pending: no change").isEqualTo("0000h");
            t.coldReset();
            t.reopen();
            assertThat(file).doesNotExist();
            assertThat(set(t, Cci.MCTP, 2, false)).isEqualTo("0000h");
            assertThat(file).exists();
            assertThat(Files.readString(file)).contains("volatile_share=0", "pending_volatile_share=536870912");
            t.coldReset();
            assertThat(Files.readString(file)).contains("volatile_share=536870912")
                    .doesNotContain("pending_volatile_share");
        }
    }

    @Test
    void aPersistedShareTheConfigurationNoLongerAllows_isAStartupErrorNamingTheDevice() {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            assertThat(set(t, Cci.MCTP, 6, true)).isEqualTo("0000h");
            assertThatThrownBy(() -> t.reopen(b -> b.partitionableCapacity(1024 * MIB)))
                    .hasMessageContaining("mem0: ").hasMessageContaining("partition.properties")
                    .hasMessageContaining("volatile share of 1610612736 bytes");
        }
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            assertThatThrownBy(() -> t.reopen(b -> b.partitionAlignment(1024 * MIB)))
                    .hasMessageContaining("mem0: ").hasMessageContaining("alignment 1073741824");
            // the same share under a configuration that allows it: the device opens
            t.reopen(b -> b.partitionableCapacity(4096 * MIB).partitionAlignment(256 * MIB));
            assertThat(info(t, Cci.MCTP)).isEqualTo(new PartitionInfo(1 + 6, 2 + 16 - 6, 0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void identifyMemoryDevice_reportsTheCapacitiesAndTheAlignmentInUnits(Cci cci) {
        try (TestDevice t = open(PartitionInfoTest::partitionable)) {
            TestDevice.Reply r = t.send(cci, CommandId.IDENTIFY_MEMORY_DEVICE);
            IdentifyMemoryDevice id = IdentifyMemoryDevice.decode(ByteBuffer.wrap(r.output()));
            assertThat(id.totalCapacity()).as("10h: V + P + X").isEqualTo(11);
            assertThat(id.volatileOnlyCapacity()).as("18h: V").isEqualTo(1);
            assertThat(id.persistentOnlyCapacity()).as("20h: P").isEqualTo(2);
            assertThat(id.partitionAlignment()).as("28h: A").isEqualTo(2);
            assertThat(Arrays.copyOfRange(r.output(), 0x28, 0x30)).containsExactly(2, 0, 0, 0, 0, 0, 0, 0);
            // the share does not change them
            assertThat(set(t, cci, 8, true)).isEqualTo("0000h");
            assertThat(IdentifyMemoryDevice.decode(ByteBuffer.wrap(t.send(cci, CommandId.IDENTIFY_MEMORY_DEVICE)
                    .output()))).isEqualTo(id);
        }
    }
}
