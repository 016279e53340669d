package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.host.upload.FirmwareAction;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.PlatformConfig;
import io.cxlkit.server.http.HttpLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document ({@code openapi.json}) against the server, both ways: every route the
 * server answers is in the document and nothing else is; every answer the requests here get (its
 * status, its content type, its JSON checked against the documented schema, its error word) is
 * documented for its route; and every answer the document gives a route is one the server gives,
 * caused here by a real request, save the few listed in {@link #NOT_CAUSED_HERE} with the reason.
 */
class ControlApiDocumentTest {

    private static final OpenApi DOC = OpenApi.load();
    private static final String FIRMWARE_ACTIONS = "the 409 word of a firmware action that runs, from "
            + "FirmwareAction (checked below); which action holds the memdev is FirmwareUploaderTest's";

    /** Documented answers no request here causes: each needs something the test cannot bring about quickly. */
    private static final Map<String, String> NOT_CAUSED_HERE = notCausedHere();

    private static Map<String, String> notCausedHere() {
        Map<String, String> m = new LinkedHashMap<>(Map.of(
                "PUT /v1/memdevs/{name}/firmware 409 activation-in-progress", FIRMWARE_ACTIONS,
                "PUT /v1/memdevs/{name}/firmware 409 reset-in-progress", FIRMWARE_ACTIONS,
                "POST /v1/memdevs/{name}/firmware/activate 409 activation-in-progress", FIRMWARE_ACTIONS,
                "POST /v1/memdevs/{name}/firmware/activate 409 reset-in-progress", FIRMWARE_ACTIONS,
                "POST /v1/memdevs/{name}/reset 409 activation-in-progress", FIRMWARE_ACTIONS,
                "POST /v1/memdevs/{name}/reset 409 reset-in-progress", FIRMWARE_ACTIONS,
                "DELETE /v1/memdevs/{name}/firmware/upload 409 too-late",
                "a cancel between End/Full and its answer: FirmwareUploaderTest pins when it is too late",
                "POST /v1/memdevs/{name}/firmware/activate 502 bad-device-answer",
                "a return code CXL r3.1 does not define, which the emulated device never answers",
                "POST /v1/memdevs/{name}/firmware/activate 504 device-timeout",
                "the host driver's 30 s bound on a background activation"));
        // the mailbox commands behind labels, alerts and partitions, like Activate FW's
        for (String op : List.of("GET /v1/memdevs/{name}/labels", "PUT /v1/memdevs/{name}/labels",
                "POST /v1/memdevs/{name}/labels/zero", "PUT /v1/memdevs/{name}/alert-config",
                "POST /v1/memdevs/{name}/partition", "POST /v1/memdevs/{name}/sanitize",
                "POST /v1/memdevs/{name}/poison", "DELETE /v1/memdevs/{name}/poison")) {
            m.put(op + " 502 bad-device-answer", "a return code CXL r3.1 does not define (or an answer of the wrong "
                    + "length), which the emulated device never gives");
            m.put(op + " 504 device-timeout", "the host's 2 s mailbox timeout, which the emulated device never runs into");
        }
        m.put("POST /v1/memdevs/{name}/sanitize 409 passphrase-set",
                "Get Security State with a user passphrase set, which the emulated device never answers "
                        + "(MemdevDriverSanitizeTest pins the refusal)");
        return m;
    }

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Every answer a route gave here: {@code "METHOD /template STATUS [WORD]"}. */
    private final Set<String> given = new TreeSet<>();

    @Test
    void theRouteTableAndTheDocumentNameTheSameRoutes() {
        Set<String> table = Arrays.stream(ApiRoute.values()).map(r -> r.method() + " " + r.template())
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(new TreeSet<>(DOC.operations().keySet())).isEqualTo(table);
    }

    @Test
    void theDocumentIsOpenApi3AndEveryReferenceInItResolves() {
        assertThat(DOC.root().path("openapi").asText()).startsWith("3.0.");
        List<String> refs = new ArrayList<>();
        collectRefs(DOC.root(), refs);
        assertThat(refs).isNotEmpty();
        refs.forEach(ref -> DOC.resolve(ControlApi.JSON.createObjectNode().put("$ref", ref)));
        List<String> ids = DOC.operations().values().stream().map(op -> op.path("operationId").asText()).toList();
        assertThat(ids).doesNotContain("").doesNotHaveDuplicates();
        DOC.operations().forEach((op, o) -> assertThat(o.path("summary").asText()).as(op).isNotBlank());
    }

    private static void collectRefs(JsonNode n, List<String> out) {
        if (n.has("$ref")) {
            out.add(n.get("$ref").asText());
        }
        n.forEach(child -> collectRefs(child, out));
    }

    @Test
    void theDocumentIsServedAsKeptAndTheIndexListsItsRoutes() throws Exception {
        try (Daemon d = startDaemon(HttpLimits.defaults())) {
            Api api = new Api(d);
            Answer doc = api.send("GET /v1/openapi.json", null, null);
            assertThat(doc.status()).isEqualTo(200);
            assertThat(doc.text()).isEqualTo(DOC.text());

            Answer index = api.send("GET /v1", null, null);
            List<String> listed = new ArrayList<>();
            ControlApi.JSON.readTree(index.body()).path("routes").forEach(r -> listed.add(
                    r.path("method").asText() + " " + r.path("path").asText() + ": " + r.path("summary").asText()));
            List<String> documented = new ArrayList<>();
            DOC.operations().forEach((op, o) -> documented.add(op + ": " + o.path("summary").asText()));
            assertThat(listed).isEqualTo(documented);
            // json-c's style, as every JSON answer (and ndctl) has it: slashes escaped
            assertThat(index.text()).startsWith("{\n  \"openapi\":\"\\/v1\\/openapi.json\",\n  \"routes\":[\n"
                    + "    {\n      \"method\":\"GET\",\n      \"path\":\"\\/v1\",\n");
        }
    }

    @Test
    void everyAnswerIsDocumentedAndEveryDocumentedAnswerIsGiven() throws Exception {
        withoutTheToken();
        onARealDaemon();
        whenTheWorkFails();

        Set<String> documented = new TreeSet<>();
        DOC.operations().forEach((op, o) -> DOC.answers(o.path("responses")).forEach(a -> documented.add(op + " " + a)));
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(given);
        assertThat(missing).as("documented, but no request here got it").isEqualTo(NOT_CAUSED_HERE.keySet()
                .stream().collect(Collectors.toCollection(TreeSet::new)));
        assertThat(documented).as("every answer given is documented").containsAll(given);
    }

    @Test
    void theConflictsOfEveryFirmwareActionAreDocumentedWhereAFirmwareActionIsRefused() {
        List<String> words = Arrays.stream(FirmwareAction.values()).map(FirmwareAction::conflict).toList();
        for (String op : List.of("PUT /v1/memdevs/{name}/firmware", "POST /v1/memdevs/{name}/firmware/activate",
                "POST /v1/memdevs/{name}/reset")) {
            assertThat(DOC.errorWords(DOC.operations().get(op).path("responses").path("409"))).as(op)
                    .containsAll(words);
        }
    }

    /** Each route's 401, with the request it would otherwise take. */
    private void withoutTheToken() throws Exception {
        try (Daemon d = startDaemon(HttpLimits.defaults())) {
            Api anonymous = new Api(URI.create(d.info().http()), null);
            for (String op : DOC.operations().keySet()) {
                record(op, anonymous.send(op, "mem0", goodBody(op)));
            }
        }
    }

    private void onARealDaemon() throws Exception {
        try (Daemon d = startDaemon(HttpLimits.defaults())) {
            Api api = new Api(d);
            Path state = dir.resolve("state");
            for (String op : List.of("GET /v1", "GET /v1/openapi.json", "GET /v1/memdevs", "GET /v1/cci")) {
                record(op, api.send(op, null, null));
            }
            eventStreams(api);
            for (String op : DOC.operations().keySet()) {
                if (op.contains("{name}")) {
                    record(op, api.send(op, "mem9", goodBody(op))); // 404: no such memdev
                }
            }

            String get = "GET /v1/memdevs/{name}";
            record(get, api.send(get, "mem0", null));
            String put = "PUT /v1/memdevs/{name}/firmware";
            record(put, api.send(put, "mem0", new byte[0]));
            record(put, api.send(put, "mem0", new byte[4097]));
            record(put, api.send(put, "mem0", pkg("API 1")));
            api.awaitIdle("mem0");
            String cancel = "DELETE /v1/memdevs/{name}/firmware/upload";
            record(cancel, api.send(cancel, "mem0", null)); // 409 idle

            String activate = "POST /v1/memdevs/{name}/firmware/activate";
            record(activate, api.send(activate, "mem0", "{\"slot\":2}".getBytes(StandardCharsets.UTF_8)));
            record(activate, api.send(activate, "mem0", "[]".getBytes(StandardCharsets.UTF_8)));
            record(activate, api.send(activate, "mem0", new byte[ControlApi.MAX_JSON_BODY + 1]));
            record(activate, api.send(activate, "mem0", "{\"slot\":3}".getBytes(StandardCharsets.UTF_8)));
            String reset = "POST /v1/memdevs/{name}/reset";
            record(reset, api.send(reset, "mem0", null));

            String inject = "POST /v1/memdevs/{name}/faults";
            record(inject, api.send(inject, "mem0", "{\"fault\":\"late-part\"}".getBytes(StandardCharsets.UTF_8)));
            record(inject, api.send(inject, "mem0", "{\"fault\":\"gremlins\"}".getBytes(StandardCharsets.UTF_8)));
            for (String body : List.of("{\"fault\":\"life-used\",\"percent\":80}", "{\"fault\":\"temperature\",\"celsius\":-5}",
                    "{\"fault\":\"health-status\",\"conditions\":[\"maintenance\"]}",
                    "{\"fault\":\"media-status\",\"status\":\"data-lost\"}", "{\"fault\":\"gpf-fail\"}",
                    "{\"fault\":\"corrected-error\",\"dpa\":\"0x1000\",\"count\":2}",
                    "{\"fault\":\"corrected-error\",\"dpa\":\"0x40000000\"}")) {
                record(inject, api.send(inject, "mem0", body.getBytes(StandardCharsets.UTF_8)));
            }
            record(inject, api.send(inject, "mem0", new byte[ControlApi.MAX_JSON_BODY + 1]));
            String clear = "DELETE /v1/memdevs/{name}/faults";
            record(clear, api.send(clear, "mem0", null));

            String slot = "GET /v1/memdevs/{name}/firmware/slots/{slot}";
            record(slot, api.send(slot.replace("{slot}", "1"), "mem0", null));
            record(slot, api.send(slot.replace("{slot}", "3"), "mem0", null)); // mem0 has 2 slots

            whileAnUploadArrives(api);
            labelsAlertsAndPartitions(api);
            poisonAndSanitize(api);

            // no spool file for an upload: the spool directory is a regular file now
            Path spool = state.resolve(".spool");
            Files.delete(spool);
            Files.write(spool, new byte[0]);
            record(put, api.send(put, "mem0", pkg("API 2")));
            Files.delete(spool);
            Files.createDirectory(spool);

            // a cold reset that cannot persist the slot it activates: its state file's temporary is a directory
            record(put, api.send(put, "mem0", pkg("API 3")));
            api.awaitIdle("mem0");
            int active = ControlApi.JSON.readTree(api.send(get, "mem0", null).body()).path("firmware")
                    .path("active_slot").asInt();
            Answer staged = api.send(activate, "mem0", ("{\"slot\":" + (3 - active) + "}").getBytes(StandardCharsets.UTF_8));
            assertThat(staged.status()).as(staged.text()).isEqualTo(200);
            Path blocker = Files.createDirectories(state.resolve("mem0").resolve("device.properties.tmp"));
            record(reset, api.send(reset, "mem0", null));
            Files.delete(blocker);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The routes of memdev-commands.md §14 for labels, alert thresholds and partitions, and {@code include=}. */
    private void labelsAlertsAndPartitions(Api api) throws Exception {
        String list = "GET /v1/memdevs";
        record(list, api.send(list + "?include=health,alert_config,partition_info,firmware", null, null));
        record(list, api.send(list + "?include=media_errors,bogus", null, null)); // 400 bad-include
        String get = "GET /v1/memdevs/{name}";
        record(get, api.send(get + "?include=health&include=partition_info", "mem0", null));
        record(get, api.send(get + "?include=health,bogus", "mem0", null));

        String read = "GET /v1/memdevs/{name}/labels";
        record(read, api.send(read, "mem0", null));
        record(read, api.send(read + "?offset=0x10&size=32", "mem0", null));
        record(read, api.send(read + "?offset=ten", "mem0", null)); // 400 bad-request
        record(read, api.send(read + "?offset=0x7fffffff", "mem0", null)); // 400 out-of-range
        String write = "PUT /v1/memdevs/{name}/labels";
        record(write, api.send(write + "?offset=16", "mem0", new byte[100]));
        record(write, api.send(write + "?offset=-1", "mem0", new byte[1]));
        record(write, api.send(write + "?offset=0x7fffffff", "mem0", new byte[1])); // 413
        String zero = "POST /v1/memdevs/{name}/labels/zero";
        record(zero, api.send(zero, "mem0", null));
        record(zero, api.send(zero, "mem0", utf8("{\"offset\":\"0x10\",\"size\":32}")));
        record(zero, api.send(zero, "mem0", utf8("{\"size\":-1}")));
        record(zero, api.send(zero, "mem0", utf8("{\"offset\":2147483647,\"size\":1}"))); // out-of-range
        record(zero, api.send(zero, "mem0", new byte[ControlApi.MAX_JSON_BODY + 1]));

        String alerts = "PUT /v1/memdevs/{name}/alert-config";
        record(alerts, api.send(alerts, "mem0", utf8("{\"life_used\":{\"alert\":\"on\",\"threshold\":30},"
                + "\"over_temperature\":{\"alert\":\"off\"}}")));
        record(alerts, api.send(alerts, "mem0", utf8("{\"life_used\":{\"alert\":\"on\"}}"))); // Threshold not specified
        record(alerts, api.send(alerts, "mem0", new byte[ControlApi.MAX_JSON_BODY + 1]));
        // ndctl takes 80 (0..100); the device refuses a warning at or above its critical threshold (75)
        record(alerts, api.send(alerts, "mem0", utf8("{\"life_used\":{\"alert\":\"on\",\"threshold\":80}}")));

        String partition = "POST /v1/memdevs/{name}/partition";
        record(partition, api.send(partition, "mem1", utf8("{\"volatile_size\":\"0x10000000\"}")));
        record(partition, api.send(partition, "mem0", utf8("{\"volatile_size\":0}"))); // 422: no alignment
        record(partition, api.send(partition, "mem0", utf8("{\"volatile_size\":1}")));
        record(partition, api.send(partition, "mem0", new byte[ControlApi.MAX_JSON_BODY + 1]));

        // the device refuses label transfers while its media is disabled
        String inject = "POST /v1/memdevs/{name}/faults";
        assertThat(api.send(inject, "mem0", utf8("{\"fault\":\"media-disabled\"}")).status()).isEqualTo(200);
        record(read, api.send(read, "mem0", null));
        record(write, api.send(write, "mem0", new byte[10]));
        record(zero, api.send(zero, "mem0", null));
        assertThat(api.send("DELETE /v1/memdevs/{name}/faults", "mem0", null).status()).isEqualTo(200);
    }

    /** The routes of memdev-commands.md §14 for poison, media errors and sanitize. */
    private void poisonAndSanitize(Api api) throws Exception {
        String inject = "POST /v1/memdevs/{name}/poison";
        record(inject, api.send(inject, "mem0", utf8("{\"dpa\":\"0x1000\"}")));
        record(inject, api.send(inject, "mem0", utf8("{\"dpa\":65}"))); // 400: not aligned
        record(inject, api.send(inject, "mem0", utf8("{\"dpa\":\"0x40000000\"}"))); // 422: beyond the device
        record(inject, api.send(inject, "mem0", new byte[ControlApi.MAX_JSON_BODY + 1]));
        String list = "GET /v1/memdevs";
        Answer listed = api.send(list + "?include=media_errors", null, null);
        assertThat(listed.text()).contains("\"media_errors\":[");
        record(list, listed);
        String get = "GET /v1/memdevs/{name}";
        record(get, api.send(get + "?include=media_errors", "mem0", null));
        String clear = "DELETE /v1/memdevs/{name}/poison";
        record(clear, api.send(clear + "?dpa=4096", "mem0", null));
        record(clear, api.send(clear, "mem0", null)); // 400: no dpa
        record(clear, api.send(clear + "?dpa=0x40000000", "mem0", null)); // 422

        String faults = "POST /v1/memdevs/{name}/faults";
        record(faults, api.send(faults, "mem0", utf8("{\"fault\":\"media-error\",\"dpa\":\"0x2000\",\"length\":128}")));
        record(faults, api.send(faults, "mem0", utf8("{\"fault\":\"media-error\",\"dpa\":\"0x40000000\"}")));
        String media = "GET /v1/memdevs/{name}/media";
        record(media, api.send(media + "?dpa=0x2000&length=128", "mem0", null));
        record(media, api.send(media + "?dpa=1&length=64", "mem0", null)); // 400: not aligned
        record(media, api.send(media, "mem0", null)); // 400: nothing asked

        String security = "GET /v1/memdevs/{name}/security";
        record(security, api.send(security, "mem0", null));
        record(security, api.send(security + "?wait_ms=600001", "mem0", null));
        String sanitize = "POST /v1/memdevs/{name}/sanitize";
        record(sanitize, api.send(sanitize, "mem0", null)); // instant: 200
        record(sanitize, api.send(sanitize, "mem0", utf8("{\"secure_erase\":true}")));
        record(sanitize, api.send(sanitize, "mem0", utf8("{\"secure_erase\":1}")));
        record(sanitize, api.send(sanitize, "mem0", new byte[ControlApi.MAX_JSON_BODY + 1]));
        // mem1's sanitize takes 300 ms: 202, then a second is refused until it completes
        Answer started = api.send(sanitize, "mem1", utf8("{\"secure_erase\":false}"));
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        record(sanitize, started);
        record(sanitize, api.send(sanitize, "mem1", null)); // 409 sanitize-active
        Answer done = api.send(security + "?wait_ms=10000", "mem1", null);
        assertThat(done.text()).contains("\"security_state\":\"disabled\"").contains("\"return_code\":\"0000h\"");
        record(security, done);
        // Get Security State refused: the host does not send the Sanitize
        assertThat(api.send("POST /v1/memdevs/{name}/faults", "mem0", utf8("{\"fault\":\"fail-opcode\",\"opcode\":"
                + "\"4500h\",\"rc\":\"0007h\",\"cci\":\"mailbox\"}")).status()).isEqualTo(200);
        record(sanitize, api.send(sanitize, "mem0", null)); // 422
        assertThat(api.send("DELETE /v1/memdevs/{name}/faults", "mem0", null).status()).isEqualTo(200);
    }

    /** 400 for an event type nobody publishes, 200 for a subscriber, 429 for the one past {@link EventHub#MAX_SUBSCRIBERS}. */
    private void eventStreams(Api api) throws Exception {
        record("GET /v1/events", api.send("GET /v1/events?types=upload,bogus", null, null));
        List<InputStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < EventHub.MAX_SUBSCRIBERS; i++) {
                HttpResponse<InputStream> r = http.send(api.request("GET /v1/events", null, null).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                open.add(r.body());
                byte[] greeting = r.body().readNBytes(": cxlkit events\n".length());
                record("GET /v1/events", new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                        Map.of(), greeting));
            }
            record("GET /v1/events", api.send("GET /v1/events", null, null));
        } finally {
            for (InputStream in : open) {
                in.close();
            }
        }
    }

    /**
     * While a body arrives on a raw connection (mem0 held by its upload): a second upload, an
     * activation and a reset are refused, a cancel is accepted, and the upload then ends refused.
     */
    private void whileAnUploadArrives(Api api) throws Exception {
        byte[] image = pkg("API SLOW");
        URI base = api.base;
        try (Socket slow = new Socket(base.getHost(), base.getPort())) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write(("PUT /v1/memdevs/mem0/firmware HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + api.token
                    + "\r\nContent-Length: " + image.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(image, 0, 1000);
            out.flush();
            api.awaitUploadStatus("mem0", "receiving");

            record("PUT /v1/memdevs/{name}/firmware", api.send("PUT /v1/memdevs/{name}/firmware", "mem0", image));
            record("POST /v1/memdevs/{name}/firmware/activate", api.send("POST /v1/memdevs/{name}/firmware/activate",
                    "mem0", "{\"slot\":2}".getBytes(StandardCharsets.UTF_8)));
            record("POST /v1/memdevs/{name}/reset", api.send("POST /v1/memdevs/{name}/reset", "mem0", null));
            record("DELETE /v1/memdevs/{name}/firmware/upload",
                    api.send("DELETE /v1/memdevs/{name}/firmware/upload", "mem0", null));
            out.write(image, 1000, image.length - 1000);
            out.flush();
            record("PUT /v1/memdevs/{name}/firmware", RawHttp.read(slow.getInputStream()));
        }
        api.awaitIdle("mem0");
    }

    /**
     * The API's own answers when what a route does fails: a {@link ControlApi.Routes} whose every
     * method throws an unexpected exception (500 {@code internal}), or is interrupted where its
     * signature allows it (503 {@code shutting-down}; elsewhere the interruption is unexpected too).
     */
    private void whenTheWorkFails() throws Exception {
        Throwable[] failure = new Throwable[1];
        EventHub hub = new EventHub();
        ControlApi.Routes failing = (ControlApi.Routes) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ControlApi.Routes.class}, (proxy, method, args) -> {
                    if (failure[0] == null && method.getName().equals("events")) {
                        return hub; // for the close
                    }
                    throw failure[0];
                });
        try (ControlApi api = ControlApi.start(new InetSocketAddress("127.0.0.1", 0), "t0ken", failing)) {
            Api client = new Api(URI.create(api.url()), "t0ken");
            for (String op : DOC.operations().keySet()) {
                for (Throwable t : List.of(new IllegalStateException("a bug"), new InterruptedException())) {
                    failure[0] = t;
                    record(op, client.send(op, "mem0", goodBody(op)));
                }
            }
            failure[0] = null;
        }
    }

    @Test
    void theAnswersToAnyRequestAreDocumentedAndGiven() throws Exception {
        JsonNode anyRequest = DOC.root().path("x-cxlkit-any-request");
        Set<String> givenToAny = new TreeSet<>();
        try (Daemon d = startDaemon(HttpLimits.defaults().withMaxConnections(2))) {
            Api api = new Api(d);
            URI base = api.base;
            List<Answer> answers = new ArrayList<>();
            answers.add(api.send("GET /", null, null));
            answers.add(api.send("GET /v1/memdevs/mem0/firmware/slots/100", null, null));
            for (String path : paths()) {
                Answer a = api.send("PATCH " + path, "mem0", null);
                assertThat(a.headers().get("allow")).as(path).isNotNull();
                assertThat(new TreeSet<>(List.of(a.headers().get("allow").split(", ")))).as(path)
                        .isEqualTo(new TreeSet<>(DOC.methods(path)));
                answers.add(a);
            }
            answers.add(RawHttp.exchange(base, "GET /v1 HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"));
            answers.add(RawHttp.exchange(base, "GET /v1 HTTP/1.1\r\nHost: x\r\n" + "X-F: 1\r\n".repeat(101) + "\r\n"));
            // both connections the daemon takes are in an exchange (event streams): the next is turned away
            try (Socket one = openEventStream(api); Socket two = openEventStream(api)) {
                answers.add(RawHttp.exchange(base, "")); // answered at once, before any request
            }
            for (Answer a : answers) {
                JsonNode response = anyRequest.path(Integer.toString(a.status()));
                assertThat(response.isMissingNode()).as("undocumented: %s %s", a.status(), a.text()).isFalse();
                checkBody("any request", response, a);
                givenToAny.add(a.status() + " " + ControlApi.JSON.readTree(a.body()).path("error").asText());
            }
        }
        assertThat(givenToAny).isEqualTo(new TreeSet<>(DOC.answers(anyRequest)));
    }

    /**
     * A raw connection with an event stream open on it, once its greeting has arrived. A connection
     * the daemon has not counted out yet (a request just answered) can make it 503: then again.
     */
    private static Socket openEventStream(Api api) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Socket s = new Socket(api.base.getHost(), api.base.getPort());
            s.setSoTimeout(10_000);
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            try {
                s.getOutputStream().write(("GET /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + api.token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int b = s.getInputStream().read(); b >= 0; b = s.getInputStream().read()) {
                    seen.write(b);
                    if (seen.toString(StandardCharsets.US_ASCII).contains(": cxlkit events")) {
                        return s;
                    }
                }
            } catch (IOException e) {
                // turned away before the request was read: the connection may end in a reset
            }
            s.close();
            assertThat(seen.toString(StandardCharsets.US_ASCII)).satisfiesAnyOf(
                    text -> assertThat(text).isEmpty(), text -> assertThat(text).startsWith("HTTP/1.1 503 "));
            assertThat(System.nanoTime()).as("no room for an event stream").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static Set<String> paths() {
        Set<String> out = new LinkedHashSet<>();
        DOC.root().path("paths").fieldNames().forEachRemaining(out::add);
        return out;
    }

    // ------------------------------------------------------------------------------------ checks

    /** Checks {@code a} against what the document says {@code op} answers, and notes it as given. */
    private void record(String op, Answer a) throws IOException {
        JsonNode operation = DOC.operations().get(op);
        assertThat(operation).as("not in the document: %s", op).isNotNull();
        JsonNode response = operation.path("responses").path(Integer.toString(a.status()));
        assertThat(response.isMissingNode()).as("%s answered %s, which the document does not list: %s", op,
                a.status(), a.text()).isFalse();
        checkBody(op, response, a);
        if (a.contentType().startsWith("application/json") && !op.equals("GET /v1/openapi.json")) {
            // the layout the document promises: answers pretty as ndctl prints JSON, errors one line
            assertThat(a.text()).as("%s %s", op, a.status())
                    .matches(a.status() < 300 ? "(?s)[\\[{]\n.*[]}]\n" : "\\{\"error\":[^\n]*}\n");
        }
        String word = a.status() >= 400 ? " " + ControlApi.JSON.readTree(a.body()).path("error").asText() : "";
        given.add(op + " " + a.status() + word);
    }

    /** The answer's content type is documented for it, and JSON conforms to the documented schema. */
    private static void checkBody(String op, JsonNode response, Answer a) throws IOException {
        JsonNode content = DOC.resolve(response).path("content");
        String type = a.contentType().split(";")[0].strip();
        assertThat(content.has(type)).as("%s %s: content type %s not documented (%s)", op, a.status(), type,
                content.fieldNames()).isTrue();
        if (type.equals("application/json")) {
            List<String> wrong = DOC.violations(ControlApi.JSON.readTree(a.body()), content.path(type).path("schema"));
            assertThat(wrong).as("%s %s: %s", op, a.status(), a.text()).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------ requests

    private Daemon startDaemon(HttpLimits limits) throws Exception {
        DeviceConfig dev = DeviceConfig.defaults(0).toBuilder().timing(Timing.instant()).maxPackageSize(4096).build();
        // mem1 has partitionable capacity, so that Set Partition Info succeeds there
        // ... and a Sanitize of 300 ms, so that one runs in the background
        DeviceConfig partitionable = DeviceConfig.defaults(1).toBuilder()
                .timing(Timing.instant().withSanitizeTime(java.time.Duration.ofMillis(300)))
                .partitionableCapacity(1L << 30).partitionAlignment(256L << 20).build();
        return Daemon.start(new PlatformConfig(dir.resolve("state"), List.of(dev, partitionable), List.of("127.0.0.1:0"),
                Optional.empty(), "127.0.0.1:0", 256, PlatformConfig.DEFAULT_CCI_STALL_TIMEOUT, limits), w -> { });
    }

    private static byte[] pkg(String revision) {
        return FirmwarePackage.builder().revision(revision).securityVersion(0).body(new byte[3000]).build()
                .toByteArray();
    }

    /** A body the operation would take, so that only what the test changes decides the answer. */
    private static byte[] goodBody(String op) {
        if (op.endsWith("/alert-config")) {
            return "{\"life_used\":{\"alert\":\"off\"}}".getBytes(StandardCharsets.UTF_8);
        }
        if (op.endsWith("/partition")) {
            return "{\"volatile_size\":0}".getBytes(StandardCharsets.UTF_8);
        }
        if (op.startsWith("PUT ")) {
            return pkg("API 0");
        }
        if (op.endsWith("/activate")) {
            return "{\"slot\":2}".getBytes(StandardCharsets.UTF_8);
        }
        if (op.startsWith("POST ") && op.endsWith("/poison")) {
            return "{\"dpa\":0}".getBytes(StandardCharsets.UTF_8);
        }
        if (op.startsWith("POST ") && op.endsWith("/faults")) {
            return "{\"fault\":\"late-part\"}".getBytes(StandardCharsets.UTF_8);
        }
        return null;
    }

    /** A client of one daemon: {@code send("METHOD /template", name, body)}, slot {@code {slot}} being 1. */
    private final class Api {
        final URI base;
        final String token;

        Api(Daemon d) {
            this(URI.create(d.info().http()), d.info().token());
        }

        Api(URI base, String token) {
            this.base = base;
            this.token = token;
        }

        HttpRequest.Builder request(String op, String name, byte[] body) {
            String[] parts = op.split(" ", 2);
            String path = parts[1].replace("{name}", name == null ? "" : name).replace("{slot}", "1");
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(parts[0],
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            return token == null ? b : b.header("Authorization", "Bearer " + token);
        }

        Answer send(String op, String name, byte[] body) throws IOException, InterruptedException {
            HttpResponse<byte[]> r = http.send(request(op, name, body).build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            return new Answer(r.statusCode(), headers.getOrDefault("content-type", ""), headers, r.body());
        }

        void awaitUploadStatus(String name, String status) throws Exception {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                Answer a = send("GET /v1/memdevs/{name}", name, null);
                if (ControlApi.JSON.readTree(a.body()).path("cxlkit").path("upload").path("status").asText()
                        .equals(status)) {
                    return;
                }
                assertThat(System.nanoTime()).as("%s: upload status never %s", name, status).isLessThan(deadline);
                Thread.sleep(5);
            }
        }

        void awaitIdle(String name) throws Exception {
            awaitUploadStatus(name, "idle");
        }
    }

    /** One answer: its status, content type, headers (lower-case names) and body. */
    record Answer(int status, String contentType, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Requests the JDK's client will not send (malformed ones), and answers read off a raw connection. */
    static final class RawHttp {
        private RawHttp() {
        }

        static Answer exchange(URI base, String request) throws IOException {
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                s.setSoTimeout(10_000);
                if (!request.isEmpty()) {
                    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                }
                return read(s.getInputStream());
            }
        }

        /** Reads one answer: its head, then as many body bytes as its Content-Length says. */
        static Answer read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed in the answer's head: " + head);
                }
                head.write(b);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers.getOrDefault("content-type", ""),
                    headers, body);
        }
    }
}
