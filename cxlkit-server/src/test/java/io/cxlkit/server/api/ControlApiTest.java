package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The control API's refusals of wire.md §3, each with its status and JSON error. */
class ControlApiTest {

    @RegisterExtension
    final ApiDaemon daemon = new ApiDaemon(DeviceConfig.defaults(0).toBuilder().timing(Timing.instant())
            .maxPackageSize(4096).build());

    private HttpRequest.Builder request(String path) {
        return daemon.request(path);
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return daemon.send(r);
    }

    private static void assertError(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.body()).startsWith("{\"error\":\"" + error + "\",\"message\":\"");
    }

    @Test
    void uploadsAboveTheMaximumOrEmptyAreRefused() throws Exception {
        assertError(send(request("/v1/memdevs/mem0/firmware")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[4097])).build()), 413, "too-large");
        assertError(send(request("/v1/memdevs/mem0/firmware")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build()), 400, "bad-request");
        assertError(send(request("/v1/memdevs/mem9/firmware")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build()), 404, "not-found");
    }

    private String uploadStatus() throws Exception {
        String body = send(request("/v1/memdevs/mem0").GET().build()).body();
        var upload = ControlApi.JSON.readTree(body).path("cxlkit").path("upload");
        return upload.path("status").asText() + upload.path("error").asText("");
    }

    private static byte[] pkg() {
        return io.cxlkit.protocol.fwpkg.FirmwarePackage.builder().revision("API 1").securityVersion(0)
                .body(new byte[3000]).build().toByteArray();
    }

    private List<String> spooled() throws Exception {
        try (var files = java.nio.file.Files.list(daemon.stateDir().resolve(".spool"))) {
            return files.map(Path::toString).toList();
        }
    }

    /**
     * A PUT of {@code image} on a raw connection that has sent its head and 1000 bytes of the body,
     * once the daemon has claimed mem0 for it (status {@code receiving}): the test decides when the
     * rest arrives.
     */
    private java.net.Socket startSlowUpload(byte[] image) throws Exception {
        URI http = URI.create(daemon.info().http());
        java.net.Socket slow = new java.net.Socket(http.getHost(), http.getPort());
        var out = slow.getOutputStream();
        out.write(("PUT /v1/memdevs/mem0/firmware HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer "
                + daemon.info().token() + "\r\nContent-Length: " + image.length + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(image, 0, 1000);
        out.flush();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!uploadStatus().equals("receiving")) {
            assertThat(System.nanoTime()).as("upload never started receiving").isLessThan(deadline);
            Thread.onSpinWait();
        }
        return slow;
    }

    @Test
    void whileAnUploadRunsAResetAnActivationAndASecondUploadAreRefusedAndItStillSucceeds() throws Exception {
        byte[] image = pkg();
        try (java.net.Socket slow = startSlowUpload(image)) {
            var out = slow.getOutputStream();
            long deadline = System.nanoTime() + 10_000_000_000L;

            assertError(send(request("/v1/memdevs/mem0/reset").POST(HttpRequest.BodyPublishers.noBody()).build()),
                    409, "upload-in-progress");
            assertError(send(request("/v1/memdevs/mem0/firmware/activate")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"slot\":2}")).build()), 409, "upload-in-progress");
            assertError(send(request("/v1/memdevs/mem0/firmware")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(image)).build()), 409, "upload-in-progress");
            out.write(image, 1000, image.length - 1000);
            out.flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(slow.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 202 Accepted");
            while (!uploadStatus().equals("idle")) {
                assertThat(System.nanoTime()).as("upload never ended").isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
        assertThat(daemon.platform().memdev("mem0").orElseThrow().device().fwInfo().revision(2)).isEqualTo("API 1");
        assertThat(spooled()).isEmpty();
        // and now the reset is applied
        assertThat(send(request("/v1/memdevs/mem0/reset").POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void aCancelWhileTheImageArrivesDiscardsItAndTheNextUploadWorks() throws Exception {
        byte[] image = pkg();
        try (java.net.Socket slow = startSlowUpload(image)) {
            var out = slow.getOutputStream();
            assertThat(send(request("/v1/memdevs/mem0/firmware/upload").DELETE().build()).statusCode())
                    .isEqualTo(202);
            out.write(image, 1000, image.length - 1000);
            out.flush();
            StringBuilder answer = new StringBuilder(); // up to the end of the JSON body (the connection stays open)
            while (answer.indexOf("}\n") < 0) {
                int b = slow.getInputStream().read();
                assertThat(b).as("answer so far: %s", answer).isNotNegative();
                answer.append((char) b);
            }

            assertThat(answer.toString()).startsWith("HTTP/1.1 409 Conflict\r\n").contains("\"error\":\"cancelled\"");
        }
        assertThat(uploadStatus()).isEqualTo("idlereceiving:user-abort");
        assertThat(spooled()).as("the image is discarded").isEmpty();
        assertThat(send(request("/v1/memdevs/mem0/firmware").PUT(HttpRequest.BodyPublishers.ofByteArray(image))
                .build()).statusCode()).isEqualTo(202);
    }

    @Test
    void aBodyThatTurnsOutTooLargeIsRefusedAndLeavesNoImageBehind() throws Exception {
        // no Content-Length: the size is only found out while receiving, after the upload began
        byte[] tooLarge = new byte[5000];
        HttpResponse<String> r = send(request("/v1/memdevs/mem0/firmware")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(tooLarge)))
                .build());

        assertError(r, 413, "too-large");
        assertThat(uploadStatus()).isEqualTo("idlereceiving:invalid-file-size");
        assertThat(spooled()).isEmpty();
        assertThat(send(request("/v1/memdevs/mem0/firmware").PUT(HttpRequest.BodyPublishers.ofByteArray(pkg()))
                .build()).statusCode()).isEqualTo(202);
    }

    @Test
    void aRequestWithoutTheTokenIsAnswered401AndItsConnectionClosed() throws Exception {
        URI http = URI.create(daemon.info().http());
        try (java.net.Socket s = new java.net.Socket(http.getHost(), http.getPort())) {
            s.setSoTimeout(10_000);
            // two pipelined requests: the second is never read, and nothing more is taken from this client
            s.getOutputStream().write(("GET /v1/memdevs HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /v1/memdevs HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);

            assertThat(all).startsWith("HTTP/1.1 401 Unauthorized\r\n").contains("Connection: close\r\n")
                    .contains("{\"error\":\"unauthorized\"");
            assertThat(all.indexOf("HTTP/1.1", 1)).as("one answer, then the close").isEqualTo(-1);
        }
    }

    @Test
    void anAnswerCutShortByAnInterruptionSaysTheConnectionCloses() throws Exception {
        // a route interrupted (the daemon stopping) answers 503 and its connection ends: the answer
        // must say so, or a client would send its next request into the closed connection
        ControlApi.Routes interrupted = (ControlApi.Routes) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ControlApi.Routes.class}, (proxy, method, args) -> {
                    if (method.getName().equals("events")) {
                        return new EventHub(); // for the close
                    }
                    throw new InterruptedException();
                });
        try (ControlApi api = ControlApi.start(new java.net.InetSocketAddress("127.0.0.1", 0), "t0ken", interrupted);
             java.net.Socket s = new java.net.Socket("127.0.0.1", URI.create(api.url()).getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /v1/memdevs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0ken\r\n\r\n"
                    + "GET /v1/memdevs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0ken\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);

            assertThat(all).startsWith("HTTP/1.1 503 ").contains("Connection: close\r\n")
                    .contains("{\"error\":\"shutting-down\"");
            assertThat(all.indexOf("HTTP/1.1", 1)).as("one answer, then the close").isEqualTo(-1);
        }
    }

    @Test
    void cancellingWithNothingRunningIsIdle() throws Exception {
        assertError(send(request("/v1/memdevs/mem0/firmware/upload").DELETE().build()), 409, "idle");
    }

    @Test
    void anEmptySlotIsNotFoundAndSlot1HoldsTheFactoryPackage() throws Exception {
        assertError(send(request("/v1/memdevs/mem0/firmware/slots/2").GET().build()), 404, "not-found");
        HttpResponse<byte[]> slot1 = daemon.send(request("/v1/memdevs/mem0/firmware/slots/1").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(slot1.statusCode()).isEqualTo(200);
        assertThat(slot1.body()).isEqualTo(io.cxlkit.protocol.fwpkg.FirmwarePackage.factory());
    }

    @Test
    void theEventStreamWantsTheTokenAndTakesAtMost16Subscribers() throws Exception {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(daemon.info().http() + "/v1/events"))
                .GET().build());
        assertError(anonymous, 401, "unauthorized");

        List<InputStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < EventHub.MAX_SUBSCRIBERS; i++) {
                HttpResponse<InputStream> r = daemon.send(request("/v1/events").GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(r.statusCode()).isEqualTo(200);
                open.add(r.body());
            }
            assertError(send(request("/v1/events").GET().build()), 429, "too-many-subscribers");
            // an open stream never blocks other requests
            assertThat(send(request("/v1/memdevs/mem0").GET().build()).statusCode()).isEqualTo(200);
        } finally {
            for (InputStream in : open) {
                in.close();
            }
        }
    }

    @Test
    void aSubscriberTakesOnlyTheEventTypesItAskedFor() {
        EventHub hub = new EventHub();
        assertThat(hub.wants("device")).isFalse();
        EventHub.Subscriber uploads = hub.subscribe(java.util.Set.of("upload")).orElseThrow();
        // nobody takes device events: the daemon builds none (each costs two mailbox commands)
        assertThat(hub.wants("upload")).isTrue();
        assertThat(hub.wants("device")).isFalse();
        hub.publish("device", "{}");
        hub.publish("reset", "{}");
        assertThat(uploads.queued()).isZero();
        hub.publishProgress("mem0", () -> "{}", true, 0);
        assertThat(uploads.queued()).isOne();

        EventHub.Subscriber all = hub.subscribe().orElseThrow();
        assertThat(hub.wants("device")).isTrue();
        hub.publish("device", "{}");
        assertThat(all.queued()).isOne();
        assertThat(uploads.queued()).isOne();
        all.close();
        assertThat(hub.wants("device")).isFalse();
        uploads.close();
        assertThat(hub.wants("upload")).isFalse();
    }

    @Test
    void theTypesParameterNamesEventTypes() throws Exception {
        assertThat(ControlApi.eventTypes(null)).containsExactlyInAnyOrderElementsOf(EventHub.TYPES);
        assertThat(ControlApi.eventTypes("types=upload")).containsExactly("upload");
        assertThat(ControlApi.eventTypes("since=1&types=upload%2Creset")).containsExactly("upload", "reset");
        assertThat(ControlApi.eventTypes("since=1")).containsExactlyInAnyOrderElementsOf(EventHub.TYPES);
        HttpResponse<String> unknown = send(request("/v1/events?types=upload,uploads").GET().build());
        assertError(unknown, 400, "bad-request");
        assertThat(unknown.body()).contains("unknown event type 'uploads' (upload, device, reset)");
        assertError(send(request("/v1/events?types=").GET().build()), 400, "bad-request");
    }

    @Test
    void progressEventsAreCoalescedToTenASecondButTheLastOneAlwaysGoesOut() {
        EventHub hub = new EventHub();
        EventHub.Subscriber sub = hub.subscribe().orElseThrow();
        long t = 0;
        int sent = 0;
        for (int i = 0; i < 100; i++) {
            t += 10_000_000L; // an update every 10 ms for one second
            hub.publishProgress("mem0", () -> "{}", false, t);
        }
        hub.publishProgress("mem0", () -> "{\"last\":true}", true, t + 1);
        sent = sub.queued();
        assertThat(sent).isEqualTo(11); // 10 in the second, plus the last one
        sub.close();
    }
}
