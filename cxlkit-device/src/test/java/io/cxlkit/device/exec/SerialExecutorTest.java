package io.cxlkit.device.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void anIdleExecutorRunsATaskOnTheCallersThread() {
        SerialExecutor serial = new SerialExecutor(pool);
        Thread[] ranOn = new Thread[1];
        assertThat(serial.tryRunHere(() -> ranOn[0] = Thread.currentThread())).isTrue();
        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
    }

    @Test
    void aBusyExecutorRefusesAndRunsNothing() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        serial.execute(() -> {
            running.countDown();
            await(release);
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        boolean[] ran = {false};
        assertThat(serial.tryRunHere(() -> ran[0] = true)).isFalse();
        assertThat(ran[0]).isFalse();
        release.countDown();
    }

    @Test
    void tasksSubmittedDuringAnInlineRunFollowItInOrder() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        serial.tryRunHere(() -> {
            serial.execute(() -> order.add("second"));
            serial.execute(() -> {
                order.add("third");
                done.countDown();
            });
            assertThat(serial.tryRunHere(() -> order.add("never"))).isFalse();
            order.add("first");
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("first", "second", "third");
        // and once drained it is idle again (the pool thread may still be leaving its drain loop)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean ranHere = false;
        while (!ranHere && System.nanoTime() < deadline) {
            ranHere = serial.tryRunHere(() -> order.add("fourth"));
            Thread.onSpinWait();
        }
        assertThat(ranHere).isTrue();
        assertThat(order).containsExactly("first", "second", "third", "fourth");
    }

    @Test
    void aTaskThatFailsIsOneLogLineAndTheTasksBehindItStillRun() {
        List<String> logged = new CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(SerialExecutor.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getLevel() + " " + r.getMessage() + (r.getThrown() == null ? "" : " +trace"));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            SerialExecutor serial = new SerialExecutor(Runnable::run);
            List<String> ran = new CopyOnWriteArrayList<>();
            serial.execute(() -> {
                throw new java.io.UncheckedIOException(new java.io.IOException("disk gone"));
            });
            serial.execute(() -> ran.add("next"));

            assertThat(ran).containsExactly("next");
            assertThat(logged).containsExactly("SEVERE a device worker task failed: "
                    + "java.io.UncheckedIOException: java.io.IOException: disk gone");
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void onceThePoolIsShutDownTasksRunOnTheSubmittingThreadInOrderNoneLost() throws Exception {
        ExecutorService closing = Executors.newSingleThreadExecutor();
        SerialExecutor serial = new SerialExecutor(closing);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a task runs inline while another thread queues behind it; then the pool shuts down
        Thread inline = new Thread(() -> serial.tryRunHere(() -> {
            inside.countDown();
            await(release);
            ran.add("inline");
        }));
        inline.start();
        inside.await(10, TimeUnit.SECONDS);
        serial.execute(() -> ran.add("queued behind"));
        closing.shutdown();
        release.countDown();
        inline.join(10_000);

        assertThat(ran).containsExactly("inline", "queued behind");
        serial.execute(() -> ran.add("after shutdown"));
        assertThat(ran).containsExactly("inline", "queued behind", "after shutdown");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
