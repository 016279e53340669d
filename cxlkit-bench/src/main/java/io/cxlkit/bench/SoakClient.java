package io.cxlkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlkit.server.state.DaemonInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One device's client in the soak: PUT an image, then GET the memdev in a tight loop until its
 * upload is idle again. The tight poll is deliberate: it is the harshest client a daemon meets
 * (a GET racing every state change), and it starts the next upload the moment the last one is
 * reported over, which is where a daemon that still tidies up after "idle" goes wrong.
 */
final class SoakClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than any upload of at most 32 MiB takes, realistic timing included: beyond it the device is stuck. */
    private static final long UPLOAD_DEADLINE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final DaemonInfo info;
    private final String memdev;

    SoakClient(DaemonInfo info, String memdev) {
        this.info = info;
        this.memdev = memdev;
    }

    String memdev() {
        return memdev;
    }

    /**
     * One upload, to its end: empty if it succeeded, else why not in one line (a PUT answered with
     * another status than 202, or the upload's {@code cxlkit.upload.error}).
     *
     * @throws IOException if the daemon cannot be reached or the upload never ends: the client stops
     */
    Optional<String> upload(byte[] image) throws IOException {
        Optional<String> refused = put(image);
        // after a refused PUT too: a 409 means an upload runs, and the next PUT must not race it
        Optional<String> ended = awaitIdle();
        return refused.isPresent() ? refused : ended;
    }

    private Optional<String> put(byte[] image) throws IOException {
        HttpURLConnection c = open("PUT", "/v1/memdevs/" + memdev + "/firmware");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(image.length);
        c.setRequestProperty("Content-Type", "application/octet-stream");
        try (OutputStream out = c.getOutputStream()) {
            out.write(image);
        }
        int code = c.getResponseCode();
        if (code == 202) {
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
            return Optional.empty();
        }
        // the API's refusals are {"error","message"}: the error is the stable part, the message the detail
        String error = "";
        try (InputStream in = c.getErrorStream()) {
            if (in != null) {
                JsonNode body = JSON.readTree(in.readAllBytes());
                error = " " + body.path("error").asText("") + " (" + body.path("message").asText("") + ")";
            }
        } catch (IOException e) {
            error = " (unreadable answer: " + e.getMessage() + ")";
        }
        return Optional.of("PUT answered " + code + error);
    }

    private Optional<String> awaitIdle() throws IOException {
        long deadline = System.nanoTime() + UPLOAD_DEADLINE_NANOS;
        while (true) {
            JsonNode upload = get().path("cxlkit").path("upload");
            String status = upload.path("status").asText("");
            if (status.equals("idle")) {
                JsonNode error = upload.path("error");
                return error.isTextual() ? Optional.of(error.asText()) : Optional.empty();
            }
            if (status.isEmpty()) {
                throw new IOException(memdev + ": GET has no cxlkit.upload.status");
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(memdev + ": upload still " + status + " after "
                        + TimeUnit.NANOSECONDS.toSeconds(UPLOAD_DEADLINE_NANOS) + " s");
            }
        }
    }

    private JsonNode get() throws IOException {
        HttpURLConnection c = open("GET", "/v1/memdevs/" + memdev);
        int code = c.getResponseCode();
        if (code != 200) {
            try (InputStream err = c.getErrorStream()) {
                if (err != null) {
                    err.readAllBytes();
                }
            }
            throw new IOException(memdev + ": GET answered " + code);
        }
        // read to the end, so that the connection is kept alive for the next GET
        try (InputStream in = c.getInputStream()) {
            return JSON.readTree(in.readAllBytes());
        }
    }

    private HttpURLConnection open(String method, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(info.http() + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("Authorization", "Bearer " + info.token());
        c.setConnectTimeout(10_000);
        c.setReadTimeout(60_000);
        return c;
    }
}
