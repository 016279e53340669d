package io.cxlkit.device.clock;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Real time: {@link System#nanoTime()} and one shared daemon timer thread for all devices. */
public final class SystemClock implements DeviceClock {

    private static final SystemClock INSTANCE = new SystemClock();

    private final ScheduledExecutorService timer;

    private SystemClock() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "cxlkit-clock");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = Executors.unconfigurableScheduledExecutorService(t);
    }

    public static SystemClock get() {
        return INSTANCE;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long wallTimeNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public Scheduled schedule(long deadlineNanos, Runnable task) {
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        var future = timer.schedule(task, delay, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
