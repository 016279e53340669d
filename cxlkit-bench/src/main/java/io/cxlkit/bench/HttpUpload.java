package io.cxlkit.bench;

import io.cxlkit.server.state.DaemonInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A client of the control API: uploads an image with PUT and waits for the upload's end on the
 * event stream (subscribed before the PUT, so the end event cannot be missed).
 */
final class HttpUpload {
    private HttpUpload() {
    }

    /** Seconds from the PUT to the upload's last event; fails if the upload did not succeed. */
    static double upload(DaemonInfo info, String memdev, byte[] image) throws IOException {
        HttpURLConnection events = open(info, "GET", "/v1/events");
        events.setReadTimeout(120_000);
        BufferedReader lines = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        HttpURLConnection put = open(info, "PUT", "/v1/memdevs/" + memdev + "/firmware");
        put.setDoOutput(true);
        put.setFixedLengthStreamingMode(image.length);
        try (OutputStream out = put.getOutputStream()) {
            out.write(image);
        }
        if (put.getResponseCode() != 202) {
            throw new IOException("PUT answered " + put.getResponseCode());
        }
        put.getInputStream().readAllBytes();
        String line;
        boolean uploadEvent = false;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("event: ")) {
                uploadEvent = line.equals("event: upload");
            } else if (uploadEvent && line.startsWith("data: ") && line.contains("\"memdev\":\"" + memdev + "\"")
                    && line.contains("\"status\":\"idle\"")) {
                double s = (System.nanoTime() - t0) / 1e9;
                events.disconnect();
                if (line.contains("\"error\"")) {
                    throw new IOException("upload failed: " + line);
                }
                return s;
            }
        }
        throw new IOException("event stream ended before the upload did");
    }

    private static HttpURLConnection open(DaemonInfo info, String method, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(info.http() + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("Authorization", "Bearer " + info.token());
        return c;
    }
}
