package io.cxlkit.device;

import static io.cxlkit.device.testing.TestDevice.pkg;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.Timing;
import io.cxlkit.device.testing.ManualExecutor;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device's thread model (docs/threads.md): state listeners only on the events executor and
 * never after close, a closed device does nothing, and file work only on the worker, also when
 * a Request Abort finds an operation's completion due.
 */
class DeviceThreadModelTest {

    private static final int OK = ReturnCode.SUCCESS.value();

    @TempDir
    Path dir;

    private final ExecutorService workerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-worker"));
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        workerThread.shutdownNow();
        callers.shutdownNow();
        workerThread.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void stateListenersRunOnTheEventsExecutorInOrderNeverOnTheChangingThread() {
        ManualExecutor events = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).instant().events(events).open()) {
            List<String> heard = new CopyOnWriteArrayList<>();
            t.device().addStateListener(d -> heard.add(Thread.currentThread().getName() + " " + d.faults()));

            t.inject(f -> f.setMediaDisabled());
            t.inject(f -> f.setLatePart());
            assertThat(heard).as("nothing on the thread that made the change").isEmpty();
            assertThat(events.pending()).isEqualTo(2);

            events.runAll();

            String self = Thread.currentThread().getName();
            assertThat(heard).containsExactly(self + " [media-disabled, late-part]",
                    self + " [media-disabled, late-part]");
        }
    }

    @Test
    void noListenerRunsOnceTheDeviceIsClosed() {
        ManualExecutor events = new ManualExecutor();
        TestDevice t = TestDevice.builder(dir).instant().events(events).open();
        List<String> heard = new CopyOnWriteArrayList<>();
        t.device().addStateListener(d -> heard.add("changed"));
        t.inject(f -> f.setMediaDisabled());

        t.close();
        events.runAll();

        assertThat(heard).isEmpty();
    }

    @Test
    void aClosedDeviceAnswersEveryCommandInterruptedAndChangesNothing() {
        TestDevice t = TestDevice.instant(dir);
        t.close();

        assertThat(t.send(Cci.MCTP, CommandId.GET_FW_INFO).returnCode())
                .isEqualTo(ReturnCode.INTERRUPTED.value());
        assertThat(t.transfer(Cci.MCTP, TransferFwRequest.full(2, ByteBuffer.wrap(pkg("LATE", 256)))))
                .isEqualTo(ReturnCode.INTERRUPTED.value());
        assertThat(t.activate(Cci.MAILBOX, ActivateFwRequest.onNextReset(2)))
                .isEqualTo(ReturnCode.INTERRUPTED.value());
        assertThat(t.fwInfo().revision(2)).isEmpty();
        assertThat(dir.resolve("staging.bin")).doesNotExist();
    }

    @Test
    void closingDuringABackgroundPartLetsTheWorkerFinishItsDiscardAndNothingLands() throws Exception {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic().withPartTime(Duration.ofSeconds(5)))
                .worker(workerThread).open()) {
            assertThat(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.wrap(pkg("X", 512)))))
                    .isEqualTo(ReturnCode.BACKGROUND_COMMAND_STARTED.value());
            t.close();
            workerThread.submit(() -> { }).get(10, TimeUnit.SECONDS); // the worker drains what was queued

            assertThat(dir.resolve("staging.bin")).doesNotExist();
            assertThat(t.fwInfo().revision(2)).isEmpty();
        }
    }

    @Test
    void aRequestAbortThatFindsTheCompletionDueCommitsTheSlotOnTheWorkerNotOnTheCciThread() throws Exception {
        Map<String, String> threadAt = new ConcurrentHashMap<>();
        byte[] image = pkg("BWFW VERSION 1", 512); // one MCTP message (1 KiB)
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic()).worker(workerThread)
                .crashHook(point -> threadAt.putIfAbsent(point, Thread.currentThread().getName())).open()) {
            assertThat(t.transfer(Cci.MCTP, TransferFwRequest.full(2, ByteBuffer.wrap(image))))
                    .isEqualTo(ReturnCode.BACKGROUND_COMMAND_STARTED.value());
            workerThread.submit(() -> { }).get(10, TimeUnit.SECONDS); // its real work (write, verify) is done
            CountDownLatch hold = new CountDownLatch(1);
            workerThread.execute(() -> await(hold)); // the worker is busy when the completion comes due
            t.advance(Duration.ofSeconds(1)); // past the Full's modelled 200 ms: its completion is queued

            Future<Integer> abort = callers.submit(() -> t.requestAbort(Cci.MCTP));
            // the answer waits for the completion, which waits for the worker
            assertThat(awaitDone(abort, 200)).isFalse();
            assertThat(threadAt).doesNotContainKey("rename staging.bin -> slot-2.pkg");
            hold.countDown();

            assertThat(abort.get(10, TimeUnit.SECONDS)).isEqualTo(OK);
            assertThat(threadAt.get("rename staging.bin -> slot-2.pkg")).isEqualTo("test-worker");
            BackgroundOperationStatus s = t.bgStatus(Cci.MCTP);
            assertThat(s.returnCode()).as("completed, not aborted").isEqualTo(OK);
            assertThat(s.percentComplete()).isEqualTo(100);
            assertThat(t.fwInfo().revision(2)).isEqualTo("BWFW VERSION 1");
        }
    }

    @Test
    void activateOnNextResetWritesItsStagedMarkInTheWorkersOrder() throws Exception {
        Map<String, String> threadAt = new ConcurrentHashMap<>();
        try (TestDevice t = TestDevice.builder(dir).instant().worker(workerThread)
                .crashHook(point -> threadAt.put(point, Thread.currentThread().getName())).open()) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("BWFW VERSION 1", 512))).isEqualTo(OK);
            assertThat(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.allocate(256)))).isEqualTo(OK);
            threadAt.clear();
            CountDownLatch hold = new CountDownLatch(1);
            workerThread.execute(() -> await(hold));
            // the worker has earlier file work queued: the aborted transfer's discard
            assertThat(t.transfer(Cci.MCTP, TransferFwRequest.abort())).isEqualTo(OK);

            Future<Integer> activate = callers.submit(() -> t.activate(Cci.MAILBOX, ActivateFwRequest.onNextReset(2)));
            assertThat(awaitDone(activate, 200)).as("waits for the worker").isFalse();
            assertThat(threadAt).isEmpty();
            hold.countDown();

            assertThat(activate.get(10, TimeUnit.SECONDS)).isEqualTo(OK);
            assertThat(threadAt.get("delete staging.bin")).isEqualTo("test-worker");
            assertThat(threadAt.get("write device.properties.tmp")).isEqualTo("test-worker");
            assertThat(t.fwInfo().stagedSlot()).isEqualTo(2);
        }
    }

    @Test
    void setLsaAndSetPartitionInfoWriteOnTheStateWriter_neverOnTheCciThread() throws Exception {
        Map<String, String> threadAt = new ConcurrentHashMap<>();
        try (TestDevice t = TestDevice.builder(dir).instant().worker(workerThread)
                .config(b -> b.partitionableCapacity(1L << 30).partitionAlignment(256L << 20))
                .crashHook(point -> threadAt.put(point, Thread.currentThread().getName())).open()) {
            threadAt.clear();
            Future<Integer> first = callers.submit(() -> t.send(Cci.MCTP, CommandId.SET_LSA,
                    new io.cxlkit.protocol.payload.SetLsaRequest(0, ByteBuffer.wrap(new byte[] {1})).encode())
                    .returnCode());
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(OK);
            Future<Integer> second = callers.submit(() -> t.send(Cci.MAILBOX, CommandId.SET_LSA,
                    new io.cxlkit.protocol.payload.SetLsaRequest(1, ByteBuffer.wrap(new byte[] {2})).encode())
                    .returnCode());
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(OK);
            Future<Integer> share = callers.submit(() -> t.send(Cci.MCTP, CommandId.SET_PARTITION_INFO,
                    new io.cxlkit.protocol.payload.SetPartitionInfoRequest(2, true).encode()).returnCode());
            assertThat(share.get(10, TimeUnit.SECONDS)).isEqualTo(OK);
            assertThat(threadAt).containsKeys("rename lsa.bin.tmp -> lsa.bin", "fsync lsa.journal",
                    "rename partition.properties.tmp -> partition.properties");
            assertThat(threadAt.values()).containsOnly("test-worker");
        }
    }

    @Test
    void theInterPartTimeoutIsCheckedOnTheWorkerNotOnTheClocksThread() {
        ManualExecutor worker = new ManualExecutor();
        try (TestDevice t = TestDevice.builder(dir).instant().worker(worker).open()) {
            assertThat(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, ByteBuffer.allocate(256)))).isEqualTo(OK);
            worker.runAll();

            t.advance(Duration.ofSeconds(31)); // past the 30 s inter-part timeout
            // the clock only handed the check to the worker: the transfer is still MCTP's
            assertThat(worker.pending()).isEqualTo(1);
            assertThat(t.transfer(Cci.MAILBOX, TransferFwRequest.initiate(0, ByteBuffer.allocate(256))))
                    .isEqualTo(ReturnCode.FW_TRANSFER_IN_PROGRESS.value());

            worker.runAll();
            assertThat(t.transfer(Cci.MAILBOX, TransferFwRequest.abort())).isEqualTo(OK);
            assertThat(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, ByteBuffer.allocate(128))))
                    .as("the MCTP transfer expired").isEqualTo(ReturnCode.INVALID_INPUT.value());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code f} is done within {@code millis} of real time (a bound on a wait that must not end). */
    private static boolean awaitDone(Future<?> f, long millis) throws Exception {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
