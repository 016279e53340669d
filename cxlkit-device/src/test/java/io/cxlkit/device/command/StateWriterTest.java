package io.cxlkit.device.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.exec.SerialExecutor;
import io.cxlkit.device.persist.SimulatedCrash;
import io.cxlkit.device.testing.ManualExecutor;
import io.cxlkit.protocol.ReturnCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The state writer: in order, an answer for every write, whatever happens to it, and a drain for close. */
class StateWriterTest {

    private static int rc(Outcome.Awaiting a) {
        return a.response().join().returnCode().value();
    }

    @Test
    void writesRunInOrder_andAnswerWithTheirReturnCode() {
        ManualExecutor pool = new ManualExecutor();
        StateWriter w = new StateWriter("mem0", new SerialExecutor(pool));
        List<String> order = new ArrayList<>();
        Outcome.Awaiting a = w.submit("a", () -> {
            order.add("a");
            return ReturnCode.SUCCESS;
        });
        w.later(() -> order.add("later"));
        Outcome.Awaiting b = w.submit("b", () -> {
            order.add("b");
            return ReturnCode.INVALID_INPUT;
        });
        assertThat(a.response()).isNotDone();
        pool.runAll();
        assertThat(order).containsExactly("a", "later", "b");
        assertThat(rc(a)).isZero();
        assertThat(rc(b)).isEqualTo(ReturnCode.INVALID_INPUT.value());
    }

    @Test
    void anIoErrorAnswers0004h_andTheNextWriteStillRuns() {
        StateWriter w = new StateWriter("mem0", new SerialExecutor(Runnable::run));
        assertThat(rc(w.submit("failing", () -> {
            throw new IOException("disk full");
        }))).isEqualTo(ReturnCode.INTERNAL_ERROR.value());
        assertThat(rc(w.submit("next", () -> ReturnCode.SUCCESS))).isZero();
    }

    @Test
    void aWriteThatDies_withAnError_stillAnswers0004h() {
        StateWriter w = new StateWriter("mem0", new SerialExecutor(Runnable::run));
        Outcome.Awaiting a = w.submit("crashing", () -> {
            throw new SimulatedCrash("test");
        });
        assertThat(a.response()).isDone();
        assertThat(rc(a)).isEqualTo(ReturnCode.INTERNAL_ERROR.value());
        assertThat(rc(w.submit("next", () -> ReturnCode.SUCCESS))).isZero();
    }

    @Test
    void drainThen_waitsForTheQueuedWrites() throws Exception {
        ManualExecutor pool = new ManualExecutor();
        StateWriter w = new StateWriter("mem0", new SerialExecutor(pool));
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        w.later(() -> order.add("write"));
        Thread closer = new Thread(() -> w.drainThen(() -> order.add("close")));
        closer.start();
        while (closer.getState() != Thread.State.WAITING) { // parked in drainThen, not finished
            assertThat(closer.isAlive()).as("drainThen returned with a write queued").isTrue();
            Thread.onSpinWait();
        }
        assertThat(order).isEmpty();
        pool.runAll();
        closer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(closer.isAlive()).isFalse();
        assertThat(order).containsExactly("write", "close");
    }
}
