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
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * cxlkit's benchmark command: each figure next to its baseline measured in the same run, as a
 * Markdown table on stdout and JSON in {@code bench-results.json}. Run it with
 * {@code bin/cxlkit-bench [figure...]}; figures: upload, socket-upload, roundtrips, mailbox, cli, sanitize, rss,
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
    /** The figures of each group run, by group. */
    private final Map<String, List<Figure>> measured = new java.util.HashMap<>();

    private Benchmarks(Path work) {
        this.work = work;
    }

    /** The figure groups, as arguments name them, in the order they run and are reported. */
    static final List<String> GROUPS = List.of("upload", "socket-upload", "roundtrips", "mailbox", "cli", "sanitize",
            "fleet", "rss");

    /** The groups measured when no argument names any: all but the fleet, which takes minutes. */
    static final Set<String> DEFAULT_GROUPS = GROUPS.stream().filter(g -> !g.equals("fleet"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** One group's measurements. */
    @FunctionalInterface
    private interface Group {
        void measure() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("soak")) {
            System.exit(Soak.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        Set<String> which = args.length == 0 ? DEFAULT_GROUPS : Set.copyOf(Arrays.asList(args));
        Path work = Files.createTempDirectory("cxlkit-bench");
        Benchmarks b = new Benchmarks(work);
        Map<String, Group> groups = Map.of("upload", b::upload, "socket-upload", b::socketUpload,
                "roundtrips", b::roundTrips, "mailbox", b::mailbox, "cli", b::cli, "sanitize",
                () -> SanitizeBench.measure(work, b.figures), "fleet", b::fleet, "rss", b::rss);
        try {
            for (String g : GROUPS) {
                if (which.contains(g)) {
                    int before = b.figures.size();
                    groups.get(g).measure();
                    b.measured.put(g, List.copyOf(b.figures.subList(before, b.figures.size())));
                }
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

    /** Runs of each whole-process command in {@link #cli}, interleaved, after two untimed rounds. */
    static final int CLI_RUNS = 20;

    /**
     * (6) Whole {@code bin/cxlkit} processes as a user times them, each next to a baseline of the
     * same run: {@code list -F} against {@code java -version}; and {@code update-firmware mem0 -F
     * <32 MiB package> -w} (instant timing) less {@code list -F -m mem0} (the start-up, daemon.json
     * and a look that both pay) against the write+fsync+SHA-256 of the same 32 MiB. The daemon is
     * embedded in this JVM and warmed up first (its per-part code takes about ten uploads to be
     * compiled); the commands of a figure run interleaved, best of {@link #CLI_RUNS}.
     */
    private void cli() throws Exception {
        String launcher = Processes.root().resolve("bin/cxlkit").toString();
        byte[] pkg = packageOf(PACKAGE_BYTES);
        Path image = Files.write(work.resolve("cli.img"), pkg);
        double base = Baseline.writeFsyncDigestSeconds(work, pkg);
        for (int exp : new int[] {20, 12}) {
            Path sd = Files.createTempDirectory(work, "cli");
            try (Daemon d = Embedded.start(sd, List.of(device(0, exp, 10)))) {
                for (int i = 0; i < DAEMON_WARMUPS; i++) {
                    HttpUpload.upload(d.info(), "mem0", pkg);
                }
                List<String> list = List.of(launcher, "list", "-F", "--state-dir", sd.toString());
                List<String> listOne = List.of(launcher, "list", "-F", "-m", "mem0", "--state-dir", sd.toString());
                List<String> update = List.of(launcher, "update-firmware", "mem0", "-F", image.toString(), "-w",
                        "--state-dir", sd.toString());
                List<String> java = List.of(Processes.javaCommand(), "-version");
                double[] best = Processes.bestWallSeconds(exp == 20 ? List.of(list, listOne, update, java)
                        : List.of(listOne, update), CLI_RUNS);
                if (exp == 20) {
                    figures.add(new Figure("bin/cxlkit list -F (whole process)", best[0], best[3], "s",
                            "java -version", true, "<= 3x"));
                    figures.add(new Figure("update-firmware -F 32MiB -w less list -F -m mem0, payload 1 MiB",
                            best[2] - best[1], base, "s", "write+fsync+SHA-256", true, "<= 2x"));
                } else {
                    figures.add(new Figure("update-firmware -F 32MiB -w less list -F -m mem0, payload 4 KiB",
                            best[1] - best[0], base, "s", "write+fsync+SHA-256", true, "-"));
                }
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

    /**
     * Prints this run's figures as a Markdown table and writes {@code json}: the figures of the
     * groups this run measured, and those of the other groups as the file had them (each figure
     * names its group), so that running some groups does not lose the others' latest figures.
     */
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
        Map<String, List<String>> kept = new java.util.LinkedHashMap<>();
        if (Files.exists(json)) {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            for (var f : mapper.readTree(json.toFile()).path("figures")) {
                String group = f.path("group").asText("");
                if (!measured.containsKey(group)) {
                    kept.computeIfAbsent(group, g -> new ArrayList<>()).add(mapper.writeValueAsString(f));
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (String g : GROUPS) {
            if (measured.containsKey(g)) {
                measured.get(g).forEach(f -> lines.add(f.json(g)));
            } else {
                lines.addAll(kept.getOrDefault(g, List.of()));
            }
            kept.remove(g);
        }
        kept.values().forEach(lines::addAll); // figures of no known group stay, last
        Files.writeString(json, "{\"machine\":\"" + machine + "\",\"figures\":[\n  " + String.join(",\n  ", lines)
                + "\n]}\n");
        System.out.println("machine: " + machine + "; JSON: " + json.toAbsolutePath());
    }

    private static String size(int bytes) {
        return bytes >= (1 << 20) ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
