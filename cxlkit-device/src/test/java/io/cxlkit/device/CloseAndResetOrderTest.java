package io.cxlkit.device;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.health.ShutdownStore;
import io.cxlkit.device.label.LabelStore;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.device.testing.ManualExecutor;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.PartitionInfo;
import io.cxlkit.protocol.payload.SetLsaRequest;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of a close and of a cold reset against the state writer's queued writes
 * (memdev-commands.md §11, docs/threads.md), and a cold reset whose file steps fail.
 */
class CloseAndResetOrderTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    /** Records the persistence points in order; never crashes. */
    private static final class Recorder implements CrashHook {
        final List<String> points = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public synchronized void reached(String point) {
            points.add(point);
        }
    }

    private static DeviceConfig.Builder partitionable(DeviceConfig.Builder b) {
        return b.volatileCapacity(256 * MIB).persistentCapacity(512 * MIB).partitionableCapacity(2048 * MIB)
                .partitionAlignment(512 * MIB);
    }

    private static void awaitQueued(ManualExecutor workers) {
        while (workers.pending() == 0) {
            Thread.onSpinWait();
        }
    }

    private static void awaitWaiting(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.isAlive()) {
            Thread.onSpinWait();
        }
    }

    private static PartitionInfo info(TestDevice t) {
        TestDevice.Reply r = t.send(Cci.MCTP, CommandId.GET_PARTITION_INFO);
        assertThat(rc(r.returnCode())).isEqualTo("0000h");
        return PartitionInfo.decode(ByteBuffer.wrap(r.output()));
    }

    @Test
    void close_aQueuedSetLsaLandsBeforeThePowerOffRecordsACleanState_andLaterCommandsAnswer0018h()
            throws Exception {
        ManualExecutor workers = new ManualExecutor();
        Recorder hook = new Recorder();
        TestDevice t = TestDevice.builder(dir).instant().worker(workers).crashHook(hook).open();
        // dirty, as a host sets it while it runs: the graceful power-off then writes a clean state
        assertThat(rc(t.send(Cci.MAILBOX, CommandId.SET_SHUTDOWN_STATE, new byte[] {1}).returnCode())).isEqualTo("0000h");
        CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> t.send(Cci.MAILBOX,
                CommandId.SET_LSA, new SetLsaRequest(0, ByteBuffer.wrap(new byte[] {7, 8})).encode()).returnCode());
        awaitQueued(workers);
        int before = hook.points.size();
        Thread closer = new Thread(t::close);
        closer.start();
        awaitWaiting(closer); // draining the state writer, which the test holds
        assertThat(hook.points.subList(before, hook.points.size())).as("no power-off before the queued write")
                .noneMatch(p -> p.contains(ShutdownStore.FILE));
        // the close has begun: a new command is not accepted
        assertThat(rc(t.send(Cci.MCTP, CommandId.GET_PARTITION_INFO).returnCode())).isEqualTo("0018h");
        workers.runAll();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(rc(answer.get(10, TimeUnit.SECONDS))).isEqualTo("0000h");
        List<String> after = hook.points.subList(before, hook.points.size());
        int lsa = -1;
        int shutdown = -1;
        for (int i = 0; i < after.size(); i++) {
            if (lsa < 0 && after.get(i).contains("lsa")) {
                lsa = i;
            }
            if (shutdown < 0 && after.get(i).contains(ShutdownStore.FILE)) {
                shutdown = i;
            }
        }
        assertThat(lsa).as("the LSA write, in %s", after).isGreaterThanOrEqualTo(0);
        assertThat(shutdown).as("the power-off's write, in %s", after).isGreaterThan(lsa);
        assertThat(Files.readAllBytes(dir.resolve(LabelStore.FILE))).startsWith(7, 8);
        assertThat(Files.readString(dir.resolve(ShutdownStore.FILE))).contains("dirty=false");
    }

    @Test
    void coldReset_aQueuedNonImmediateSetPartitionInfoIsAppliedByThatReset() throws Exception {
        ManualExecutor workers = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).instant().worker(workers)
                .config(CloseAndResetOrderTest::partitionable).open()) {
            CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> t.send(Cci.MAILBOX,
                    CommandId.SET_PARTITION_INFO, new SetPartitionInfoRequest(2, false).encode()).returnCode());
            awaitQueued(workers);
            Thread resetter = new Thread(t::coldReset);
            resetter.start();
            awaitWaiting(resetter);
            workers.runAll();
            resetter.join(10_000);
            assertThat(resetter.isAlive()).isFalse();
            assertThat(rc(answer.get(10, TimeUnit.SECONDS))).isEqualTo("0000h");
            workers.runAll();
            // V + 2, P + X - 2, nothing pending
            assertThat(info(t)).isEqualTo(new PartitionInfo(3, 8, 0, 0));
        }
    }

    @Test
    void coldReset_anIoErrorOfThePowerOff_stillClearsTheVolatileState_thenThrows() throws Exception {
        Path blocker = dir.resolve(ShutdownStore.FILE + ".tmp");
        boolean[] armed = {false};
        CrashHook hook = point -> {
            if (armed[0] && point.equals("write " + blocker.getFileName())) {
                try {
                    Files.createDirectories(blocker); // the power-off's write cannot open its file
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        try (TestDevice t = TestDevice.builder(dir).instant().crashHook(hook).open()) {
            t.inject(FaultSet::setGpfFail);
            t.inject(FaultSet::setMediaDisabled);
            t.device().injectCorrectedErrors(0x4000, 3);
            assertThat(t.device().faults()).isNotEmpty();
            assertThat(t.device().eventRecords(EventLog.INFORMATIONAL)).isNotEmpty();
            armed[0] = true;
            assertThatThrownBy(() -> t.device().coldReset()).isInstanceOf(IOException.class);
            armed[0] = false;
            Files.delete(blocker);
            assertThat(t.device().faults()).isEmpty();
            for (EventLog log : EventLog.values()) {
                assertThat(t.device().eventRecords(log)).as("%s", log).isEmpty();
            }
            assertThat(t.device().healthInfo().correctedPersistentErrorCount()).isZero();
            assertThat(t.device().healthInfo().correctedVolatileErrorCount()).isZero();
            assertThat(rc(t.send(Cci.MCTP, CommandId.GET_PARTITION_INFO).returnCode())).isEqualTo("0000h");
        }
    }
}
