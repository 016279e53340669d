package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.PlatformConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event stream's wire format: a greeting comment, then per event an {@code event:} line, ONE
 * {@code data:} line holding one compact JSON object (no whitespace outside strings), and a blank
 * line; for {@code upload} events and the memdev objects of {@code device} events alike.
 */
class EventStreamTest {

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Every line of the stream, as it came. */
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @Test
    void everyEventIsOneLineOfCompactJson() throws Exception {
        DeviceConfig dev = DeviceConfig.defaults(0).toBuilder().timing(Timing.instant()).build();
        try (Daemon d = Daemon.start(new PlatformConfig(dir.resolve("state"), List.of(dev), List.of("127.0.0.1:0"),
                Optional.empty(), "127.0.0.1:0", 256), w -> { })) {
            URI base = URI.create(d.info().http());
            String auth = "Bearer " + d.info().token();
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(base.resolve("/v1/events"))
                    .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            Thread reader = new Thread(() -> readLines(stream.body()), "test-events");
            reader.setDaemon(true);
            reader.start();
            try (InputStream closing = stream.body()) {
                assertThat(next()).isEqualTo(": cxlkit events");
                assertThat(next()).isEmpty();

                byte[] image = FirmwarePackage.builder().revision("EVENTS 1").securityVersion(0)
                        .body(new byte[3000]).build().toByteArray();
                assertThat(http.send(HttpRequest.newBuilder(base.resolve("/v1/memdevs/mem0/firmware"))
                        .header("Authorization", auth).PUT(HttpRequest.BodyPublishers.ofByteArray(image)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(202);
                // the upload's last event, byte for byte: one part (the image fits one Transfer FW Full)
                assertThat(nextData("upload", "\"status\":\"idle\"")).isEqualTo("{\"memdev\":\"mem0\",\"status\":\"idle\","
                        + "\"image_size\":" + image.length + ",\"remaining_size\":0,\"bytes_sent\":" + image.length
                        + ",\"parts_sent\":1}");

                assertThat(http.send(HttpRequest.newBuilder(base.resolve("/v1/memdevs/mem0/faults"))
                        .header("Authorization", auth).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"fault\":\"late-part\"}")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
                String device = nextData("device", "\"faults\":[\"late-part\"]");
                assertThat(device).startsWith("{\"memdev\":\"mem0\",").contains(",\"firmware\":{\"num_slots\":2,")
                        .contains(",\"slot_2_version\":\"EVENTS 1\",");
            }
        }
    }

    private void readLines(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the stream closed
        }
    }

    private String next() throws InterruptedException {
        String line = lines.poll(20, TimeUnit.SECONDS);
        assertThat(line).as("the stream went quiet").isNotNull();
        return line;
    }

    /**
     * The data of the next event of {@code type} whose data contains {@code text}; every event on
     * the way is checked: three lines, its data one compact JSON object.
     */
    private String nextData(String type, String text) throws Exception {
        while (true) {
            String event = next();
            if (event.equals(": keep-alive")) {
                assertThat(next()).isEmpty();
                continue;
            }
            assertThat(event).startsWith("event: ");
            String data = next();
            assertThat(data).startsWith("data: ");
            assertThat(next()).as("the line after %s", data).isEmpty();
            String json = data.substring("data: ".length());
            JsonNode parsed = ControlApi.JSON.readTree(json);
            assertThat(parsed.isObject()).as(json).isTrue();
            assertThat(ControlApi.JSON.writeValueAsString(parsed)).as("compact").isEqualTo(json);
            if (event.equals("event: " + type) && json.contains(text)) {
                return json;
            }
        }
    }
}
