package io.cxlkit.bench;

import io.cxlkit.device.persist.FileTrees;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code bin/cxlkit-bench soak}: many firmware uploads, back to back on every device of one real
 * daemon, to find what a figure of five runs cannot: uploads that fail only now and then, file
 * descriptors or memory that grow with each upload, stack traces in the log, a daemon that no
 * longer stops cleanly. Plain lines on stdout; exit 0 only if no upload failed, the log has no
 * stack trace and the daemon exited 0 on SIGTERM, else 1 (2 for a bad option).
 */
final class Soak {
    private Soak() {
    }

    /** Untimed uploads before the start sample: the daemon's first uploads load and compile classes. */
    static final int WARMUP = 20;
    /** Resident set and descriptors are sampled each time this fraction (1/SAMPLES) of uploads is done. */
    static final int SAMPLES = 10;
    /** Failure messages kept in full; the rest are only counted, by kind. */
    static final int FIRST_FAILURES = 5;
    /** Stack-trace lines of the log printed as they are. */
    static final int FIRST_STACK_LINES = 5;

    /** Runs the soak with the words after {@code soak}; returns the exit status. */
    static int run(String[] args) throws IOException, InterruptedException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(SoakOptions.USAGE);
            return 0;
        }
        SoakOptions o;
        try {
            o = SoakOptions.parse(args);
        } catch (SoakOptions.BadOption e) {
            System.err.println("cxlkit-bench soak: " + e.getMessage());
            return 2;
        }
        // two revisions, in turn on each device: its consecutive uploads never carry the same package
        byte[][] images = {image(o.imageSize(), "SOAK 1"), image(o.imageSize(), "SOAK 2")};
        System.out.printf(Locale.ROOT, "soak: %d uploads (+%d warm-up) of %s to %d devices, timing %s, "
                + "fw-verify package%n", o.uploads(), WARMUP, size(images[0].length), o.devices(), o.timing());
        Path work = Files.createTempDirectory("cxlkit-soak");
        boolean pass;
        try (ServeProcess d = ServeProcess.start(work, o.devices(), o.timing())) {
            System.out.println("daemon: pid " + d.info().pid() + ", " + d.info().http() + ", log " + d.log());
            Failures failures = new Failures();
            Phase warm = new Phase(d, o.devices(), WARMUP, images, failures, false);
            warm.run();
            System.out.println("warm-up: " + warm.done.get() + " uploads, " + failures.count.get() + " failed");
            ServeProcess.Sample start = d.sample();
            System.out.println("start: " + sampleText(start));
            Phase timed = new Phase(d, o.devices(), o.uploads(), images, failures, true);
            double seconds = timed.run();
            ServeProcess.Sample end = d.isAlive() ? d.sample() : null;
            ServeProcess.Stop stop = d.stop();
            ServeProcess.LogScan logScan = d.scanLog();
            pass = report(o, images[0].length, timed, seconds, failures, start, end, stop, logScan, d.log());
        } catch (ServeProcess.StartFailure | IOException e) {
            // the daemon did not start, or vanished between uploads: its log says why
            System.err.println("cxlkit-bench soak: " + e.getMessage());
            System.err.println("cxlkit-bench soak: kept " + work);
            return 1;
        }
        if (pass) {
            FileTrees.delete(work);
        } else {
            System.out.println("kept for a look: " + work);
        }
        return pass ? 0 : 1;
    }

    private static boolean report(SoakOptions o, int imageBytes, Phase timed, double seconds, Failures failures,
                                  ServeProcess.Sample start, ServeProcess.Sample end, ServeProcess.Stop stop,
                                  ServeProcess.LogScan logScan, Path log) {
        List<String> stackLines = logScan.stackTraceLines();
        int done = timed.done.get();
        System.out.println("uploads: " + done + " of " + o.uploads() + " done (+" + WARMUP + " warm-up), "
                + failures.count.get() + " failed (warm-up included)");
        failures.print();
        System.out.printf(Locale.ROOT, "wall time: %.1f s%n", seconds);
        System.out.printf(Locale.ROOT, "throughput: %.1f uploads/s, %.2f MiB/s (failed uploads included)%n",
                done / seconds, (double) done * imageBytes / (1 << 20) / seconds);
        if (end == null) {
            System.out.println("end: the daemon was gone before the end");
        } else {
            System.out.printf(Locale.ROOT, "end: %s (rss %+.1f MiB, fds %+d since start)%n", sampleText(end),
                    end.rssMiB() - start.rssMiB(), end.fds() - start.fds());
        }
        System.out.println("daemon log: " + logScan.lines() + " lines, " + stackLines.size() + " stack-trace lines ("
                + log + ")");
        for (String line : stackLines.subList(0, Math.min(FIRST_STACK_LINES, stackLines.size()))) {
            System.out.println("  " + line.strip());
        }
        System.out.println(stop.exitStatus() < 0 ? "daemon stop: no exit within 10 s of SIGTERM, killed"
                : String.format(Locale.ROOT, "daemon stop: exit %d %.1f s after SIGTERM", stop.exitStatus(),
                stop.seconds()));
        List<String> why = new ArrayList<>();
        if (failures.count.get() > 0) {
            why.add(failures.count.get() + " failed uploads");
        }
        if (done < o.uploads()) {
            why.add((o.uploads() - done) + " uploads not done");
        }
        if (!stackLines.isEmpty()) {
            why.add(stackLines.size() + " stack-trace lines in the log");
        }
        if (stop.exitStatus() != 0) {
            why.add("the daemon did not stop cleanly");
        }
        System.out.println(why.isEmpty() ? "result: PASS" : "result: FAIL (" + String.join(", ", why) + ")");
        return why.isEmpty();
    }

    /**
     * Uploads shared out among one client thread per device: each takes the next upload as soon as
     * its last ended, so a slow device does not hold the others back and the total is exact.
     */
    private static final class Phase {
        private final ServeProcess daemon;
        private final int devices;
        private final int total;
        private final byte[][] images;
        private final Failures failures;
        private final boolean sampled;
        private final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        private long t0;
        private int printedTenth;

        Phase(ServeProcess daemon, int devices, int total, byte[][] images, Failures failures, boolean sampled) {
            this.daemon = daemon;
            this.devices = devices;
            this.total = total;
            this.images = images;
            this.failures = failures;
            this.sampled = sampled;
        }

        /** Runs every upload; returns the wall time in seconds. */
        double run() throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            t0 = System.nanoTime();
            for (int i = 0; i < devices; i++) {
                SoakClient client = new SoakClient(daemon.info(), "mem" + i);
                threads.add(new Thread(() -> uploads(client), "soak-" + client.memdev()));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            return (System.nanoTime() - t0) / 1e9;
        }

        private void uploads(SoakClient client) {
            int own = 0;
            for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                int n = i;
                try {
                    client.upload(images[own++ % 2])
                            .ifPresent(f -> failures.add(client.memdev() + " upload " + (n + 1), f));
                } catch (IOException e) {
                    // the daemon is gone or the device is stuck: this client stops, the others go on
                    failures.add(client.memdev() + " upload " + (n + 1), e.getMessage());
                    done.incrementAndGet();
                    return;
                }
                finished();
            }
        }

        /**
         * Counts an upload and prints a sample when it completes another tenth of the total. One
         * thread at a time samples, and a tenth overtaken by the next one is skipped: the lines
         * stay in order.
         */
        private void finished() {
            int n = done.incrementAndGet();
            int tenth = (int) ((long) n * SAMPLES / total);
            if (!sampled || tenth == (int) ((long) (n - 1) * SAMPLES / total)) {
                return;
            }
            synchronized (this) {
                if (tenth <= printedTenth) {
                    return;
                }
                printedTenth = tenth;
                double s = (System.nanoTime() - t0) / 1e9;
                String sample;
                try {
                    sample = sampleText(daemon.sample());
                } catch (IOException e) {
                    sample = "daemon gone (" + e.getMessage() + ")";
                }
                System.out.printf(Locale.ROOT, "%4d%%: %d uploads, %d failed, %.1f s, %s%n", (long) n * 100 / total,
                        n, failures.count.get(), s, sample);
            }
        }
    }

    /** Failed uploads: counted by kind (the message without its device), the first few kept whole. */
    private static final class Failures {
        final AtomicInteger count = new AtomicInteger();
        private final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();
        private final List<String> first = new ArrayList<>();

        void add(String where, String what) {
            count.incrementAndGet();
            kinds.computeIfAbsent(what.replaceAll("\\bmem[0-9]+\\b", "memN"), k -> new LongAdder()).increment();
            synchronized (first) {
                if (first.size() < FIRST_FAILURES) {
                    first.add(where + ": " + what);
                }
            }
        }

        void print() {
            kinds.entrySet().stream().sorted(Comparator.comparingLong(e -> -e.getValue().sum()))
                    .forEach(e -> System.out.println("  " + e.getValue().sum() + " x " + e.getKey()));
            synchronized (first) {
                if (!first.isEmpty()) {
                    System.out.println("first failures:");
                    first.forEach(f -> System.out.println("  " + f));
                }
            }
        }
    }

    private static String sampleText(ServeProcess.Sample s) {
        return String.format(Locale.ROOT, "rss %.1f MiB, fds %d", s.rssMiB(), s.fds());
    }

    /** A valid unsigned package of exactly {@code bytes} (a multiple of 128: no padding). */
    private static byte[] image(int bytes, String revision) {
        byte[] body = new byte[bytes - 128];
        new Random(7).nextBytes(body);
        return FirmwarePackage.builder().revision(revision).securityVersion(0).body(body).build().toByteArray();
    }

    private static String size(int bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes % 1024 == 0 ? (bytes >> 10) + " KiB"
                : bytes + " B";
    }
}
