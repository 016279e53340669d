package io.cxlkit.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.PlatformConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Fuzzes the control API (wire.md §3) of an in-process daemon (two devices, instant timing,
 * listeners on 127.0.0.1:0) over raw sockets, so nothing is normalised on the way: random methods;
 * valid and mutated paths (unknown names, long paths, percent-encoding, slot numbers out of range,
 * huge numbers, query strings, absolute and opaque request targets); with, without or with a wrong
 * bearer token; random, malformed, non-object, deeply nested and oversized JSON bodies, wrong types
 * in the fields of faults and activate; firmware images (valid, random, empty, above the device's
 * limit, chunked); and raw garbage that is not HTTP at all.
 *
 * <p>Every answer must be an HTTP status; every 4xx/5xx from the API a JSON
 * {@code {"error","message"}} with a one-line message; no status 500 (or any 5xx: the devices are
 * instant, so nothing may time out); never a stack trace in a body; a missing or wrong token is 401.
 * Requests the JDK's HTTP layer refuses before the API sees them (an unparsable request target,
 * garbage) may get the JDK's own 4xx page. After every request {@code GET /v1/memdevs} still answers
 * 200 with both memdevs, and nothing under {@code io.cxlkit} logged a throwable. At the end, with
 * faults cleared and uploads finished, a reset brings both devices back to a full view.
 *
 * <p>Budget: {@link #TRIES} single requests and {@link #BURST_TRIES} concurrent bursts of {@link #BURST},
 * with fixed seeds; {@code -Dcxlkit.fuzz.tries=N} (and {@code -Dcxlkit.fuzz.seed=S|random}) for a longer
 * run (N tries for each property).
 */
@AddLifecycleHook(value = ControlApiFuzzProperties.Budget.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class ControlApiFuzzProperties {

    static final int TRIES = 300;
    static final String SEED = "5310700201";
    static final List<String> MEMDEVS = List.of("mem0", "mem1");
    /** mem1's fw_max_size: small, so the 413 of an image above it is cheap to reach. */
    static final int MEM1_MAX_PACKAGE = 64 * 1024;
    static final int MAX_JSON_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Applies {@code -Dcxlkit.fuzz.tries} and {@code -Dcxlkit.fuzz.seed} to every property of the class. */
    static final class Budget implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            if (context.targetMethod().isAnnotationPresent(net.jqwik.api.Example.class)) {
                return property.execute(); // regression examples run once
            }
            Integer tries = Integer.getInteger("cxlkit.fuzz.tries");
            if (tries != null && tries > 0) {
                context.attributes().setTries(tries);
            }
            String seed = System.getProperty("cxlkit.fuzz.seed", "").trim();
            if (!seed.isEmpty()) {
                context.attributes().setSeed(seed.equals("random") ? Long.toString(new SecureRandom().nextLong()) : seed);
            }
            return property.execute();
        }
    }

    // ------------------------------------------------------------------------------------ the daemon

    private static Path stateDir;
    private static Daemon daemon;
    private static String token;
    private static String host;
    private static int port;
    private static final ExecutorService WRITER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-http-writer");
        t.setDaemon(true);
        return t;
    });

    /** Keeps every record under "io.cxlkit" that carries a throwable (a logged stack trace). */
    static final class ThrowableCapture extends Handler {
        private final List<String> records = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord r) {
            if (r.getThrown() != null) {
                records.add(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage() + ": " + r.getThrown());
            }
        }

        synchronized List<String> drain() {
            List<String> out = List.copyOf(records);
            records.clear();
            return out;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static final Logger CXLKIT_LOG = Logger.getLogger("io.cxlkit");
    private static final ThrowableCapture CAPTURE = new ThrowableCapture();
    private static Level savedLevel;
    private static boolean savedUseParent;

    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final Map<String, AtomicLong> STATUSES = new java.util.concurrent.ConcurrentSkipListMap<>();

    @BeforeContainer
    static void startDaemon() throws Exception {
        savedLevel = CXLKIT_LOG.getLevel();
        savedUseParent = CXLKIT_LOG.getUseParentHandlers();
        CAPTURE.setLevel(Level.ALL);
        CXLKIT_LOG.addHandler(CAPTURE);
        CXLKIT_LOG.setLevel(Level.ALL);
        CXLKIT_LOG.setUseParentHandlers(false);
        stateDir = Files.createTempDirectory("cxlkit-api-fuzz-");
        List<DeviceConfig> devices = List.of(
                DeviceConfig.defaults(0).toBuilder().timing(Timing.instant()).build(),
                DeviceConfig.defaults(1).toBuilder().timing(Timing.instant()).slots(3)
                        .maxPackageSize(MEM1_MAX_PACKAGE).partTimeout(Duration.ofMillis(200)).build());
        PlatformConfig config = new PlatformConfig(stateDir.resolve("state"), devices, List.of("127.0.0.1:0"),
                Optional.empty(), "127.0.0.1:0", PlatformConfig.DEFAULT_MAX_CONNECTIONS);
        daemon = Daemon.start(config, warning -> { });
        token = daemon.info().token();
        URI http = URI.create(daemon.info().http());
        host = http.getHost();
        port = http.getPort();
    }

    @AfterContainer
    static void stopDaemon() throws Exception {
        try {
            if (daemon != null) {
                settleAndCheckFullView();
                daemon.close();
                List<String> traces = CAPTURE.drain();
                if (!traces.isEmpty()) {
                    throw new AssertionError("logged stack trace(s) at the end or during shutdown: " + traces);
                }
            }
        } finally {
            daemon = null;
            CXLKIT_LOG.removeHandler(CAPTURE);
            CXLKIT_LOG.setLevel(savedLevel);
            CXLKIT_LOG.setUseParentHandlers(savedUseParent);
            if (stateDir != null) {
                try (Stream<Path> files = Files.walk(stateDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            System.out.println("control API fuzz: " + REQUESTS.get() + " requests; statuses " + STATUSES);
        }
    }

    /** Clears faults, lets uploads finish, resets both devices: both memdevs show their firmware again. */
    private static void settleAndCheckFullView() throws Exception {
        for (String m : MEMDEVS) {
            settle(m);
            Answer reset = call(request("POST", "/v1/memdevs/" + m + "/reset", new byte[0]));
            require(reset.status() == 200, "reset of " + m + " answered " + reset);
        }
        Answer list = call(request("GET", "/v1/memdevs", null));
        JsonNode arr = checkList(list);
        for (JsonNode o : arr) {
            require(o.has("firmware") && o.has("firmware_version"), "after settling, no full view: " + list.text());
        }
        List<String> traces = CAPTURE.drain();
        require(traces.isEmpty(), "logged stack trace(s): " + traces);
    }

    /** Clears {@code memdev}'s faults and waits (up to 30 s) until no upload runs on it. */
    private static void settle(String memdev) throws Exception {
        Answer cleared = call(request("DELETE", "/v1/memdevs/" + memdev + "/faults", null));
        require(cleared.status() == 200, "DELETE faults of " + memdev + " answered " + cleared);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Answer a = call(request("GET", "/v1/memdevs/" + memdev, null));
            require(a.status() == 200, "GET " + memdev + " answered " + a);
            String status = JSON.readTree(a.body()).path("cxlkit").path("upload").path("status").asText();
            if (status.equals("idle")) {
                return;
            }
            require(System.nanoTime() < deadline, memdev + "'s upload did not finish: " + a.text());
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------------------------ the property

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void everyRequestGetsADefinedAnswerAndTheDaemonKeepsWorking(@ForAll("requests") Fuzzed fuzzed) throws Exception {
        CAPTURE.drain();
        REQUESTS.incrementAndGet();
        Answer a;
        if (fuzzed instanceof Req r) {
            a = call(r);
            checkAnswer(r, a);
        } else {
            Garbage g = (Garbage) fuzzed;
            a = exchange(g.bytes(), true, false);
            checkGarbageAnswer(g, a);
        }
        STATUSES.computeIfAbsent(a.status() < 0 ? "none" : Integer.toString(a.status()), k -> new AtomicLong())
                .incrementAndGet();
        // the daemon keeps answering correctly
        checkList(call(request("GET", "/v1/memdevs", null)));
        List<String> traces = CAPTURE.drain();
        require(traces.isEmpty(), "logged stack trace(s) after " + fuzzed + ": " + traces);
    }

    /**
     * Found by this fuzzer: {@code {"slot":256,"online":true}} answered 500 {"error":"internal"} and
     * logged a stack trace, because a slot that does not fit Activate FW's one-byte Slot field made
     * the request encoder throw. Such a slot is the client's error (400); one that fits goes to the
     * device, which refuses an unusable slot with 000Bh (422).
     */
    @Example
    void anActivateSlotOutsideTheSlotFieldIsABadRequest() throws Exception {
        settle("mem0");
        CAPTURE.drain();
        for (String slot : List.of("256", "-1", "65536", "2147483647", "-2147483648")) {
            for (String online : List.of("true", "false")) {
                Req r = request("POST", "/v1/memdevs/mem0/firmware/activate",
                        utf8("{\"slot\":" + slot + ",\"online\":" + online + "}"));
                Answer a = call(r);
                checkAnswer(r, a);
                require(a.status() == 400 && JSON.readTree(a.body()).path("error").asText().equals("bad-request"),
                        r + " answered " + a);
            }
        }
        Req edge = request("POST", "/v1/memdevs/mem0/firmware/activate", utf8("{\"slot\":255,\"online\":true}"));
        Answer a = call(edge);
        checkAnswer(edge, a);
        require(a.status() == 422 && a.text().contains("000Bh"), edge + " answered " + a);
        List<String> traces = CAPTURE.drain();
        require(traces.isEmpty(), "logged stack trace(s): " + traces);
    }

    /**
     * Bursts of {@link #BURST} fuzzed requests sent at once on separate connections: uploads, resets,
     * activations, fault changes and reads racing each other. Each answer is judged as above; then
     * the daemon still answers {@code GET /v1/memdevs} and nothing logged a throwable.
     */
    @Property(tries = BURST_TRIES, seed = "5310700202", shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void concurrentRequestsGetDefinedAnswersToo(@ForAll("bursts") List<Fuzzed> burst) throws Exception {
        CAPTURE.drain();
        List<Future<Answer>> answers = new ArrayList<>();
        for (Fuzzed f : burst) {
            answers.add(CLIENTS.submit(() -> f instanceof Req r ? call(r) : exchange(((Garbage) f).bytes(), true, false)));
        }
        for (int i = 0; i < burst.size(); i++) {
            REQUESTS.incrementAndGet();
            Answer a;
            try {
                a = answers.get(i).get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("request " + burst.get(i) + " of the burst failed: " + e.getCause(), e.getCause());
            }
            if (burst.get(i) instanceof Req r) {
                checkAnswer(r, a);
            } else {
                checkGarbageAnswer((Garbage) burst.get(i), a);
            }
            STATUSES.computeIfAbsent(a.status() < 0 ? "none" : Integer.toString(a.status()), k -> new AtomicLong())
                    .incrementAndGet();
        }
        checkList(call(request("GET", "/v1/memdevs", null)));
        List<String> traces = CAPTURE.drain();
        require(traces.isEmpty(), "logged stack trace(s) after the burst " + burst + ": " + traces);
    }

    static final int BURST = 8;
    static final int BURST_TRIES = 25;
    private static final ExecutorService CLIENTS = Executors.newFixedThreadPool(BURST, r -> {
        Thread t = new Thread(r, "fuzz-http-client");
        t.setDaemon(true);
        return t;
    });

    @Provide
    Arbitrary<List<Fuzzed>> bursts() {
        return requests().list().ofSize(BURST);
    }

    private static JsonNode checkList(Answer a) throws IOException {
        require(a.status() == 200, "GET /v1/memdevs answered " + a);
        JsonNode arr = JSON.readTree(a.body());
        require(arr.isArray() && arr.size() == MEMDEVS.size(), "GET /v1/memdevs: " + a.text());
        for (int i = 0; i < MEMDEVS.size(); i++) {
            JsonNode o = arr.get(i);
            require(o.path("memdev").asText().equals(MEMDEVS.get(i)) && o.has("serial") && o.has("cxlkit"),
                    "GET /v1/memdevs entry " + i + ": " + o);
        }
        return arr;
    }

    /** An answer from the API itself: a status, and for 4xx/5xx the JSON error object. */
    private static void checkAnswer(Req r, Answer a) throws IOException {
        if (a.status() < 0) {
            // the connection was cut while a large body was still being sent (the server answered
            // early: 401, 404, 413, ... and stopped reading), or the JDK's HTTP layer dropped a
            // target it cannot route (an opaque URI has no path); nothing else may go unanswered
            require(!r.wellFormed() || r.body() != null && r.body().length > 32 * 1024,
                    "no answer to " + r + ": " + a);
            return;
        }
        require(a.status() >= 100 && a.status() <= 599, "status " + a.status() + " for " + r);
        require(!containsStackTrace(a.text()), "a stack trace in the answer to " + r + ": " + a.text());
        require(a.status() != 500, "status 500 for " + r + ": " + a.text());
        boolean wellFormed = r.wellFormed();
        if (!wellFormed && a.status() >= 400 && (!isJson(a) || refusedByTheHttpLayer(a))) {
            // refused by the HTTP layer before the API saw it (unparsable target, unknown transfer coding)
            require(a.status() == 400 || a.status() == 404 || a.status() == 413 || a.status() == 414
                    || a.status() == 431 || a.status() == 501, "the HTTP layer refused " + r + " with " + a);
            return;
        }
        require(a.status() < 500, "status " + a.status() + " for " + r + ": " + a.text());
        Auth auth = r.auth();
        if (auth.known() && !auth.valid()) {
            require(a.status() == 401, "wrong or missing token got " + a.status() + " for " + r);
        } else if (auth.valid()) {
            require(a.status() != 401, "a valid token got 401 for " + r);
        }
        if (r.method().equals("HEAD")) {
            return; // no body
        }
        if (a.status() >= 400) {
            require(isJson(a), "error " + a.status() + " without a JSON body for " + r + ": " + a.text());
            JsonNode e = JSON.readTree(a.body());
            require(e.isObject() && e.path("error").isTextual() && e.path("message").isTextual()
                    && !e.path("error").asText().isEmpty() && !e.path("message").asText().contains("\n"),
                    "error body for " + r + ": " + a.text());
        } else if (a.status() == 200 && a.contentType().startsWith("application/json")
                || a.status() == 202) {
            JSON.readTree(a.body()); // parses
        }
    }

    private static void checkGarbageAnswer(Garbage g, Answer a) {
        if (a.status() < 0) {
            return; // closed without an answer: fine for bytes that are not a request
        }
        require(!containsStackTrace(a.text()), "a stack trace in the answer to " + g + ": " + a.text());
        require(a.status() != 500, "status 500 for " + g + ": " + a.text());
        // the API's own answers (401 without a token, 404, 405) or the HTTP layer's 4xx; 505 for an
        // HTTP version the JDK does not speak
        require(a.status() >= 400 && a.status() < 500 || a.status() == 505 || a.status() < 300,
                "status " + a.status() + " for " + g);
    }

    /** The HTTP layer's own refusal of a request it cannot read: JSON too, with its own error word. */
    private static boolean refusedByTheHttpLayer(Answer a) {
        return isJson(a) && a.text().contains("\"error\":\"malformed-request\"");
    }

    private static boolean isJson(Answer a) {
        return a.contentType().startsWith("application/json");
    }

    private static boolean containsStackTrace(String body) {
        return body.contains("\tat ") || body.contains("\n    at ") || body.matches("(?s).*\\bat [a-z]+\\.[a-zA-Z.$]+\\(.*")
                || body.contains("Exception:") || body.contains("Caused by");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    // ------------------------------------------------------------------------------------ requests

    sealed interface Fuzzed {
    }

    /** How the request authenticates; {@code known}: the expected outcome is clear (401 or not). */
    record Auth(String label, List<String> values, boolean valid, boolean known) {
    }

    enum BodyMode { LENGTH, CHUNKED }

    /** One HTTP request. {@code body} null: no body (and no length header). */
    record Req(String method, String target, Auth auth, List<String[]> headers, byte[] body, BodyMode mode,
               boolean http10) implements Fuzzed {
        /**
         * The target is a URI whose path starts with "/" (origin-form, or absolute-form with a path),
         * so the HTTP layer hands it to the API and the API's own answer is expected. Anything else
         * ("", "*", "x:y", "//host/path", unparsable) the HTTP layer refuses itself (400 malformed-request).
         */
        boolean wellFormed() {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase("Transfer-Encoding")) {
                    return false; // identity, or chunked without a body: refused by the HTTP layer
                }
            }
            if (target.startsWith("//")) {
                return false; // reads as "//authority/path": the HTTP layer refuses it (400 malformed-request) before the token
            }
            try {
                String path = new URI(target).getPath();
                return path != null && path.startsWith("/");
            } catch (URISyntaxException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            String t = target.length() > 120 ? target.substring(0, 120) + "...(" + target.length() + ")" : target;
            String b = body == null ? "no body" : body.length + " B " + preview(body);
            StringBuilder hs = new StringBuilder();
            for (String[] h : headers) {
                hs.append(" [").append(h[0]).append(": ")
                        .append(h[1].length() > 40 ? h[1].substring(0, 40) + "..." : h[1]).append(']');
            }
            return method + " " + t + (http10 ? " HTTP/1.0" : "") + " auth=" + auth.label() + hs + " " + b
                    + (mode == BodyMode.CHUNKED ? " chunked" : "");
        }
    }

    record Garbage(byte[] bytes) implements Fuzzed {
        @Override
        public String toString() {
            return "Garbage[" + bytes.length + " B " + preview(bytes) + "]";
        }
    }

    static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 100), StandardCharsets.ISO_8859_1)
                .replace("\r", "\\r").replace("\n", "\\n");
        return "'" + s + (b.length > 100 ? "...'" : "'");
    }

    static Req request(String method, String target, byte[] body) {
        return new Req(method, target, validAuth(), List.of(), body, BodyMode.LENGTH, false);
    }

    static Auth validAuth() {
        return new Auth("valid", List.of("Bearer " + token), true, true);
    }

    @Provide
    Arbitrary<Fuzzed> requests() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, apiRequests()),
                Tuple.of(10, bodyRequests()),
                Tuple.of(3, garbage()));
    }

    static final List<String> ROUTES = List.of("", "/firmware", "/firmware/upload", "/firmware/activate", "/reset",
            "/faults", "/firmware/slots/1", "/firmware/slots/2", "/labels", "/labels/zero", "/alert-config",
            "/partition", "?include=health,alert_config,partition_info", "/labels?offset=0x10&size=16");

    static Arbitrary<String> methods(Arbitrary<String> right) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, right),
                Tuple.of(3, Arbitraries.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH")),
                Tuple.of(1, Arbitraries.of("get", "FOO", "PROPFIND", "TRACE", "M" + "X".repeat(300), "G-E_T")));
    }

    static Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(MEMDEVS)),
                Tuple.of(2, Arbitraries.of("mem2", "MEM0", "mem", "mem00", "mem-1", "..", ".", "mem0.", "_", "mem1a",
                        "mem9999999999999999999999", "a".repeat(300), "mem0%2F..%2Fmem1", "mem%30", "%6d%65%6d%31",
                        "mem0%00", "m%C3%A9m0", "mem0;x", "mem0%20", "mem 0", "mem0\u00e9", "%", "%zz", "mem0%2")));
    }

    static Arbitrary<String> suffixes() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(ROUTES)),
                Tuple.of(3, Arbitraries.of("/firmware/slots/0", "/firmware/slots/3", "/firmware/slots/4",
                        "/firmware/slots/5", "/firmware/slots/99", "/firmware/slots/100", "/firmware/slots/-1",
                        "/firmware/slots/01", "/firmware/slots/2147483648", "/firmware/slots/99999999999999999999",
                        "/firmware/slots/1e3", "/firmware/slots/", "/firmware/slots/%31", "/firmware/slots/1/",
                        "/", "//", "/firmware/", "/FIRMWARE", "/faults/x", "/reset/", "/firmware/activate/..",
                        "/../mem1", "/%2e%2e/mem1", "/firmware%2Fupload", "/x".repeat(2000))));
    }

    static Arbitrary<String> targets() {
        Arbitrary<String> memdev = Combinators.combine(names(), suffixes()).as((n, s) -> "/v1/memdevs/" + n + s);
        Arbitrary<String> other = Arbitraries.of("/v1/memdevs", "/v1/memdevs/", "/v1/events", "/v1", "/", "",
                "/V1/memdevs", "/v1//memdevs", "/v1/memdevs?x=1", "/v1/memdevs#frag", "/v2/memdevs", "*",
                "/v1/memdevs/mem0?slot=1&online=true", "mailto:mem0", "x:y", "//evil/v1/memdevs",
                "/v1/./memdevs", "/v1/memdevs/../memdevs", "/%76%31/memdevs", "/v1/memdevs%00",
                "/v1/" + "../".repeat(50) + "etc/passwd", "/" + "a".repeat(7000));
        Arbitrary<String> absolute = memdev.map(p -> "http://127.0.0.1:1" + p);
        Arbitrary<String> query = Combinators.combine(memdev, Arbitraries.strings().ofMaxLength(40)
                .withChars("abc=&%?/#0123456789")).as((p, q) -> p + "?" + q);
        return Arbitraries.frequencyOf(Tuple.of(10, memdev), Tuple.of(3, other), Tuple.of(1, absolute),
                Tuple.of(1, query));
    }

    static Arbitrary<Auth> auths() {
        Arbitrary<Auth> valid = Arbitraries.just(0).map(x -> validAuth());
        Arbitrary<Auth> wrong = Arbitraries.of(
                new Auth("none", List.of(), false, true),
                new Auth("wrong", List.of("Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), false, true),
                new Auth("empty-bearer", List.of("Bearer "), false, true),
                new Auth("bearer-only", List.of("Bearer"), false, true),
                new Auth("basic", List.of("Basic bWVtMDptZW0w"), false, true),
                new Auth("long", List.of("Bearer " + "x".repeat(8000)), false, true),
                new Auth("garbage", List.of("\u0001\u0002"), false, true));
        // variants computed from the real token at run time
        Arbitrary<Auth> variants = Arbitraries.of("lower", "suffix", "prefix-space", "trailing-space", "twice",
                "second").map(kind -> switch (kind) {
                    case "lower" -> new Auth(kind, List.of("bearer " + token), false, true);
                    case "suffix" -> new Auth(kind, List.of("Bearer " + token + "x"), false, true);
                    case "prefix-space" -> new Auth(kind, List.of("Bearer  " + token), false, false);
                    case "trailing-space" -> new Auth(kind, List.of("Bearer " + token + " "), false, false);
                    case "twice" -> new Auth(kind, List.of("Bearer " + token, "Bearer " + token), true, false);
                    default -> new Auth(kind, List.of("Bearer nope", "Bearer " + token), false, false);
                });
        return Arbitraries.frequencyOf(Tuple.of(12, valid), Tuple.of(3, wrong), Tuple.of(1, variants));
    }

    static Arbitrary<List<String[]>> extraHeaders() {
        Arbitrary<String[]> one = Arbitraries.of(
                new String[] {"Content-Type", "application/json"},
                new String[] {"Content-Type", "text/plain; charset=\u00ff"},
                new String[] {"Accept", "*/*"},
                new String[] {"X-Fuzz", "x".repeat(4000)},
                new String[] {"Expect", "100-continue"},
                new String[] {"Transfer-Encoding", "identity"},
                new String[] {"Host", ""},
                new String[] {"Cookie", "a=b; c=d"});
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(List.of())), Tuple.of(1, one.list().ofMaxSize(3)));
    }

    /** Requests at random routes, mostly without or with small bodies. */
    static Arbitrary<Fuzzed> apiRequests() {
        Arbitrary<byte[]> smallBody = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just((byte[]) null)),
                Tuple.of(2, jsonBodies()),
                Tuple.of(1, seeded(Arbitraries.integers().between(0, 300))));
        return Combinators.combine(methods(Arbitraries.of("GET", "POST", "PUT", "DELETE")), targets(), auths(),
                        extraHeaders(), smallBody, Arbitraries.frequency(Tuple.of(6, BodyMode.LENGTH),
                                Tuple.of(1, BodyMode.CHUNKED)), Arbitraries.frequency(Tuple.of(9, false),
                                Tuple.of(1, true)))
                .as(Req::new);
    }

    /** Requests with bodies aimed at the routes that read them: faults, activate, firmware. */
    static Arbitrary<Fuzzed> bodyRequests() {
        Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(MEMDEVS)),
                Tuple.of(1, Arbitraries.of("mem7")));
        Arbitrary<Fuzzed> faults = Combinators.combine(name, faultBodies(), auths(),
                        Arbitraries.frequency(Tuple.of(8, "POST"), Tuple.of(1, "DELETE"), Tuple.of(1, "PUT")))
                .as((n, b, auth, m) -> new Req(m, "/v1/memdevs/" + n + "/faults", auth, List.of(), b, BodyMode.LENGTH,
                        false));
        Arbitrary<Fuzzed> activate = Combinators.combine(name, activateBodies(), auths(), Arbitraries.of(BodyMode.values()))
                .as((n, b, auth, mode) -> new Req("POST", "/v1/memdevs/" + n + "/firmware/activate", auth, List.of(), b,
                        mode, false));
        Arbitrary<Fuzzed> firmware = Combinators.combine(name, images(), auths(), Arbitraries.of(BodyMode.values()))
                .as((n, b, auth, mode) -> new Req("PUT", "/v1/memdevs/" + n + "/firmware", auth, List.of(), b, mode,
                        false));
        Arbitrary<Fuzzed> cancel = name.map(n -> new Req("DELETE", "/v1/memdevs/" + n + "/firmware/upload",
                validAuth(), List.of(), null, BodyMode.LENGTH, false));
        Arbitrary<Fuzzed> reset = name.map(n -> new Req("POST", "/v1/memdevs/" + n + "/reset", validAuth(), List.of(),
                new byte[0], BodyMode.LENGTH, false));
        Arbitrary<Fuzzed> events = Arbitraries.just(0).map(x -> new Req("GET", "/v1/events", validAuth(), List.of(),
                null, BodyMode.LENGTH, false));
        Arbitrary<Fuzzed> alerts = Combinators.combine(name, alertBodies(), auths())
                .as((n, b, auth) -> new Req("PUT", "/v1/memdevs/" + n + "/alert-config", auth, List.of(), b,
                        BodyMode.LENGTH, false));
        Arbitrary<Fuzzed> partition = Combinators.combine(name, partitionBodies(), auths())
                .as((n, b, auth) -> new Req("POST", "/v1/memdevs/" + n + "/partition", auth, List.of(), b,
                        BodyMode.LENGTH, false));
        Arbitrary<Fuzzed> zero = Combinators.combine(name, labelRangeBodies(), auths())
                .as((n, b, auth) -> new Req("POST", "/v1/memdevs/" + n + "/labels/zero", auth, List.of(), b,
                        BodyMode.LENGTH, false));
        Arbitrary<Fuzzed> labels = Combinators.combine(name, labelQueries(), seeded(Arbitraries.integers()
                        .between(0, 9000)), Arbitraries.of("GET", "PUT"), Arbitraries.of(BodyMode.values()))
                .as((n, q, b, m, mode) -> new Req(m, "/v1/memdevs/" + n + "/labels" + q, validAuth(), List.of(),
                        m.equals("PUT") ? b : null, mode, false));
        return Arbitraries.frequencyOf(Tuple.of(6, faults), Tuple.of(5, activate), Tuple.of(4, firmware),
                Tuple.of(1, cancel), Tuple.of(1, reset), Tuple.of(1, events), Tuple.of(2, alerts), Tuple.of(2, partition),
                Tuple.of(2, zero), Tuple.of(3, labels));
    }

    /** A number as the label, partition and alert routes take it: JSON numbers, strings, and neither. */
    static Arbitrary<String> numbers() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("0", "1", "16", "4095", "4096", "131071", "131072",
                        "131073", "268435456", "536870912", "4294967295", "4294967296", "9223372036854775807",
                        "-1", "\"0x10\"", "\"0x10000000\"", "\"0X20000\"", "\"16\"", "\"0x\"", "\"-5\"",
                        "\"ten\"", "\"1e3\"", "\"0xFFFFFFFFFFFFFFFF\"")),
                Tuple.of(1, jsonValues()));
    }

    /** {@code ?offset=&size=} with good, beyond and bad numbers. */
    static Arbitrary<String> labelQueries() {
        Arbitrary<String> n = Arbitraries.of("0", "1", "16", "0x10", "4088", "4089", "131071", "131072", "131073",
                "99999999999999999999", "-1", "x", "", "0x", "%30");
        return Combinators.combine(n, n, Arbitraries.integers().between(0, 3))
                .as((o, sz, mask) -> (mask & 1) == 0 && (mask & 2) == 0 ? ""
                        : "?" + ((mask & 1) != 0 ? "offset=" + o : "") + ((mask & 3) == 3 ? "&" : "")
                        + ((mask & 2) != 0 ? "size=" + sz : ""));
    }

    /** {@code {"offset","size"}} of a zeroing, with unknown members and broken JSON now and then. */
    static Arbitrary<byte[]> labelRangeBodies() {
        Arbitrary<String> object = Combinators.combine(numbers(), numbers(), Arbitraries.integers().between(0, 7))
                .as((o, sz, mask) -> "{" + String.join(",", java.util.stream.Stream.of(
                        (mask & 1) != 0 ? "\"offset\":" + o : null, (mask & 2) != 0 ? "\"size\":" + sz : null,
                        (mask & 4) != 0 ? "\"length\":1" : null).filter(java.util.Objects::nonNull).toList()) + "}");
        return Arbitraries.frequencyOf(Tuple.of(6, object.map(ControlApiFuzzProperties::utf8)),
                Tuple.of(1, Arbitraries.just(new byte[0])), Tuple.of(2, jsonBodies()));
    }

    /** {@code {"volatile_size":N}} with good, unaligned and bad numbers. */
    static Arbitrary<byte[]> partitionBodies() {
        Arbitrary<String> object = Combinators.combine(numbers(), Arbitraries.integers().between(0, 2))
                .as((n, mask) -> switch (mask) {
                    case 0 -> "{\"volatile_size\":" + n + "}";
                    case 1 -> "{\"volatile_size\":" + n + ",\"immediate\":true}";
                    default -> "{\"size\":" + n + "}";
                });
        return Arbitraries.frequencyOf(Tuple.of(6, object.map(ControlApiFuzzProperties::utf8)),
                Tuple.of(2, jsonBodies()));
    }

    /** set-alert-config bodies: ndctl's actions and thresholds, right and wrong, and broken JSON. */
    static Arbitrary<byte[]> alertBodies() {
        Arbitrary<String> key = Arbitraries.of("life_used", "over_temperature", "under_temperature", "volatile_mem_err",
                "pmem_err", "temperature");
        Arbitrary<String> alert = Arbitraries.of("\"on\"", "\"off\"", "\"ON\"", "\"maybe\"", "true", "1", "null");
        Arbitrary<String> threshold = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("0", "30", "74", "75", "100",
                        "101", "-1", "-40", "32767", "32768", "-32769", "65535", "65536", "\"30\"", "\"30%\"", "\"\"",
                        "\" 7\"", "\"0x10\"", "99999999999999999999", "4294967346", "1.5")),
                Tuple.of(1, jsonValues()));
        Arbitrary<String> setting = Combinators.combine(key, alert, threshold, Arbitraries.integers().between(0, 3))
                .as((k, a, t, mask) -> "\"" + k + "\":{" + String.join(",", java.util.stream.Stream.of(
                        (mask & 1) != 0 ? "\"alert\":" + a : null, (mask & 2) != 0 ? "\"threshold\":" + t : null)
                        .filter(java.util.Objects::nonNull).toList()) + "}");
        Arbitrary<String> object = setting.list().ofMinSize(0).ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.frequencyOf(Tuple.of(6, object.map(ControlApiFuzzProperties::utf8)),
                Tuple.of(2, jsonBodies()));
    }

    static Arbitrary<byte[]> seeded(Arbitrary<Integer> length) {
        return Combinators.combine(length, Arbitraries.longs()).as((n, seed) -> {
            byte[] b = new byte[n];
            new Random(seed).nextBytes(b);
            return b;
        });
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON value of any type, as text. */
    static Arbitrary<String> jsonValues() {
        return Arbitraries.of("null", "true", "false", "0", "1", "-1", "2", "3", "255", "256", "65535", "2147483647",
                "-2147483648", "2147483648", "9223372036854775807", "99999999999999999999999", "1e3", "1.5", "-0",
                "\"\"", "\"x\"", "\"0201h\"", "\"0004h\"", "\"any\"", "\"mailbox\"", "\"mctp\"", "\"rollback\"",
                "\"media-disabled\"", "[]", "[1]", "{}", "{\"a\":1}", "\"\\u0000\"", "\"\\ud800\"", "NaN");
    }

    /** Faults bodies: the documented shapes with random values and types, and broken JSON. */
    static Arbitrary<byte[]> faultBodies() {
        Arbitrary<String> fault = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("\"media-disabled\"", "\"fail-opcode\"", "\"activation-fail\"",
                        "\"corrupt-staging\"", "\"late-part\"", "\"fail-opcode\"", "\"fail-opcode\"")),
                Tuple.of(2, jsonValues()));
        Arbitrary<String> opcode = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("\"0201h\"", "\"0202h\"", "\"0200h\"", "\"4000h\"", "\"0x0005\"", "\"0401\"")),
                Tuple.of(2, Arbitraries.of("\"\"", "\"h\"", "\"10000h\"", "\"-1\"", "\"+1\"", "\"0x\"", "\"ffff\"",
                        "\"FFFFh\"", "\"g\"", "\" 0201h \"", "\"0201hh\"")),
                Tuple.of(1, jsonValues()));
        Arbitrary<String> rc = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("\"0002h\"", "\"0006h\"", "\"0020h\"", "\"000Bh\"")),
                Tuple.of(2, Arbitraries.of("\"0000h\"", "\"0001h\"", "\"0021h\"", "\"FFFFh\"", "\"-2\"", "\"\"")),
                Tuple.of(1, jsonValues()));
        Arbitrary<String> count = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("1", "2", "5")),
                Tuple.of(2, jsonValues()));
        Arbitrary<String> cci = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("\"any\"", "\"mailbox\"", "\"mctp\"")),
                Tuple.of(1, jsonValues()));
        Arbitrary<String> mode = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("\"rollback\"", "\"cold-reset\"")),
                Tuple.of(1, jsonValues()));
        Arbitrary<String> object = Combinators.combine(fault, opcode, rc, count, cci, mode,
                Arbitraries.integers().between(0, 63)).as((f, o, r, n, c, m, mask) -> {
                    StringBuilder b = new StringBuilder("{\"fault\":").append(f);
                    if ((mask & 1) != 0) {
                        b.append(",\"opcode\":").append(o);
                    }
                    if ((mask & 2) != 0) {
                        b.append(",\"rc\":").append(r);
                    }
                    if ((mask & 4) != 0) {
                        b.append(",\"count\":").append(n);
                    }
                    if ((mask & 8) != 0) {
                        b.append(",\"cci\":").append(c);
                    }
                    if ((mask & 16) != 0) {
                        b.append(",\"mode\":").append(m);
                    }
                    if ((mask & 32) != 0) {
                        b.append(",\"fault\":\"late-part\"");
                    }
                    return b.append('}').toString();
                });
        return Arbitraries.frequencyOf(Tuple.of(6, object.map(ControlApiFuzzProperties::utf8)),
                Tuple.of(2, jsonBodies()));
    }

    static Arbitrary<byte[]> activateBodies() {
        Arbitrary<String> slot = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("1", "2", "3")),
                Tuple.of(3, Arbitraries.of("0", "4", "5", "7", "8", "127", "128", "255", "256", "257", "300", "-1",
                        "-255", "-256", "65536", "2147483647", "-2147483648")),
                Tuple.of(1, jsonValues()));
        Arbitrary<String> online = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("true", "false")),
                Tuple.of(1, jsonValues()));
        Arbitrary<String> object = Combinators.combine(slot, online, Arbitraries.integers().between(0, 3))
                .as((s, o, mask) -> "{" + ((mask & 1) == 0 ? "\"slot\":" + s : "\"slots\":" + s)
                        + ((mask & 2) == 0 ? ",\"online\":" + o : "") + "}");
        return Arbitraries.frequencyOf(Tuple.of(6, object.map(ControlApiFuzzProperties::utf8)),
                Tuple.of(2, jsonBodies()));
    }

    /** Broken, non-object, deep, empty and oversized JSON. */
    static Arbitrary<byte[]> jsonBodies() {
        Arbitrary<String> broken = Arbitraries.of("", "{", "}", "{\"a\":}", "{\"a\" 1}", "[1,2]", "null", "\"str\"",
                "42", "true", "{}", "{\"slot\":1,}", "{'slot':1}", "{\"slot\":1}{\"slot\":2}", "\u00ff\u00fe",
                "{\"fault\":\"media-disabled\"", "{\"fault\":\"media-disabled\"} trailing", "\u0000",
                "{\"a\":\"\\uZZZZ\"}", "[".repeat(5000), "{\"a\":".repeat(3000), " ".repeat(1000));
        Arbitrary<String> big = Arbitraries.of(MAX_JSON_BODY - 1, MAX_JSON_BODY, MAX_JSON_BODY + 1, 200_000)
                .map(n -> {
                    String head = "{\"fault\":\"media-disabled\",\"pad\":\"";
                    int fill = Math.max(0, n - head.length() - 2);
                    return head + "p".repeat(fill) + "\"}";
                });
        Arbitrary<byte[]> random = seeded(Arbitraries.integers().between(1, 200));
        return Arbitraries.frequencyOf(Tuple.of(5, broken.map(ControlApiFuzzProperties::utf8)),
                Tuple.of(1, big.map(ControlApiFuzzProperties::utf8)), Tuple.of(2, random));
    }

    /** Firmware images: valid packages, random bytes, empty, around mem1's limit. */
    static Arbitrary<byte[]> images() {
        Arbitrary<byte[]> valid = Combinators.combine(Arbitraries.integers().between(0, 20_000), Arbitraries.longs(),
                Arbitraries.of(0L, 0L, 1L)).as((n, seed, sv) -> {
                    byte[] body = new byte[n];
                    new Random(seed).nextBytes(body);
                    return FirmwarePackage.builder().revision("API " + (n % 1000)).securityVersion(sv).body(body)
                            .build().toByteArray();
                });
        Arbitrary<byte[]> random = seeded(Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 5000)),
                Tuple.of(1, Arbitraries.of(MEM1_MAX_PACKAGE - 1, MEM1_MAX_PACKAGE, MEM1_MAX_PACKAGE + 1, 200_000))));
        return Arbitraries.frequencyOf(Tuple.of(4, valid), Tuple.of(3, random), Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(1, Arbitraries.just((byte[]) null)));
    }

    /** Bytes that are not a well-formed request. */
    static Arbitrary<Fuzzed> garbage() {
        Arbitrary<byte[]> random = seeded(Arbitraries.integers().between(0, 3000));
        Arbitrary<String> text = Arbitraries.of(
                "\r\n\r\n",
                "GET\r\n\r\n",
                "GET /v1/memdevs\r\n\r\n",
                "GET /v1/memdevs HTTP/9.9\r\n\r\n",
                "GET /v1/memdevs HTTP/1.1\r\nNoColonHeader\r\n\r\n",
                "GET /v1/memdevs HTTP/1.1\r\n: empty-name\r\n\r\n",
                "GET /v1/memdevs HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\nContent-Length: -5\r\n\r\n",
                "POST /v1/memdevs/mem0/faults HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\nContent-Length: abc\r\n\r\n",
                "POST /v1/memdevs/mem0/faults HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "PUT /v1/memdevs/mem0/firmware HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc",
                "GET /v1/memdevs/mem0/firmware/slots/1 HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\nContent-Length: 99999999999999999999\r\n\r\n",
                "GET /v1 /memdevs HTTP/1.1\r\n\r\n",
                "GET /v1/mem devs HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\n\r\n",
                "GET /v1/memdevs/%zz HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\n\r\n",
                "GET /v1/memdevs/mem0|x HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\n\r\n",
                "GET /v1/memdevs/{mem0} HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\n\r\n",
                "GET mailto:x HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\n\r\n",
                "GET x:y HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\n\r\n",
                "GET \u00e9 HTTP/1.1\r\n\r\n",
                "\u0000\u0000\u0000\u0000",
                "GET /v1/memdevs HTTP/1.1\n\n",
                "GET /v1/memdevs HTTP/1.1\rAuthorization: Bearer TOKEN\r\r",
                "GET /v1/memdevs HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\n" + "X-H: v\r\n".repeat(400) + "\r\n",
                "GET /v1/memdevs HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\nX-Long: " + "v".repeat(20_000) + "\r\n\r\n",
                "GET /" + "v".repeat(20_000) + " HTTP/1.1\r\n\r\n");
        Arbitrary<byte[]> texts = text.map(t -> t.getBytes(StandardCharsets.ISO_8859_1));
        return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(3, texts)).map(Garbage::new);
    }

    // ------------------------------------------------------------------------------------ the raw HTTP client

    /** An answer: status (-1 when the connection closed without one), headers, body. */
    record Answer(int status, Map<String, String> headers, byte[] body, String note) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + contentType() + " " + (t.length() > 300 ? t.substring(0, 300) + "..." : t)
                    + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    static Answer call(Req r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String version = r.http10() ? "HTTP/1.0" : "HTTP/1.1";
        out.write((r.method() + " " + r.target() + " " + version + "\r\n").getBytes(StandardCharsets.UTF_8));
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Host", host + ":" + port});
        headers.add(new String[] {"Connection", "close"});
        for (String v : r.auth().values()) {
            headers.add(new String[] {"Authorization", v});
        }
        headers.addAll(r.headers());
        byte[] body = r.body();
        if (body != null) {
            if (r.mode() == BodyMode.CHUNKED && !r.http10()) {
                headers.add(new String[] {"Transfer-Encoding", "chunked"});
            } else {
                headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
            }
        }
        for (String[] h : headers) {
            out.write((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            if (r.mode() == BodyMode.CHUNKED && !r.http10()) {
                int at = 0;
                while (at < body.length) {
                    int n = Math.min(body.length - at, 1 + (at * 7919 + body.length) % 9000);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, at, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    at += n;
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(body);
            }
        }
        return exchange(out.toByteArray(), false, r.method().equals("HEAD"));
    }

    /**
     * Sends {@code request} (on another thread, so an early answer is read even while a large body
     * is still going out) and reads the answer until the server closes; an event stream is cut after
     * its headers. {@code halfClose}: shut the output down after sending (for garbage, so the server
     * sees the end instead of waiting for more).
     */
    static Answer exchange(byte[] request, boolean halfClose, boolean head) throws IOException {
        byte[] tokenized = new String(request, StandardCharsets.ISO_8859_1).replace("TOKEN", token)
                .getBytes(StandardCharsets.ISO_8859_1);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5_000);
            s.setSoTimeout(20_000);
            OutputStream os = s.getOutputStream();
            Future<?> sending = WRITER.submit(() -> {
                try {
                    os.write(tokenized);
                    os.flush();
                    if (halfClose) {
                        s.shutdownOutput();
                    }
                } catch (IOException e) {
                    // the server answered early and closed: the answer is read below
                }
                return null;
            });
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[16 * 1024];
            String note = "";
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                    if (isEventStream(got.toByteArray())) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 20 s to " + preview(request));
            } catch (IOException e) {
                note = e.toString();
            }
            try {
                sending.get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                // not needed: the answer is in
            }
            return parse(got.toByteArray(), head, note);
        }
    }

    private static boolean isEventStream(byte[] soFar) {
        String s = new String(soFar, StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\r\n\r\n");
        return end >= 0 && s.substring(0, end).toLowerCase(Locale.ROOT).contains("content-type: text/event-stream");
    }

    static Answer parse(byte[] raw, boolean head, String note) {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (true) {
            int end = all.indexOf("\r\n\r\n", at);
            if (!all.startsWith("HTTP/", at) || end < 0) {
                return new Answer(-1, Map.of(), Arrays.copyOfRange(raw, at, raw.length),
                        (note + " unparsable answer: " + preview(Arrays.copyOfRange(raw, at, raw.length))).trim());
            }
            String[] lines = all.substring(at, end).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            int status = Integer.parseInt(statusLine[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            int bodyStart = end + 4;
            if (status >= 100 && status < 200) {
                at = bodyStart; // 100 Continue: the real answer follows
                continue;
            }
            byte[] body;
            if (head || headers.getOrDefault("content-type", "").startsWith("text/event-stream")) {
                body = new byte[0];
            } else if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
                body = dechunk(raw, bodyStart);
            } else if (headers.containsKey("content-length")) {
                int len = Integer.parseInt(headers.get("content-length"));
                body = Arrays.copyOfRange(raw, bodyStart, Math.min(raw.length, bodyStart + len));
            } else {
                body = Arrays.copyOfRange(raw, bodyStart, raw.length);
            }
            return new Answer(status, headers, body, note);
        }
    }

    private static byte[] dechunk(byte[] raw, int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = from;
        while (at < raw.length) {
            int eol = indexOf(raw, at);
            if (eol < 0) {
                break;
            }
            String size = new String(raw, at, eol - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(raw, eol + 2, Math.min(n, raw.length - eol - 2));
            at = eol + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] raw, int from) {
        for (int i = from; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static {
        // make sure a broken daemon start does not leave the writer pool blocking the JVM's exit
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            WRITER.shutdownNow();
            CLIENTS.shutdownNow();
        }));
    }
}
