package io.cxlkit.bench;

import io.cxlkit.device.persist.FileTrees;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageHeader;
import io.cxlkit.server.Daemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * cxlkit's benchmark command: each figure next to its baseline measured in the same run, as a
 * Markdown table on stdout and JSON in {@code bench-results.json}. Run it with
 * {@code bin/cxlkit-bench [figure...]}; figures: upload, socket-upload, roundtrips, mailbox, cli, rss,
 * fleet (the fleet runs only when named: it takes minutes)
 * (default: all). {@code bin/cxlkit-bench soak [options]} is another command, {@link Soak}: it
 * checks for failures and growth over many uploads rather than measuring a figure.
 */
public final class Benchmarks {

    static final int PACKAGE_BYTES = 32 << 20;
    /**
     * Untimed runs before the best of {@link #TIMED_RUNS} of a path through the daemon: with 32
     * parts per upload, its per-part code takes about ten uploads to be compiled (the baseline's
     * three warm-ups are enough for one write, one fsync and one digest).
     */
    static final int DAEMON_WARMUPS = 10;
    static final int TIMED_RUNS = 5;

    private final Path work;
    private final List<Figure> figures = new ArrayList<>();

    private Benchmarks(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("soak")) {
            System.exit(Soak.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        Set<String> which = args.length == 0 ? Set.of("upload", "socket-upload", "roundtrips", "mailbox", "cli", "rss")
                : Set.copyOf(Arrays.asList(args));
        Path work = Files.createTempDirectory("cxlkit-bench");
        Benchmarks b = new Benchmarks(work);
        try {
            if (which.contains("upload")) {
                b.upload();
            }
            if (which.contains("socket-upload")) {
                b.socketUpload();
            }
            if (which.contains("roundtrips")) {
                b.roundTrips();
            }
            if (which.contains("mailbox")) {
                b.mailbox();
            }
            if (which.contains("cli")) {
                b.cli();
            }
            if (which.contains("fleet")) {
                b.fleet();
            }
            if (which.contains("rss")) {
                b.rss();
            }
        } finally {
            FileTrees.delete(work);
        }
        b.report(Path.of(System.getProperty("cxlkit.bench.out", "bench-results.json")));
    }

    private static byte[] packageOf(int totalBytes) {
        byte[] body = new byte[totalBytes - PackageHeader.SIZE];
        new Random(42).nextBytes(body);
        return FirmwarePackage.builder().revision("BENCH").securityVersion(0).body(body).build().toByteArray();
    }

    private static DeviceConfig device(int i, int payloadExp, int mctpExp) {
        return DeviceConfig.defaults(i).toBuilder().timing(Timing.instant()).payloadSizeExponent(payloadExp)
                .mctpMessageSizeExponent(mctpExp).maxPackageSize(64L << 20).build();
    }

    /** (1) 32 MiB through the whole daemon path, control API to slot commit. */
    private void upload() throws Exception {
        byte[] pkg = packageOf(PACKAGE_BYTES);
        double base = Baseline.writeFsyncDigestSeconds(work, pkg);
        for (int exp : new int[] {20, 12}) {
            Path dir = Files.createTempDirectory(work, "upload");
            try (Daemon d = Embedded.start(dir, List.of(device(0, exp, 10)))) {
                double best = Double.MAX_VALUE;
                for (int i = 0; i < DAEMON_WARMUPS + TIMED_RUNS; i++) {
                    double s = HttpUpload.upload(d.info(), "mem0", pkg);
                    if (i >= DAEMON_WARMUPS) {
                        best = Math.min(best, s);
                    }
                }
                figures.add(new Figure("32 MiB update via control API, payload " + size(1 << exp), best, base, "s",
                        "write+fsync+SHA-256", true, exp == 20 ? "<= 2x" : "<= 4x"));
            }
        }
    }

    /** (2) the same over the socket endpoint with 1 MiB MCTP messages. */
    private void socketUpload() throws Exception {
        byte[] pkg = packageOf(PACKAGE_BYTES);
        Path image = Files.write(work.resolve("pkg.img"), pkg);
        double base = Baseline.writeFsyncDigestSeconds(work, pkg);
        Path dir = Files.createTempDirectory(work, "socket");
        try (Daemon d = Embedded.start(dir, List.of(device(0, 12, 20)))) {
            double best = Double.MAX_VALUE;
            for (int i = 0; i < DAEMON_WARMUPS + TIMED_RUNS; i++) {
                double s = SocketUploadBench.upload(d.info().cci(), 8, image);
                if (i >= DAEMON_WARMUPS) {
                    best = Math.min(best, s);
                }
            }
            figures.add(new Figure("32 MiB update over the socket endpoint, MCTP 1 MiB", best, base, "s",
                    "write+fsync+SHA-256", true, "<= 2x"));
        }
    }

    /** (3) Get FW Info round trips per second against a raw TCP echo of the same byte counts. */
    private void roundTrips() throws Exception {
        Path dir = Files.createTempDirectory(work, "rtt");
        List<DeviceConfig> devices = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            devices.add(device(i, 12, 10));
        }
        long millis = 3000;
        try (Daemon d = Embedded.start(dir, devices); RoundTrips.EchoServer echo = new RoundTrips.EchoServer()) {
            String hostPort = d.info().cci().substring("tcp://".length());
            String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
            int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            RoundTrips.measure(host, port, List.of(8), 1, 1000); // warm-up
            RoundTrips.measure("127.0.0.1", echo.port(), List.of(8), 1, 1000);
            double echo1 = RoundTrips.measure("127.0.0.1", echo.port(), List.of(8), 1, millis);
            double one = RoundTrips.measure(host, port, List.of(8), 1, millis);
            figures.add(new Figure("Get FW Info round trips, 1 connection", one, echo1, "/s", "TCP echo", false,
                    ">= 0.5x"));
            double echo8 = RoundTrips.measure("127.0.0.1", echo.port(), List.of(8), 8, millis);
            List<Integer> eids = List.of(8, 9, 10, 11, 12, 13, 14, 15);
            double eight = RoundTrips.measure(host, port, eids, 8, millis);
            figures.add(new Figure("Get FW Info round trips, 8 connections to 8 devices", eight, echo8, "/s",
                    "TCP echo", false, ">= 0.5x"));
            double eightOne = RoundTrips.measure(host, port, List.of(8), 8, millis);
            figures.add(new Figure("Get FW Info round trips, 8 connections to 1 device", eightOne, echo8, "/s",
                    "TCP echo", false, ">= 0.5x"));
        }
    }

    /** (4) JMH: Get FW Info through the register model vs dispatched straight to the device. */
    private void mailbox() throws Exception {
        var opts = new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include(MailboxBenchmark.class.getName()).forks(1).warmupIterations(2)
                .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1)).measurementIterations(3)
                .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1)).build();
        double viaMailbox = 0;
        double direct = 0;
        for (var r : new org.openjdk.jmh.runner.Runner(opts).run()) {
            double score = r.getPrimaryResult().getScore();
            if (r.getParams().getBenchmark().endsWith("ThroughTheMailbox")) {
                viaMailbox = score;
            } else {
                direct = score;
            }
        }
        figures.add(new Figure("Get FW Info through the mailbox registers (JMH)", viaMailbox, direct, "/s",
                "dispatched directly", false, "-"));
    }

    /** (6) bin/cxlkit list -F as shipped, whole process, against java -version; and CLI uploads. */
    private void cli() throws Exception {
        Path dir = Files.createTempDirectory(work, "cli");
        try (Daemon d = Embedded.start(dir, List.of(device(0, 12, 10)))) {
            String launcher = Processes.root().resolve("bin/cxlkit").toString();
            double list = Processes.bestWallSeconds(List.of(launcher, "list", "-F", "--state-dir", dir.toString()), 5);
            double java = Processes.bestWallSeconds(List.of(Processes.javaCommand(), "-version"), 5);
            figures.add(new Figure("bin/cxlkit list -F (whole process)", list, java, "s", "java -version", true,
                    "<= 2.5x"));
        }
        byte[] pkg = packageOf(PACKAGE_BYTES);
        Path image = Files.write(work.resolve("cli.img"), pkg);
        double base = Baseline.writeFsyncDigestSeconds(work, pkg);
        for (int exp : new int[] {12, 20}) {
            Path sd = Files.createTempDirectory(work, "cliup");
            try (Daemon d = Embedded.start(sd, List.of(device(0, exp, 10)))) {
                String launcher = Processes.root().resolve("bin/cxlkit").toString();
                double s = Processes.bestWallSeconds(List.of(launcher, "update-firmware", "mem0", "-F",
                        image.toString(), "--wait", "--state-dir", sd.toString()), 3);
                figures.add(new Figure("update-firmware -F 32MiB --wait, instant, payload " + size(1 << exp), s, base,
                        "s", "write+fsync+SHA-256", true, "-"));
            }
        }
    }

    /** (5) 100 and 1,000 devices in one daemon, all uploading 1 MiB at once: how cost grows. */
    private void fleet() throws Exception {
        byte[] image = new byte[1 << 20];
        new Random(5).nextBytes(image);
        Fleet.Result hundred = Fleet.run(100, Path.of(System.getProperty("cxlkit.fleet.dir",
                Files.createTempDirectory(work, "fleet100").toString())).resolve("s"), image);
        Fleet.Result thousand = Fleet.run(1000, Files.createTempDirectory(work, "fleet1000").resolve("s"), image);
        figures.add(new Figure("fleet: 1,000 devices uploading 1 MiB at once, wall time", thousand.seconds(),
                hundred.seconds(), "s", "100 devices", true, "<= 12x"));
        figures.add(new Figure("fleet: 1,000 devices, daemon peak RSS", thousand.peakRssMiB(), hundred.peakRssMiB(),
                "MiB", "100 devices", true, "< 1024 MiB"));
    }

    /** The daemon's resident set with 1, 16 and 247 devices (issue 4), against the 1-device one. */
    private void rss() throws Exception {
        double one = Processes.serveRssMiB(1, Files.createTempDirectory(work, "rss1"));
        for (int n : new int[] {1, 16, 247}) {
            double mib = n == 1 ? one : Processes.serveRssMiB(n, Files.createTempDirectory(work, "rss"));
            figures.add(new Figure("serve RSS with " + n + " device(s)", mib, one, "MiB", "1 device", true, "-"));
        }
    }

    private void report(Path json) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("| figure | measured | baseline | ratio | target |\n|---|---|---|---|---|\n");
        for (Figure f : figures) {
            md.append(f.row()).append('\n');
        }
        System.out.print(md);
        String machine = String.format(Locale.ROOT, "%s %s, %d cores, Java %s", System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        String body = figures.stream().map(Figure::json).collect(Collectors.joining(",\n  "));
        Files.writeString(json, "{\"machine\":\"" + machine + "\",\"figures\":[\n  " + body + "\n]}\n");
        System.out.println("machine: " + machine + "; JSON: " + json.toAbsolutePath());
    }

    private static String size(int bytes) {
        return bytes >= (1 << 20) ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
