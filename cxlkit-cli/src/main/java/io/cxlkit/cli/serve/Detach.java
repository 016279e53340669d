package io.cxlkit.cli.serve;

import io.cxlkit.cli.DaemonClient;
import io.cxlkit.server.state.DaemonInfo;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code serve --detach}: starts the daemon as a process of its own and returns once it is ready
 * (README "Running the daemon in the background").
 * <ul>
 *   <li>The daemon is this Java with this JVM's options and class path, running {@code serve} with the
 *   same arguments but {@code --detach}, in the same directory and environment. It runs in a session of
 *   its own ({@code setsid}, when installed) with stdin from /dev/null, so neither a Ctrl-C in the
 *   terminal nor the terminal's hang-up reaches it, and it ignores SIGHUP.</li>
 *   <li>Its stdout and stderr are appended to {@code DIR/serve.log}.</li>
 *   <li>Ready means: daemon.json is there with the daemon's pid, and every listener in it accepts a
 *   connection. Then this prints where the daemon is and exits 0.</li>
 *   <li>A daemon that exits first: its error lines (those of this start in the log that begin with
 *   {@code cxlkit: }) are printed, and this exits with its status.</li>
 *   <li>Not ready within {@link DaemonClient#START_WAIT}, or SIGINT/SIGTERM while waiting: the daemon is
 *   stopped (SIGTERM; SIGKILL if it is still there 6 s later) and this exits non-zero.</li>
 * </ul>
 */
final class Detach {

    /** The daemon's log, in its state directory. */
    static final String LOG_FILE = "serve.log";
    /** Set in the daemon's environment: it was started by {@code serve --detach}. */
    static final String DETACHED_ENV = "CXLKIT_SERVE_DETACHED";

    private static final long POLL_MILLIS = 20;
    private static final Duration STOP_WAIT = Duration.ofSeconds(6);
    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private final Path stateDir;
    private final List<String> command;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Duration bound;

    /** The daemon {@code serve serveArgs}, waited for up to {@link DaemonClient#START_WAIT}. */
    Detach(Path stateDir, List<String> serveArgs, PrintWriter out, PrintWriter err) {
        this(stateDir, command(serveArgs), out, err, DaemonClient.START_WAIT);
    }

    /** The daemon started by {@code command}, waited for up to {@code bound}. */
    Detach(Path stateDir, List<String> command, PrintWriter out, PrintWriter err, Duration bound) {
        this.stateDir = stateDir;
        this.command = List.copyOf(command);
        this.out = out;
        this.err = err;
        this.bound = bound;
    }

    /** Starts the daemon and waits for it; SIGINT or SIGTERM meanwhile stops it. The exit status. */
    int run() throws IOException, InterruptedException {
        AtomicInteger signal = new AtomicInteger();
        for (String name : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signal.compareAndSet(0, s.getNumber()));
        }
        return run(signal);
    }

    /** {@link #run()}, a signal being the number {@code signal} takes (0: none yet). */
    int run(AtomicInteger signal) throws IOException, InterruptedException {
        if (!Files.isDirectory(stateDir)) {
            Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        Path log = stateDir.resolve(LOG_FILE);
        if (!Files.exists(log)) {
            Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        long logStart = Files.size(log);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        pb.environment().put(DETACHED_ENV, "1");
        Process child = pb.start();
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            if (signal.get() != 0) {
                boolean stopped = stop(child);
                say("interrupted; " + (stopped ? "stopped" : "could not stop") + " the daemon (pid " + child.pid()
                        + ") that was starting");
                return 128 + signal.get();
            }
            if (!child.isAlive()) {
                return failed(child, log, logStart);
            }
            Optional<DaemonInfo> info = readyInfo(child);
            if (info.isPresent() && accepts(info.get())) {
                relayWarnings(log, logStart);
                print(info.get(), log);
                return 0;
            }
            if (System.nanoTime() - deadline >= 0) {
                boolean stopped = stop(child);
                say("the daemon (pid " + child.pid() + ") was not ready within " + bound.toSeconds() + " s; "
                        + (stopped ? "stopped it" : "could not stop it") + " (its log: " + log + ")");
                return 1;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** {@code [setsid] java JVM-OPTIONS -cp CLASSPATH io.cxlkit.cli.Main serve ARGS}. */
    static List<String> command(List<String> serveArgs) {
        List<String> cmd = new ArrayList<>();
        findSetsid().ifPresent(cmd::add);
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-D" + io.cxlkit.cli.Terminal.STDOUT_TTY + "=")) {
                cmd.add("-D" + io.cxlkit.cli.Terminal.STDOUT_TTY + "=false");
            } else if (a.startsWith("-D" + io.cxlkit.cli.Terminal.STDERR_TTY + "=")) {
                cmd.add("-D" + io.cxlkit.cli.Terminal.STDERR_TTY + "=false");
            } else if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp")) {
                cmd.add(a); // a debugger's port is the parent's
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(io.cxlkit.cli.Main.class.getName());
        cmd.addAll(serveArgs);
        return cmd;
    }

    /** The {@code setsid} program on the PATH: it gives the daemon a session of its own. */
    private static Optional<String> findSetsid() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "setsid");
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p.toString());
                }
            }
        }
        return Optional.empty();
    }

    /** daemon.json, if it is there and names the child (a starting daemon's own pid, setsid having exec'd it). */
    private Optional<DaemonInfo> readyInfo(Process child) {
        try {
            return DaemonInfo.find(stateDir).filter(i -> i.pid() == child.pid());
        } catch (IOException e) {
            return Optional.empty(); // being written: the next look
        }
    }

    /** Every listener of daemon.json takes a connection. */
    private static boolean accepts(DaemonInfo info) {
        List<String> urls = new ArrayList<>(info.cciListeners());
        urls.add(info.http());
        for (String url : urls) {
            try {
                if (url.startsWith("unix:")) {
                    SocketChannel.open(UnixDomainSocketAddress.of(url.substring("unix:".length()))).close();
                } else {
                    URI u = URI.create(url);
                    String host = u.getHost();
                    if (host.startsWith("[") && host.endsWith("]")) {
                        host = host.substring(1, host.length() - 1);
                    }
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(host, u.getPort()), CONNECT_TIMEOUT_MS);
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    private void print(DaemonInfo info, Path log) {
        out.println("pid " + info.pid());
        out.println("state directory " + stateDir);
        out.println("control API " + info.http());
        out.println("CCI " + String.join(", ", info.cciListeners()));
        out.println("log " + log);
        out.flush();
    }

    /** The warnings the daemon printed while it started, on stderr as serve prints them. */
    private void relayWarnings(Path log, long from) throws IOException {
        for (String line : linesFrom(log, from)) {
            if (line.startsWith("cxlkit: serve: warning: ")) {
                err.println(line);
            }
        }
        err.flush();
    }

    /** The daemon exited before it was ready: its error lines, and its exit status (1 if it was 0). */
    private int failed(Process child, Path log, long from) throws IOException, InterruptedException {
        child.waitFor();
        int status = child.exitValue();
        List<String> lines = linesFrom(log, from);
        List<String> own = lines.stream().filter(l -> l.startsWith("cxlkit: ")).toList();
        if (own.isEmpty()) {
            lines.stream().filter(l -> !l.isBlank()).skip(Math.max(0, lines.size() - 5)).forEach(err::println);
            say("the daemon exited with status " + status + " before it was ready (its log: " + log + ")");
        } else {
            own.forEach(err::println);
        }
        err.flush();
        return status == 0 ? 1 : status;
    }

    /** The lines written to the log since {@code from}. */
    private static List<String> linesFrom(Path log, long from) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length <= from) {
                return List.of();
            }
            byte[] b = new byte[(int) Math.min(length - from, 1 << 20)];
            f.seek(from);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** SIGTERM, then SIGKILL if it is still there after {@link #STOP_WAIT}; true once it is gone. */
    private static boolean stop(Process child) throws InterruptedException {
        child.destroy();
        if (child.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        child.destroyForcibly();
        return child.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void say(String message) {
        err.println("cxlkit: serve: " + message);
        err.flush();
    }
}
