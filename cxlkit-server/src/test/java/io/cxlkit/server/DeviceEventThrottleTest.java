package io.cxlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class DeviceEventThrottleTest {

    private long now = 1_000_000_000L;
    private final Queue<Runnable> pool = new ArrayDeque<>();
    private final List<long[]> timers = new ArrayList<>(); // {due, index into timerTasks}
    private final List<Runnable> timerTasks = new ArrayList<>();
    private final List<Long> builds = new ArrayList<>();
    private Runnable duringBuild = () -> { };

    private final DeviceEventThrottle throttle = new DeviceEventThrottle(() -> {
        builds.add(now);
        duringBuild.run();
    }, pool::add, (delay, task) -> {
        timers.add(new long[] {now + delay, timerTasks.size()});
        timerTasks.add(task);
    }, () -> now);

    private void runPool() {
        while (!pool.isEmpty()) {
            pool.poll().run();
        }
    }

    private void advance(long nanos) {
        now += nanos;
        for (long[] t : new ArrayList<>(timers)) {
            if (t[0] <= now) {
                timers.remove(t);
                timerTasks.get((int) t[1]).run();
            }
        }
        runPool();
    }

    @Test
    void aFirstChangeIsReportedAtOnce() {
        throttle.changed();
        runPool();
        assertEquals(List.of(now), builds);
    }

    @Test
    void aBurstOfChangesGivesOneBuildNowAndOneAfterTheInterval() {
        throttle.changed();
        runPool();
        for (int i = 0; i < 1000; i++) {
            advance(50_000); // 1000 changes in 50 ms, like the parts of an upload
            throttle.changed();
        }
        assertEquals(1, builds.size(), "no second build inside the interval");
        advance(builds.get(0) + DeviceEventThrottle.INTERVAL_NANOS - 1 - now);
        assertEquals(1, builds.size(), "not a nanosecond early");
        advance(1);
        assertEquals(2, builds.size(), "the last change is reported once the interval is over");
        assertEquals(builds.get(0) + DeviceEventThrottle.INTERVAL_NANOS, builds.get(1));
        advance(10 * DeviceEventThrottle.INTERVAL_NANOS);
        assertEquals(2, builds.size(), "nothing changed since");
    }

    @Test
    void aChangeWhileBuildingGetsABuildOfItsOwn() {
        duringBuild = () -> {
            duringBuild = () -> { };
            throttle.changed(); // the view may have been read before this change
        };
        throttle.changed();
        runPool();
        assertEquals(1, builds.size());
        advance(DeviceEventThrottle.INTERVAL_NANOS);
        assertEquals(2, builds.size());
    }

    @Test
    void changesFurtherApartThanTheIntervalAreEachReportedAtOnce() {
        for (int i = 0; i < 5; i++) {
            throttle.changed();
            runPool();
            advance(DeviceEventThrottle.INTERVAL_NANOS + 1);
        }
        assertEquals(5, builds.size());
        assertEquals(List.of(), timers);
    }
}
