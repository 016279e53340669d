package io.cxlkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlkit.server.state.DaemonInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A test client of a real daemon's control API (wire.md §3): the bearer token on every request,
 * the memdev routes, a tight-poll wait for an upload's end, and the server-sent event stream
 * ({@link EventStream}). Also the daemon-log checks the load and shutdown tests share.
 */
final class ControlApiClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    ControlApiClient(DaemonInfo info) {
        this.base = info.http();
        this.token = info.token();
    }

    /** A status and a body as text. */
    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The {@code error} word of an error answer, "" for another body. */
        String error() {
            try {
                return JSON.readTree(body).path("error").asText("");
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public String toString() {
            return status + " " + body.strip();
        }
    }

    // ---- requests ----

    Response send(String method, String path, HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .timeout(REQUEST_TIMEOUT)
                .method(method, body).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /** The same, sent without waiting (for a request a SIGTERM may cut). */
    java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(String method, String path,
                                                                             HttpRequest.BodyPublisher body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .timeout(REQUEST_TIMEOUT)
                .method(method, body).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
    }

    Response memdevs() throws IOException, InterruptedException {
        return send("GET", "/v1/memdevs", HttpRequest.BodyPublishers.noBody());
    }

    Response memdev(String name) throws IOException, InterruptedException {
        return send("GET", "/v1/memdevs/" + name, HttpRequest.BodyPublishers.noBody());
    }

    /** PUT the image: 202 when the upload was accepted. */
    Response upload(String name, byte[] image) throws IOException, InterruptedException {
        return send("PUT", "/v1/memdevs/" + name + "/firmware", HttpRequest.BodyPublishers.ofByteArray(image));
    }

    Response cancel(String name) throws IOException, InterruptedException {
        return send("DELETE", "/v1/memdevs/" + name + "/firmware/upload", HttpRequest.BodyPublishers.noBody());
    }

    Response activate(String name, int slot, boolean online) throws IOException, InterruptedException {
        return send("POST", "/v1/memdevs/" + name + "/firmware/activate",
                HttpRequest.BodyPublishers.ofString("{\"slot\":" + slot + ",\"online\":" + online + "}"));
    }

    Response reset(String name) throws IOException, InterruptedException {
        return send("POST", "/v1/memdevs/" + name + "/reset", HttpRequest.BodyPublishers.noBody());
    }

    /** A slot's package, empty for an empty slot (404); any other answer fails. */
    Optional<byte[]> slot(String name, int slot) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/memdevs/" + name + "/firmware/slots/" + slot))
                .header("Authorization", "Bearer " + token).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + name + " slot " + slot + ": " + r.statusCode() + " "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        return Optional.of(r.body());
    }

    /** {@code cxlkit.upload} of a memdev object. */
    static JsonNode uploadOf(JsonNode memdev) {
        return memdev.path("cxlkit").path("upload");
    }

    /** What one observed upload end says. */
    record UploadEnd(Optional<String> error, String detail) {
        boolean failed() {
            return error.isPresent();
        }

        /** The error and the device's return code if any, e.g. "transferring:read-write-error 0018h Interrupted". */
        String kind() {
            String rc = "";
            try {
                JsonNode d = JSON.readTree(detail);
                if (d.hasNonNull("return_code")) {
                    rc = " " + d.get("return_code").asText() + " " + d.path("return_code_name").asText();
                }
            } catch (IOException e) {
                // the error alone
            }
            return error.orElse("none") + rc;
        }
    }

    /** The {@code error} of an upload object or event, if any. */
    static UploadEnd endOf(JsonNode upload) {
        JsonNode e = upload.get("error");
        return new UploadEnd(e == null || e.isNull() ? Optional.empty() : Optional.of(e.asText()), upload.toString());
    }

    /** Tight poll (no pause) of GET memdev until {@code cxlkit.upload.status} is idle. */
    UploadEnd awaitIdleByPolling(String name, Duration timeout) throws IOException, InterruptedException {
        return awaitIdleByPolling(name, timeout, null);
    }

    /**
     * The same; {@code stillRunning}, if given, is told the send time (System.nanoTime) of every
     * GET that found the upload still running: the upload certainly ran until then.
     */
    UploadEnd awaitIdleByPolling(String name, Duration timeout, java.util.function.LongConsumer stillRunning)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long sent = System.nanoTime();
            Response r = memdev(name);
            if (r.status() != 200) {
                throw new AssertionError("GET " + name + " while waiting for the upload's end: " + r);
            }
            JsonNode upload = uploadOf(r.json());
            if ("idle".equals(upload.path("status").asText())) {
                return endOf(upload);
            }
            if (stillRunning != null) {
                stillRunning.accept(sent);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": upload still running after " + timeout + ": " + upload);
            }
        }
    }

    /** Subscribes to {@code GET /v1/events}; the subscription is live when this returns. */
    EventStream events() throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("GET /v1/events: " + r.statusCode() + " " + body);
        }
        return new EventStream(r.body());
    }

    @Override
    public void close() {
        // HttpClient has no close() before Java 21; its connections go with it
    }

    /**
     * One subscription to the event stream: a reader thread parses the server-sent events and
     * files every {@code upload} event by memdev.
     */
    static final class EventStream implements AutoCloseable {
        private final InputStream in;
        private final Map<String, BlockingQueue<JsonNode>> uploads = new ConcurrentHashMap<>();
        private final Thread reader;
        private volatile Throwable failure;
        private volatile boolean closed;

        private EventStream(InputStream in) {
            this.in = in;
            this.reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private BlockingQueue<JsonNode> queue(String memdev) {
            return uploads.computeIfAbsent(memdev, k -> new LinkedBlockingQueue<>());
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String type = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isEmpty()) {
                        if ("upload".equals(type) && data.length() > 0) {
                            JsonNode event = JSON.readTree(data.toString());
                            queue(event.path("memdev").asText()).add(event);
                        }
                        type = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        type = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    }
                    // ':' comments (the greeting, keep-alives) are skipped
                }
                if (!closed) {
                    failure = new IOException("the event stream ended");
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    failure = e;
                }
            }
        }

        /**
         * The end event ({@code status} idle) of the upload of {@code imageSize} bytes on
         * {@code memdev}; events of other uploads (other sizes) and progress events are skipped.
         */
        UploadEnd awaitUploadEnd(String memdev, long imageSize, Duration timeout) throws InterruptedException {
            BlockingQueue<JsonNode> q = queue(memdev);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode e = q.poll(Math.max(0, Math.min(left, 200_000_000L)), TimeUnit.NANOSECONDS);
                if (e == null) {
                    if (failure != null) {
                        throw new AssertionError(memdev + ": the event stream failed: " + failure, failure);
                    }
                    if (left <= 0) {
                        throw new AssertionError(memdev + ": no end event of the " + imageSize
                                + "-byte upload within " + timeout);
                    }
                    continue;
                }
                if ("idle".equals(e.path("status").asText()) && e.path("image_size").asLong() == imageSize) {
                    return endOf(e);
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            try {
                in.close();
            } catch (IOException e) {
                // going away anyway
            }
            reader.interrupt();
        }
    }

    // ---- the daemon's log ----

    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at .*");

    /** Lines of a stack trace: "Exception in thread" and {@code ^\s+at } frames. */
    static List<String> stackTraceLines(String log) {
        List<String> out = new ArrayList<>();
        for (String line : log.split("\n", -1)) {
            if (line.contains("Exception in thread") || STACK_FRAME.matcher(line).matches()) {
                out.add(line);
            }
        }
        return out;
    }

    /** Lines containing {@code needle}. */
    static List<String> linesWith(String log, String needle) {
        List<String> out = new ArrayList<>();
        for (String line : log.split("\n", -1)) {
            if (line.contains(needle)) {
                out.add(line);
            }
        }
        return out;
    }

    /** Lines worth showing with a failure: warnings, errors, failed uploads, exceptions, stack frames. */
    static List<String> relevantLines(String log) {
        List<String> out = new ArrayList<>();
        for (String line : log.split("\n", -1)) {
            if (line.contains(" warn ") || line.contains(" error ") || line.contains("failed")
                    || line.contains("Exception") || STACK_FRAME.matcher(line).matches()) {
                out.add(line);
            }
        }
        return out;
    }

    /** The first {@code n} of {@code lines}, one a line, with the total when cut. */
    static String first(List<?> lines, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(n, lines.size()); i++) {
            b.append("\n    ").append(lines.get(i));
        }
        if (lines.size() > n) {
            b.append("\n    ... (").append(lines.size() - n).append(" more)");
        }
        return b.toString();
    }

    /** The last {@code n} lines of a log. */
    static String tail(String log, int n) {
        String[] lines = log.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, lines.length - n); i < lines.length; i++) {
            b.append("\n    | ").append(lines[i]);
        }
        return b.toString();
    }
}
