package io.cxlkit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.server.http.Exchange;
import io.cxlkit.server.http.HttpLimits;
import io.cxlkit.server.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * The control API: HTTP + JSON on cxlkit's own {@link HttpServer}, which keeps slow and careless
 * clients from holding the threads other requests need ({@link HttpLimits}). Every request needs
 * the bearer token (compared in constant time), the route index and the OpenAPI document too: one
 * rule, as wire.md §3 has it. Every refusal is a JSON {@code {"error","message"}} with a 4xx/5xx
 * status, never a stack trace. The routes are {@link ApiRoute}'s table; what each answers is
 * written in {@code openapi.json}, which a test holds to the server.
 */
public final class ControlApi implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.cxlkit.server.api");
    static final ObjectMapper JSON = new ObjectMapper();
    /** Largest JSON request body (faults, activation): small, so nobody can make us buffer much. */
    static final int MAX_JSON_BODY = 64 * 1024;

    /** The OpenAPI document and the route index made from it, read once for every daemon. */
    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();

    /** Set once, right after the server starts; requests only arrive once start() has returned it. */
    private volatile HttpServer server;
    private final byte[] token;
    private final Routes routes;

    /** What the API does; {@link ControlApi} only authenticates, routes and reports errors. */
    public interface Routes {
        /** Every memdev, each with the optional objects of {@code include} besides those it always has. */
        String listMemdevs(java.util.Set<MemdevJson.Include> include) throws ApiException, InterruptedException;

        String getMemdev(String name, java.util.Set<MemdevJson.Include> include)
                throws ApiException, InterruptedException;

        /** Where each memdev answers on the CCI socket endpoint: its EID and listeners. */
        String cciDirectory();

        /** Reads the image from {@code body} ({@code length} -1 if unknown); answers the object at acceptance. */
        String upload(String name, InputStream body, long length) throws ApiException, IOException, InterruptedException;

        String cancelUpload(String name) throws ApiException, InterruptedException;

        String activate(String name, JsonNode request) throws ApiException, InterruptedException;

        String reset(String name) throws ApiException, InterruptedException;

        /** Streams a slot's package; 404 for an empty slot. */
        void readSlot(String name, int slot, Exchange exchange) throws ApiException, IOException;

        String injectFault(String name, JsonNode request) throws ApiException;

        String clearFaults(String name) throws ApiException;

        /** Streams {@code size} bytes of the LSA from {@code offset} (0: to its end). */
        void readLabels(String name, long offset, long size, Exchange exchange)
                throws ApiException, IOException, InterruptedException;

        /** Writes the body ({@code length} -1 if unknown) to the LSA at {@code offset}. */
        String writeLabels(String name, long offset, InputStream body, long length)
                throws ApiException, IOException, InterruptedException;

        String zeroLabels(String name, JsonNode request) throws ApiException, InterruptedException;

        String setAlertConfig(String name, JsonNode request) throws ApiException, InterruptedException;

        String setPartition(String name, JsonNode request) throws ApiException, InterruptedException;

        /** {@code {"secure_erase":false}}: Sanitize (202 while it runs, 200 once done) or Secure Erase (200). */
        JsonAnswer sanitize(String name, JsonNode request) throws ApiException, InterruptedException;

        /** The security state; with {@code waitMs} above 0, once no Sanitize runs or after that long. */
        String security(String name, long waitMs) throws ApiException, InterruptedException;

        /** {@code {"dpa":D}}: Inject Poison through the host driver. */
        String injectPoison(String name, JsonNode request) throws ApiException, InterruptedException;

        /** Clear Poison of the line at {@code dpa} (empty: not given, a 400) with zero data, through the host driver. */
        String clearPoison(String name, java.util.OptionalLong dpa) throws ApiException, InterruptedException;

        /**
         * Streams {@code length} media bytes from {@code dpa} as the device model holds them (emulator
         * inspection, not the host's view); either empty: not given, a 400.
         */
        void readMedia(String name, java.util.OptionalLong dpa, java.util.OptionalLong length, Exchange exchange)
                throws ApiException, IOException;

        EventHub events();
    }

    /** A JSON answer whose status depends on what happened (e.g. 202 for work that goes on, 200 once done). */
    public record JsonAnswer(int status, String json) {
    }

    /** The longest {@code wait_ms} of {@code GET .../security} (memdev-commands.md §14): ten minutes. */
    public static final long MAX_WAIT_MS = 600_000;

    private ControlApi(byte[] token, Routes routes) {
        this.token = token;
        this.routes = routes;
    }

    public static ControlApi start(InetSocketAddress bind, String token, Routes routes) throws IOException {
        return start(bind, token, routes, HttpLimits.defaults());
    }

    public static ControlApi start(InetSocketAddress bind, String token, Routes routes, HttpLimits limits)
            throws IOException {
        return start(HttpServer.bind(bind), token, routes, limits);
    }

    /** Serves on a socket {@link HttpServer#bind} bound, which it owns from here on (closed if this throws). */
    public static ControlApi start(java.nio.channels.ServerSocketChannel bound, String token, Routes routes,
                                   HttpLimits limits) throws IOException {
        ControlApi api = new ControlApi(token.getBytes(StandardCharsets.US_ASCII), routes);
        api.server = HttpServer.start(bound, limits, api::handle, LOG);
        return api;
    }

    /** {@code http://HOST:PORT} as clients should use it. */
    public String url() {
        InetSocketAddress a = server.address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + a.getPort();
    }

    private void handle(Exchange ex) throws IOException {
        try {
            if (!authorised(ex)) {
                // nothing more from a client without the token: no keep-alive, no body read to its end
                ex.responseHeaders().set("Connection", "close");
                throw new ApiException(401, "unauthorized", "missing or wrong bearer token");
            }
            route(ex);
        } catch (ApiException e) {
            sendError(ex, e);
        } catch (InterruptedException e) {
            // the answer first: with the flag set, writing to the connection's channel would close it.
            // The connection ends with this answer, and says so: a client that took it for kept alive
            // would send its next request into a closed connection ("no bytes" instead of an answer)
            ex.responseHeaders().set("Connection", "close");
            sendError(ex, new ApiException(503, "shutting-down", "the daemon is stopping"));
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.fine(() -> ex.method() + " " + ex.uri().getRawPath() + ": " + e.getMessage());
            throw e; // the connection is broken (a client gone or stalled): nothing more to say on it
        } catch (RuntimeException e) {
            LOG.warning(ex.method() + " " + ex.uri().getRawPath() + " failed: " + e);
            if (ex.responseStarted()) {
                // half an answer is out: the connection must close, so the client does not take it for whole
                throw new IOException("the response broke off: " + e, e);
            }
            sendError(ex, new ApiException(500, "internal", "internal error: " + e.getClass().getSimpleName()));
        }
    }

    private boolean authorised(Exchange ex) {
        String h = ex.requestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = h.substring("Bearer ".length()).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, token);
    }

    private void route(Exchange ex) throws ApiException, IOException, InterruptedException {
        String method = ex.method();
        String path = ex.uri().getPath();
        List<ApiRoute.Match> onPath = ApiRoute.onPath(path);
        if (onPath.isEmpty()) {
            throw ApiException.notFound("no such route: " + path + " (GET " + ApiRoute.INDEX.template()
                    + " lists the routes)");
        }
        ApiRoute.Match m = onPath.stream().filter(r -> r.route().method().equals(method)).findFirst()
                .orElseThrow(() -> methodNotAllowed(ex, method, onPath));
        String name = m.name();
        switch (m.route()) {
            case INDEX -> sendJson(ex, 200, DOCUMENT.index());
            case OPENAPI -> sendJson(ex, 200, DOCUMENT.text());
            case EVENTS -> streamEvents(ex);
            case LIST_MEMDEVS -> sendJson(ex, 200, routes.listMemdevs(includes(ex.uri().getRawQuery())));
            case CCI_DIRECTORY -> sendJson(ex, 200, routes.cciDirectory());
            case GET_MEMDEV -> sendJson(ex, 200, routes.getMemdev(name, includes(ex.uri().getRawQuery())));
            case UPLOAD -> {
                long length = parseLength(ex.requestHeaders().getFirst("Content-Length"));
                sendJson(ex, 202, routes.upload(name, ex.requestBody(), length));
            }
            case CANCEL_UPLOAD -> sendJson(ex, 202, routes.cancelUpload(name));
            case ACTIVATE -> sendJson(ex, 200, routes.activate(name, readJson(ex)));
            case RESET -> sendJson(ex, 200, routes.reset(name));
            case INJECT_FAULT -> sendJson(ex, 200, routes.injectFault(name, readJson(ex)));
            case CLEAR_FAULTS -> sendJson(ex, 200, routes.clearFaults(name));
            case READ_SLOT -> routes.readSlot(name, m.slot(), ex);
            case READ_LABELS -> {
                var query = Params.query(ex.uri().getRawQuery());
                routes.readLabels(name, Params.unsigned(query, "offset", 0), Params.unsigned(query, "size", 0), ex);
            }
            case WRITE_LABELS -> {
                long offset = Params.unsigned(Params.query(ex.uri().getRawQuery()), "offset", 0);
                long length = parseLength(ex.requestHeaders().getFirst("Content-Length"));
                sendJson(ex, 200, routes.writeLabels(name, offset, ex.requestBody(), length));
            }
            case ZERO_LABELS -> sendJson(ex, 200, routes.zeroLabels(name, readJsonOrNothing(ex)));
            case SET_ALERT_CONFIG -> sendJson(ex, 200, routes.setAlertConfig(name, readJson(ex)));
            case SET_PARTITION -> sendJson(ex, 200, routes.setPartition(name, readJson(ex)));
            case SANITIZE -> {
                JsonAnswer a = routes.sanitize(name, readJsonOrNothing(ex));
                sendJson(ex, a.status(), a.json());
            }
            case SECURITY -> {
                long waitMs = Params.unsigned(Params.query(ex.uri().getRawQuery()), "wait_ms", 0);
                if (waitMs > MAX_WAIT_MS) {
                    throw ApiException.badRequest("'wait_ms' is at most " + MAX_WAIT_MS + ", not " + waitMs);
                }
                sendJson(ex, 200, routes.security(name, waitMs));
            }
            case INJECT_POISON -> sendJson(ex, 200, routes.injectPoison(name, readJson(ex)));
            case READ_MEDIA -> {
                var query = Params.query(ex.uri().getRawQuery());
                routes.readMedia(name, optionalUnsigned(query, "dpa"), optionalUnsigned(query, "length"), ex);
            }
            case CLEAR_POISON -> {
                var query = Params.query(ex.uri().getRawQuery());
                sendJson(ex, 200, routes.clearPoison(name, optionalUnsigned(query, "dpa")));
            }
        }
    }

    /** Query parameter {@code name} as an unsigned number, or empty when it is not given. */
    private static java.util.OptionalLong optionalUnsigned(java.util.Map<String, List<String>> query, String name)
            throws ApiException {
        return query.containsKey(name) ? java.util.OptionalLong.of(Params.unsigned(query, name, 0))
                : java.util.OptionalLong.empty();
    }

    /** The words of {@code include=} (memdev-commands.md §14): the optional objects of a memdev they name. */
    static final java.util.Map<String, MemdevJson.Include> INCLUDE_WORDS = java.util.Map.of(
            MemdevJson.Include.HEALTH.key(), MemdevJson.Include.HEALTH,
            MemdevJson.Include.ALERT_CONFIG.key(), MemdevJson.Include.ALERT_CONFIG,
            MemdevJson.Include.PARTITION_INFO.key(), MemdevJson.Include.PARTITION_INFO,
            MemdevJson.Include.FIRMWARE.key(), MemdevJson.Include.FIRMWARE,
            MemdevJson.Include.MEDIA_ERRORS.key(), MemdevJson.Include.MEDIA_ERRORS);

    /**
     * The objects {@code ?include=health,alert_config} asks for (several {@code include} parameters
     * add up; an empty one asks for nothing); an unknown word is a 400 {@code bad-include}.
     * {@code firmware} is always in the answer anyway. Other parameters are ignored.
     */
    static java.util.Set<MemdevJson.Include> includes(String rawQuery) throws ApiException {
        java.util.Set<MemdevJson.Include> out = java.util.EnumSet.noneOf(MemdevJson.Include.class);
        for (String value : Params.query(rawQuery).getOrDefault("include", List.of())) {
            if (value.isEmpty()) {
                continue;
            }
            for (String word : value.split(",", -1)) {
                MemdevJson.Include i = INCLUDE_WORDS.get(word);
                if (i == null) {
                    throw new ApiException(400, "bad-include", "unknown include '" + word + "' (health, alert_config, "
                            + "partition_info, firmware, media_errors)");
                }
                out.add(i);
            }
        }
        return out;
    }

    /** 405 for a path that exists with other methods, which the {@code Allow} header names (RFC 9110). */
    private static ApiException methodNotAllowed(Exchange ex, String method, List<ApiRoute.Match> onPath) {
        String allowed = String.join(", ", onPath.stream().map(r -> r.route().method()).toList());
        ex.responseHeaders().set("Allow", allowed);
        return new ApiException(405, "method-not-allowed", method + " is not allowed here (" + allowed + ")");
    }

    private static long parseLength(String header) throws ApiException {
        if (header == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(header.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad Content-Length");
        }
    }

    private static JsonNode readJson(Exchange ex) throws ApiException, IOException {
        byte[] body = ex.requestBody().readNBytes(MAX_JSON_BODY + 1);
        if (body.length == 0) {
            throw ApiException.badRequest("a JSON object is required");
        }
        return parseJson(body);
    }

    private static JsonNode parseJson(byte[] body) throws ApiException, IOException {
        if (body.length > MAX_JSON_BODY) {
            throw new ApiException(413, "too-large", "request body above " + MAX_JSON_BODY + " bytes");
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("a JSON object is required");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** A JSON object body, or an empty object when there is no body at all. */
    private static JsonNode readJsonOrNothing(Exchange ex) throws ApiException, IOException {
        byte[] body = ex.requestBody().readNBytes(MAX_JSON_BODY + 1);
        return body.length == 0 ? JSON.createObjectNode() : parseJson(body);
    }

    private void streamEvents(Exchange ex) throws ApiException, IOException, InterruptedException {
        java.util.Set<String> types = eventTypes(ex.uri().getRawQuery());
        EventHub.Subscriber sub = routes.events().subscribe(types)
                .orElseThrow(() -> new ApiException(429, "too-many-subscribers",
                        "at most " + EventHub.MAX_SUBSCRIBERS + " event stream subscribers"));
        try (sub) {
            ex.responseHeaders().set("Content-Type", "text/event-stream");
            ex.responseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            sub.pump(ex.responseBody());
        }
    }

    /**
     * The event types a subscriber asked for with {@code ?types=upload,reset}: all of them without
     * the parameter; an unknown or empty type is a 400. Other parameters are ignored.
     */
    static java.util.Set<String> eventTypes(String rawQuery) throws ApiException {
        if (rawQuery == null) {
            return java.util.Set.copyOf(EventHub.TYPES);
        }
        java.util.Set<String> types = null;
        for (String param : rawQuery.split("&")) {
            if (!param.startsWith("types=")) {
                continue;
            }
            types = new java.util.LinkedHashSet<>();
            for (String t : java.net.URLDecoder.decode(param.substring("types=".length()), StandardCharsets.UTF_8)
                    .split(",", -1)) {
                if (!EventHub.TYPES.contains(t)) {
                    throw ApiException.badRequest("unknown event type '" + t + "' (" + String.join(", ", EventHub.TYPES)
                            + ")");
                }
                types.add(t);
            }
        }
        return types == null ? java.util.Set.copyOf(EventHub.TYPES) : types;
    }

    static void sendJson(Exchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.responseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.responseBody()) {
            out.write(body);
        }
    }

    private static void sendError(Exchange ex, ApiException e) {
        if (ex.responseStarted()) {
            return; // the answer was on its way when this went wrong: the connection closes instead
        }
        try {
            var o = JSON.createObjectNode();
            o.put("error", e.error());
            o.put("message", e.getMessage());
            String json = JSON.writeValueAsString(o);
            if (!e.extraJson().isEmpty()) {
                json = json.substring(0, json.length() - 1) + "," + e.extraJson() + "}";
            }
            sendJson(ex, e.status(), json + "\n");
        } catch (IOException io) {
            // the client is gone
        }
    }

    /**
     * Stops taking requests: event streams end, the listener and every connection close (a body
     * still arriving fails, and its upload ends). Handlers that are still running (an activation
     * waiting for its device) finish on their own; {@link #close(Duration)} waits for them.
     */
    public void stopAccepting() {
        routes.events().close();
        server.stopAccepting();
    }

    /**
     * {@link #stopAccepting()}, then waits up to {@code wait} for running handlers; threads are
     * never interrupted (one may be writing a spool file).
     */
    public boolean close(Duration wait) {
        routes.events().close();
        return server.close(wait);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(1));
    }
}
