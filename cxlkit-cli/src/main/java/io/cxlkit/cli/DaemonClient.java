package io.cxlkit.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxlkit.server.state.DaemonInfo;
import io.cxlkit.server.state.StateDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The control API client (wire.md §3) on {@link HttpURLConnection}: no HTTP library, so the CLI
 * starts fast. Every request carries the bearer token of daemon.json; a 4xx/5xx answer becomes an
 * {@link ApiError} with the daemon's {@code error} and {@code message}.
 *
 * <p>JSON goes through {@link JsonTree}, and daemon.json is read here rather than with the server's
 * {@code DaemonInfo}: neither needs an {@code ObjectMapper}, whose construction would cost a
 * command such as {@code list} a good part of its run time (docs/startup.md).
 */
public final class DaemonClient {

    static final int CONNECT_TIMEOUT_MS = 5_000;
    /** Activation waits up to 30 s for a background activation on the daemon's side. */
    static final int READ_TIMEOUT_MS = 60_000;

    private final Path stateDir;
    private final String http;
    private final String token;

    /** A client of the daemon whose control API is at {@code http} (e.g. {@code http://127.0.0.1:41021}). */
    DaemonClient(Path stateDir, String http, String token) {
        this.stateDir = stateDir;
        this.http = http;
        this.token = token;
    }

    /** A new empty JSON object, e.g. for a request body. */
    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * How long a client waits for a daemon that is still starting (its lock held, no daemon.json yet)
     * before it gives up; {@code serve --detach} waits as long for its daemon.
     */
    public static final Duration START_WAIT = Duration.ofSeconds(30);
    /** How often a waiting client looks for daemon.json. */
    static final long POLL_MILLIS = 20;
    /**
     * How often a waiting client probes the lock (to notice a start that failed). Seldom: a probe holds
     * the lock for an instant, which a start that comes just then has to wait out.
     */
    static final long LOCK_PROBE_MILLIS = 200;

    /**
     * The client of the daemon serving {@code stateDir}; waits up to {@link #START_WAIT} for one that
     * is still starting ({@link #awaitDaemon}).
     *
     * @throws Failure {@code no daemon running for DIR} when there is none (no daemon.json, or a
     *                 stale one whose lock nobody holds), or one line when it is still starting after
     *                 {@link #START_WAIT}
     */
    public static DaemonClient connect(Path stateDir) {
        DaemonInfo info = awaitDaemon(stateDir, START_WAIT);
        return new DaemonClient(stateDir, info.http(), info.token());
    }

    /**
     * The live daemon of {@code stateDir} (wire.md §2). When there is no daemon.json to trust but the
     * directory's lock is held, a daemon is starting there: this waits, up to {@code bound}, until its
     * daemon.json appears (then it is ready) or the lock is released (its start failed).
     *
     * @throws Failure {@code no daemon running for DIR}, or {@code the daemon for DIR (pid N) is still
     *                 starting after 30 s}, or a daemon.json that cannot be read
     */
    public static DaemonInfo awaitDaemon(Path stateDir, Duration bound) {
        try {
            Optional<DaemonInfo> found = DaemonInfo.find(stateDir);
            if (found.isPresent()) {
                return found.get();
            }
            if (!StateDirectory.isLocked(stateDir)) {
                throw noDaemon(stateDir);
            }
            long start = System.nanoTime();
            long nextProbe = start + LOCK_PROBE_MILLIS * 1_000_000;
            while (true) {
                Thread.sleep(POLL_MILLIS);
                found = DaemonInfo.find(stateDir);
                if (found.isPresent()) {
                    return found.get();
                }
                long now = System.nanoTime();
                if (now - nextProbe >= 0) {
                    if (!StateDirectory.isLocked(stateDir)) {
                        // its start failed (or it stopped at once); a last look for a file written just before
                        return DaemonInfo.find(stateDir).orElseThrow(() -> noDaemon(stateDir));
                    }
                    nextProbe = now + LOCK_PROBE_MILLIS * 1_000_000;
                }
                if (now - start >= bound.toNanos()) {
                    throw new Failure("the daemon for " + stateDir
                            + StateDirectory.lockHolder(stateDir).map(pid -> " (pid " + pid + ")").orElse("")
                            + " is still starting after " + bound.toSeconds() + " s");
                }
            }
        } catch (IOException e) {
            throw new Failure("cannot read " + stateDir.resolve(StateDirectory.DAEMON_FILE) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while waiting for the daemon for " + stateDir + " to start");
        }
    }

    /**
     * The live daemon of {@code stateDir} as it is now, without waiting for one that is starting;
     * empty when no daemon.json can be trusted (no file, or a stale one).
     */
    public static Optional<DaemonClient> find(Path stateDir) throws IOException {
        return DaemonInfo.find(stateDir).map(info -> new DaemonClient(stateDir, info.http(), info.token()));
    }

    private static Failure noDaemon(Path stateDir) {
        return new Failure("no daemon running for " + stateDir);
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The control API's base URL, from daemon.json. */
    public String http() {
        return http;
    }

    /** GET, the answer parsed as JSON. */
    public JsonNode get(String path) throws IOException, ApiError {
        return parse(send("GET", path, null));
    }

    /** POST with a JSON body (or none), the answer's text. */
    public String post(String path, JsonNode body) throws IOException, ApiError {
        return send("POST", path, body == null ? null : JsonTree.bytes(body));
    }

    /**
     * PUT of a file's bytes, the answer's text. The bytes go from the file to the socket in the
     * kernel ({@code FileChannel.transferTo}, sendfile on Linux), never through this process: for a
     * 32 MiB image, HttpURLConnection's copies through the heap and a direct buffer cost ~20 ms of
     * CPU that the daemon, receiving it, needs. A daemon that answers before it has taken the whole
     * body (409 for an upload already running, 413) is read all the same.
     */
    public String put(String path, java.nio.file.Path file) throws IOException, ApiError {
        long size = java.nio.file.Files.size(file);
        java.nio.channels.SocketChannel channel;
        try {
            channel = connect(READ_TIMEOUT_MS);
        } catch (ConnectException e) {
            throw noDaemon(stateDir);
        }
        try (channel; java.nio.channels.FileChannel image = java.nio.channels.FileChannel.open(file)) {
            channel.write(java.nio.ByteBuffer.wrap(head("PUT", path, "HTTP/1.1", "application/json",
                    "Content-Type: application/octet-stream\r\nContent-Length: " + size + "\r\nConnection: close\r\n")));
            IOException sending = null;
            try {
                for (long sent = 0; sent < size; ) {
                    long n = image.transferTo(sent, size - sent, channel);
                    if (n == 0 && sent >= image.size()) {
                        throw new IOException(file + " shrank to " + image.size() + " bytes while it was sent");
                    }
                    sent += n;
                }
            } catch (IOException e) {
                sending = e;
            }
            InputStream in = new java.io.BufferedInputStream(channel.socket().getInputStream());
            Answer answer;
            try {
                answer = Answer.read(in, Integer.MAX_VALUE);
            } catch (IOException e) {
                if (sending != null) {
                    throw sending; // no answer: the body's failure is the story
                }
                throw e;
            }
            if (answer.status() / 100 != 2) {
                throw error(answer.status(), answer.body());
            }
            if (sending != null) {
                throw sending;
            }
            return new String(answer.body(), StandardCharsets.UTF_8);
        }
    }

    /** PUT with a JSON body, the answer's text. */
    public String put(String path, JsonNode body) throws IOException, ApiError {
        return send("PUT", path, JsonTree.bytes(body));
    }

    /** PUT of bytes held in memory ({@code application/octet-stream}), the answer's text. */
    public String put(String path, byte[] body) throws IOException, ApiError {
        return send("PUT", path, "application/octet-stream", body.length, out -> out.write(body));
    }

    /** DELETE, the answer's text. */
    public String delete(String path) throws IOException, ApiError {
        return send("DELETE", path, null);
    }

    /** GET, streaming the answer's bytes to {@code out}; the number of bytes. */
    public long download(String path, OutputStream out) throws IOException, ApiError {
        HttpURLConnection c = open("GET", path);
        try {
            int status = status(c);
            if (status / 100 != 2) {
                throw error(c, status);
            }
            try (InputStream in = c.getInputStream()) {
                return in.transferTo(out);
            }
        } finally {
            c.disconnect();
        }
    }

    /** The most of a head line, and of an event stream's refusal, that this client reads. */
    private static final int MAX_HEAD_LINE = 64 * 1024;

    /**
     * GET of an answer that does not end by itself (the event stream, {@code text/event-stream}):
     * its body, read as it comes, each read waiting at most {@code readTimeoutMillis}. It goes
     * over a socket of its own as HTTP/1.0, so the daemon ends the body by closing (no chunks),
     * and so that {@code close()} ends it at once, also while another thread is blocked reading
     * it: HttpURLConnection's chunked body holds its lock while it reads, so a close would wait
     * for the next event or keep-alive.
     */
    public InputStream openStream(String path, int readTimeoutMillis) throws IOException, ApiError {
        java.nio.channels.SocketChannel channel = connect(readTimeoutMillis);
        try {
            channel.write(java.nio.ByteBuffer.wrap(head("GET", path, "HTTP/1.0", "text/event-stream", "")));
            InputStream in = new java.io.BufferedInputStream(channel.socket().getInputStream());
            Answer head = Answer.readHead(in);
            if (head.status() / 100 != 2) {
                throw error(head.status(), Answer.body(in, head.length(), MAX_HEAD_LINE));
            }
            return new java.io.FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    channel.close(); // not the buffered stream's close, which waits for a blocked read
                }
            };
        } catch (IOException | ApiError | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A blocking connection to the control API whose reads wait at most {@code readTimeoutMillis}. */
    private java.nio.channels.SocketChannel connect(int readTimeoutMillis) throws IOException {
        URI base = URI.create(http);
        java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open();
        try {
            channel.socket().connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()),
                    CONNECT_TIMEOUT_MS);
            channel.socket().setSoTimeout(readTimeoutMillis);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A request head with the token; {@code headers} are more header lines, each ending in CRLF. */
    private byte[] head(String method, String path, String version, String accept, String headers) {
        return (method + " " + path + " " + version + "\r\nHost: " + URI.create(http).getRawAuthority()
                + "\r\nAuthorization: Bearer " + token + "\r\nAccept: " + accept + "\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** An answer read off a socket of this client's own: its status, Content-Length (-1: none) and body. */
    private record Answer(int status, long length, byte[] body) {

        /** The status line and the headers. */
        static Answer readHead(InputStream in) throws IOException {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[0-9]{3}")) {
                throw new IOException("the daemon sent a malformed status line: " + statusLine);
            }
            long length = -1;
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    try {
                        length = Long.parseLong(line.substring(15).trim());
                    } catch (NumberFormatException e) {
                        throw new IOException("the daemon sent a malformed " + line);
                    }
                }
            }
            return new Answer(Integer.parseInt(parts[1]), length, new byte[0]);
        }

        /** The whole answer, its body at most {@code max} bytes. */
        static Answer read(InputStream in, int max) throws IOException {
            Answer head = readHead(in);
            return new Answer(head.status(), head.length(), body(in, head.length(), max));
        }

        /** A body of {@code length} bytes, or up to the close when -1; at most {@code max}. */
        static byte[] body(InputStream in, long length, int max) throws IOException {
            byte[] body = in.readNBytes((int) (length >= 0 ? Math.min(length, max) : max));
            if (length >= 0 && body.length < Math.min(length, max)) {
                throw new java.io.EOFException("the daemon closed the connection in the answer's body");
            }
            return body;
        }

        /** One line of a head, without its CRLF. */
        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("the daemon closed the connection in the answer's head");
                }
                if (b.length() >= MAX_HEAD_LINE) {
                    throw new IOException("the daemon sent a head line above " + MAX_HEAD_LINE + " bytes");
                }
                b.append((char) c);
            }
            int n = b.length();
            return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
        }
    }

    /** The text of a JSON answer, parsed. */
    public static JsonNode parse(String json) throws IOException {
        try {
            return JsonTree.read(json);
        } catch (JacksonException e) {
            throw new IOException("the daemon sent malformed JSON: " + e.getOriginalMessage());
        }
    }

    private String send(String method, String path, byte[] body) throws IOException, ApiError {
        if (body == null && !method.equals("POST")) {
            return send(method, path, null, -1, null);
        }
        byte[] b = body == null ? new byte[0] : body;
        return send(method, path, "application/json", b.length, out -> out.write(b));
    }

    /** Writes a request body of a known length. */
    @FunctionalInterface
    private interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private String send(String method, String path, String contentType, long length, BodyWriter body)
            throws IOException, ApiError {
        HttpURLConnection c = open(method, path);
        try {
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", contentType);
                c.setFixedLengthStreamingMode(length);
                try (OutputStream out = c.getOutputStream()) {
                    body.writeTo(out);
                } catch (ConnectException e) {
                    throw noDaemon(stateDir);
                }
            }
            int status = status(c);
            if (status / 100 != 2) {
                throw error(c, status);
            }
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            c.disconnect();
        }
    }

    private HttpURLConnection open(String method, String path) throws IOException {
        URL url = URI.create(http + path).toURL();
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout(READ_TIMEOUT_MS);
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        c.setRequestProperty("Authorization", "Bearer " + token);
        c.setRequestProperty("Accept", "application/json");
        return c;
    }

    /** The status; a refused connection means the daemon went away after daemon.json was read. */
    private int status(HttpURLConnection c) throws IOException {
        try {
            return c.getResponseCode();
        } catch (ConnectException e) {
            throw noDaemon(stateDir);
        }
    }

    private static ApiError error(HttpURLConnection c, int status) throws IOException {
        byte[] bytes;
        try (InputStream in = c.getErrorStream()) {
            bytes = in == null ? new byte[0] : in.readAllBytes();
        }
        return error(status, bytes);
    }

    /** The refusal an error answer's status and body describe. */
    private static ApiError error(int status, byte[] bytes) {
        JsonNode body;
        try {
            body = bytes.length == 0 ? null : JsonTree.read(bytes);
        } catch (IOException e) { // malformed JSON: said as the status alone
            body = null;
        }
        if (body == null || !body.isObject()) {
            return new ApiError(status, "http-" + status, "the daemon answered HTTP " + status,
                    object());
        }
        String error = body.path("error").asText("http-" + status);
        String message = body.hasNonNull("message") ? body.get("message").asText()
                : "the daemon answered HTTP " + status + " (" + error + ")";
        return new ApiError(status, error, message, body);
    }
}
