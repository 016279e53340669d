package io.cxlkit.bench;

import io.cxlkit.server.state.DaemonInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real {@code bin/cxlkit serve} process, as users run it, for the figures about the shipped daemon
 * (the soak, the resident set) rather than the embedded one of the others: its file descriptors,
 * resident set, log and exit status are those of the shipped daemon. Its stdout and stderr go to a
 * log file that the soak searches for stack traces at the end.
 */
final class ServeProcess implements AutoCloseable {

    /** A line of a Java stack trace: the thread's header, or a frame. */
    private static final Pattern STACK_LINE = Pattern.compile("^(Exception in thread .*|\\s+at .*)$");

    private final Process process;
    private final DaemonInfo info;
    private final Path log;

    private ServeProcess(Process process, DaemonInfo info, Path log) {
        this.process = process;
        this.info = info;
        this.log = log;
    }

    /** serve exited or was not ready within two minutes; the message ends with its log's last lines. */
    static final class StartFailure extends Exception {
        StartFailure(String message) {
            super(message);
        }
    }

    /** Starts serve with {@code devices} devices in {@code work}/state, logging to {@code work}/serve.log, and waits until it is ready. */
    static ServeProcess start(Path work, int devices, String timing)
            throws StartFailure, IOException, InterruptedException {
        Path stateDir = work.resolve("state");
        Path log = work.resolve("serve.log");
        List<String> cmd = List.of(Processes.root().resolve("bin/cxlkit").toString(), "serve", "--state-dir",
                stateDir.toString(), "--devices", Integer.toString(devices), "--cci-listen", "127.0.0.1:0",
                "--http-listen", "127.0.0.1:0", "--timing", timing, "--fw-verify", "package", "--log-level", "warn");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // the bench launcher has just built both jars; a stale CLI jar is an error, not a second build
        pb.environment().put("CXLKIT_NO_BUILD", "1");
        Process p = pb.start();
        // a soak interrupted with Ctrl-C must not leave its daemon running
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (DaemonInfo.find(stateDir).isEmpty()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new StartFailure("the daemon did not start" + (p.waitFor(5, TimeUnit.SECONDS)
                        ? " (exit " + p.exitValue() + ")" : "") + "; its log: " + lastLines(log, 5));
            }
            Thread.sleep(50);
        }
        return new ServeProcess(p, DaemonInfo.find(stateDir).orElseThrow(), log);
    }

    DaemonInfo info() {
        return info;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The daemon's resident set and open file descriptors now. */
    Sample sample() throws IOException {
        long rssKiB = Processes.statusKiB(info.pid(), "VmRSS");
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/" + info.pid() + "/fd"))) {
            fds = s.count();
        }
        return new Sample(rssKiB, fds);
    }

    record Sample(long rssKiB, long fds) {
        double rssMiB() {
            return rssKiB / 1024.0;
        }
    }

    /** How serve ended after SIGTERM: its exit status, or -1 if it had to be killed. */
    record Stop(int exitStatus, double seconds) {
    }

    /** SIGTERM (what a service manager sends), then up to 10 s for serve to shut down cleanly. */
    Stop stop() throws InterruptedException {
        long t0 = System.nanoTime();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return new Stop(-1, (System.nanoTime() - t0) / 1e9);
        }
        return new Stop(process.exitValue(), (System.nanoTime() - t0) / 1e9);
    }

    /** What the log holds at the end: its line count, and its stack-trace lines (none is expected). */
    record LogScan(long lines, List<String> stackTraceLines) {
    }

    /** Scans the log (at --log-level warn: a healthy soak logs nothing); a stack trace is never expected. */
    LogScan scanLog() throws IOException {
        List<String> stack = new ArrayList<>();
        long lines = 0;
        // ISO-8859-1 decodes any byte: a stray one must not make the scan fail
        try (Stream<String> s = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            for (String l : (Iterable<String>) s::iterator) {
                lines++;
                if (STACK_LINE.matcher(l).matches()) {
                    stack.add(l);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new LogScan(lines, stack);
    }

    private static String lastLines(Path log, int n) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join(" | ", all.subList(Math.max(0, all.size() - n), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
