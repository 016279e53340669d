package io.cxlkit.device.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The virtual clock of device-behaviour.md §7: time moves only on advance, tasks run in deadline order. */
class VirtualClockTest {

    @Test
    void timeMovesOnlyWhenAdvanced() {
        VirtualClock c = new VirtualClock();
        assertThat(c.nanoTime()).isZero();
        assertThat(c.wallTimeNanos()).isEqualTo(VirtualClock.DEFAULT_EPOCH_NANOS);
        c.advance(Duration.ofMillis(5));
        assertThat(c.nanoTime()).isEqualTo(5_000_000);
        assertThat(c.wallTimeNanos()).isEqualTo(VirtualClock.DEFAULT_EPOCH_NANOS + 5_000_000);
        c.advanceTo(1_000);
        assertThat(c.nanoTime()).as("never backwards").isEqualTo(5_000_000);
        assertThat(new VirtualClock(42).wallTimeNanos()).isEqualTo(42);
    }

    @Test
    void advanceRunsDueTasksInDeadlineOrder_tiesInSchedulingOrder_atTheirDeadline() {
        VirtualClock c = new VirtualClock();
        List<String> log = new ArrayList<>();
        c.schedule(30, () -> log.add("c@" + c.nanoTime()));
        c.schedule(10, () -> log.add("a@" + c.nanoTime()));
        c.schedule(20, () -> log.add("b1@" + c.nanoTime()));
        c.schedule(20, () -> log.add("b2@" + c.nanoTime()));
        c.schedule(31, () -> log.add("late"));
        c.advanceTo(30);
        assertThat(log).containsExactly("a@10", "b1@20", "b2@20", "c@30");
        assertThat(c.nanoTime()).isEqualTo(30);
        assertThat(c.pendingTasks()).isEqualTo(1);
    }

    @Test
    void tasksScheduledByTasksRunInTheSameStepIfDue() {
        VirtualClock c = new VirtualClock();
        List<Long> log = new ArrayList<>();
        c.schedule(10, () -> {
            log.add(c.nanoTime());
            c.schedule(15, () -> log.add(c.nanoTime()));
            c.schedule(100, () -> log.add(c.nanoTime()));
        });
        c.advanceTo(50);
        assertThat(log).containsExactly(10L, 15L);
        c.advanceTo(100);
        assertThat(log).containsExactly(10L, 15L, 100L);
    }

    @Test
    void cancelWithdrawsATask_andTasksInThePastRunOnRunDue() {
        VirtualClock c = new VirtualClock();
        List<String> log = new ArrayList<>();
        DeviceClock.Scheduled s = c.schedule(10, () -> log.add("cancelled"));
        s.cancel();
        assertThat(c.pendingTasks()).isZero();
        c.advanceTo(20);
        assertThat(log).isEmpty();
        s.cancel();
        c.schedule(5, () -> log.add("overdue"));
        c.runDue();
        assertThat(log).containsExactly("overdue");
        assertThat(c.nanoTime()).isEqualTo(20);
    }
}
