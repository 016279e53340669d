package io.cxlkit.cli;

import io.cxlkit.device.persist.FileTrees;
import io.cxlkit.server.state.StateDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run of the class-data sharing archive that {@code bin/cxlkit} keeps next to the jar
 * (docs/startup.md): runs typical commands in this process, output discarded, so that the JVM's
 * {@code -XX:DumpLoadedClassList} lists the classes they load. It needs no daemon: the daemon
 * commands talk to a stand-in in this process that holds a state directory's lock, writes its
 * daemon.json and answers the control API with one canned memdev. Always exits 0, within
 * {@link #TIME_LIMIT_MS}: a step that goes wrong only leaves its classes out of the archive
 * ({@code CdsTrainingTest} checks every step).
 */
public final class CdsTraining {

    /** One command and the exit status it must have against the stand-in. */
    record Step(List<String> args, int exit) {
    }

    private CdsTraining() {
    }

    /** The most the training may take: the launcher waits for it, holding the build lock. */
    static final long TIME_LIMIT_MS = 30_000;

    public static void main(String[] args) throws InterruptedException {
        Thread training = new Thread(() -> {
            try {
                run(new PrintWriter(Writer.nullWriter()));
            } catch (Exception | LinkageError e) {
                // best effort: the classes loaded so far are listed all the same
            }
        }, "cds-training");
        training.setDaemon(true);
        training.start();
        training.join(TIME_LIMIT_MS);
        System.exit(0);
    }

    /**
     * The steps, against the stand-in daemon of {@code stateDir}: the short client commands that
     * the launcher runs with the archive in mind ({@code list} first), their usage errors, help
     * and failures, and {@code update-firmware -F -w} (its upload and its wait on the event
     * stream). Not help or --version (which build every command), human formats (locale data),
     * serve, demo or fw: every JVM start pays for the archive's size (about 3 ms per MB here,
     * docs/startup.md), and those run long or seldom. For the same reason the training itself
     * uses little beyond what the commands use.
     */
    static List<Step> steps(Path stateDir) {
        String dir = stateDir.toString();
        return List.of(
                new Step(List.of("update-firmware", "mem0", "-F", image(stateDir).toString(), "-w", "--state-dir", dir),
                        0),
                new Step(List.of("list", "-F", "--state-dir", dir), 0),
                new Step(List.of("list", "--cxlkit", "-m", "mem0", "--state-dir", dir), 0),
                new Step(List.of("list", "--state-dir", stateDir.resolve("none").toString()), 1),
                new Step(List.of("list", "--bogus"), 2),
                new Step(List.of("reset", "mem0", "--state-dir", dir), 0),
                new Step(List.of("activate-firmware", "mem0", "--slot", "1", "--online", "--state-dir", dir), 0),
                new Step(List.of("inject", "mem0", "--media-disabled", "--state-dir", dir), 0),
                new Step(List.of("inject", "mem0", "--clear", "--state-dir", dir), 0));
    }

    /**
     * Runs every step with {@code out} as stdout and stderr; the steps whose exit status was not
     * the expected one, each with what it printed (empty when all went as expected).
     */
    static List<String> run(PrintWriter out) throws IOException, InterruptedException {
        // not Files.createTempDirectory: its SecureRandom would join the archive
        Path dir = Path.of(System.getProperty("java.io.tmpdir"),
                "cxlkit-cds-training-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectory(dir);
        List<String> unexpected = new ArrayList<>();
        Files.write(image(dir.resolve("state")), new byte[IMAGE_BYTES]);
        try (StandIn daemon = StandIn.start(dir.resolve("state"))) {
            for (Step step : steps(daemon.stateDir)) {
                StringWriter text = new StringWriter();
                PrintWriter both = new PrintWriter(text, true);
                String[] args = step.args().toArray(new String[0]);
                // as Main.main, with the head start, whose own classes and lambda are then archived too
                Thread head = HeadStart.startFor(args);
                int exit = Main.run(args, both, both);
                if (head != null) {
                    head.join(TIME_LIMIT_MS);
                }
                out.print(text);
                out.flush();
                if (exit != step.exit()) {
                    unexpected.add(String.join(" ", step.args()) + ": exit " + exit + "\n" + text);
                }
            }
        } finally {
            FileTrees.delete(dir);
        }
        return unexpected;
    }

    /** The image update-firmware uploads to the stand-in: any bytes do, it reads none. */
    static final int IMAGE_BYTES = 128;

    private static Path image(Path stateDir) {
        return stateDir.resolveSibling("fw.img");
    }

    /**
     * A stand-in daemon: holds the lock of {@code stateDir}, publishes daemon.json, and answers
     * HTTP/1.1 requests on 127.0.0.1 with {@link HeadStart#MEMDEV} (an array of it for the list),
     * a JSON 404 for anything outside {@code /v1/memdevs}; and a subscription to the event stream
     * with the last upload event of mem0's upload, then the end of the stream.
     */
    private static final class StandIn implements AutoCloseable {
        private final Path stateDir;
        private final StateDirectory lock;
        private final ServerSocket server;

        private StandIn(Path stateDir, StateDirectory lock, ServerSocket server) {
            this.stateDir = stateDir;
            this.lock = lock;
            this.server = server;
        }

        static StandIn start(Path stateDir) throws IOException {
            StateDirectory lock = StateDirectory.acquire(stateDir, warning -> { });
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            StandIn s = new StandIn(stateDir, lock, server);
            Thread t = new Thread(s::serve, "cds-training-daemon");
            t.setDaemon(true);
            t.start();
            Files.writeString(stateDir.resolve(StateDirectory.DAEMON_FILE), "{\"pid\":" + ProcessHandle.current().pid()
                    + ",\"http\":\"http://127.0.0.1:" + server.getLocalPort() + "\",\"cci\":\"\",\"cci_listeners\":[],"
                    + "\"token\":\"training\"}\n");
            return s;
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket c = server.accept();
                    Thread t = new Thread(() -> connection(c), "cds-training-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    // closed: done
                }
            }
        }

        /** Answers the requests of one kept-alive connection, as the daemon does, until the client closes it. */
        private static void connection(Socket c) {
            try (c) {
                BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                OutputStream out = c.getOutputStream();
                for (String request = in.readLine(); request != null && !request.isEmpty(); request = in.readLine()) {
                    long length = 0;
                    for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                        if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                            length = Long.parseLong(h.substring(15).trim());
                        }
                    }
                    in.skip(length);
                    String path = request.split(" ")[1];
                    if (path.startsWith("/v1/events")) {
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n: cxlkit events\n\n"
                                + "event: upload\ndata: {\"memdev\":\"mem0\",\"status\":\"idle\",\"image_size\":"
                                + IMAGE_BYTES + ",\"remaining_size\":0,\"bytes_sent\":" + IMAGE_BYTES
                                + ",\"parts_sent\":1}\n\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        return; // an HTTP/1.0 stream ends with the connection
                    }
                    answer(path, out);
                }
            } catch (IOException | RuntimeException e) {
                // the client went away: done with it
            }
        }

        private static void answer(String path, OutputStream out) throws IOException {
            int status = 200;
            String body;
            if (path.equals("/v1/memdevs")) {
                body = "[" + HeadStart.MEMDEV + "]";
            } else if (path.startsWith("/v1/memdevs/mem0") && !path.contains("/slots/")) {
                body = HeadStart.MEMDEV;
            } else {
                status = 404;
                body = "{\"error\":\"not-found\",\"message\":\"no such thing\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found")
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
            lock.close();
        }
    }
}
