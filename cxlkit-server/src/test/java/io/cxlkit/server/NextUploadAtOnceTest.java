package io.cxlkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.server.api.EventHub;
import io.cxlkit.server.state.StateDirectory;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * State is published last: whoever reacts to an upload's end at once finds the memdev ready for
 * the next upload (its image file, its claim and the device all released), both from inside the
 * completion listener itself and from the event stream of the control API.
 */
@Timeout(120) // a missed end event would otherwise hang the build instead of failing it
class NextUploadAtOnceTest {

    private static final int UPLOADS = 40;
    /** The event-stream race is narrow (a network round trip against a file deletion): many tries. */
    private static final int STREAMED_UPLOADS = 200;

    @TempDir
    Path dir;

    private static DeviceConfig device() {
        return DeviceConfig.defaults(0).toBuilder().timing(Timing.instant()).payloadSizeExponent(12).build();
    }

    private static byte[] pkg(int n) {
        byte[] body = new byte[8192 + 128 * n];
        new Random(n).nextBytes(body);
        return FirmwarePackage.builder().revision("NEXT " + n).securityVersion(0).body(body).build().toByteArray();
    }

    @Test
    void theNextUploadStartedFromInsideTheCompletionListenerSucceeds() throws Exception {
        List<UploadStatus> ends = new CopyOnWriteArrayList<>();
        List<String> refusals = new CopyOnWriteArrayList<>();
        CountDownLatch allDone = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger(1);
        PlatformRoutes[] routes = new PlatformRoutes[1];
        try (StateDirectory state = StateDirectory.acquire(dir.resolve("state"), w -> { });
             Platform platform = Platform.open(state, List.of(device()), (name, status) -> {
                 if (status.inProgress() || status.finished().isEmpty()) {
                     return;
                 }
                 ends.add(status);
                 int n = started.getAndIncrement();
                 if (n >= UPLOADS) {
                     allDone.countDown();
                     return;
                 }
                 // the listener reacts to the announcement at once, on the announcing thread
                 byte[] next = pkg(n);
                 try {
                     routes[0].upload(name, new ByteArrayInputStream(next), next.length);
                 } catch (Exception e) {
                     refusals.add(n + ": " + e);
                     allDone.countDown();
                 }
             })) {
            routes[0] = new PlatformRoutes(platform, new EventHub(), CciDirectory.of(platform.memdevs(), List.of(), 1));
            byte[] first = pkg(0);
            routes[0].upload("mem0", new ByteArrayInputStream(first), first.length);

            assertThat(allDone.await(60, TimeUnit.SECONDS)).as("all uploads ended").isTrue();
            assertThat(refusals).isEmpty();
            assertThat(ends).hasSize(UPLOADS);
            assertThat(ends).allSatisfy(e -> assertThat(e.failureMessage()).isEmpty());
            Memdev m = platform.memdev("mem0").orElseThrow();
            assertThat(m.device().fwInfo().revision(2)).isEqualTo("NEXT " + (UPLOADS - 1));
            assertThat(spooledImages(state.path())).as("no image left behind").isEmpty();
        }
    }

    @Test
    void theNextUploadStartedTheMomentTheEventStreamReportsTheEndSucceeds() throws Exception {
        try (Daemon daemon = Daemon.start(new PlatformConfig(dir.resolve("state"), List.of(device()),
                List.of("127.0.0.1:0"), Optional.empty(), "127.0.0.1:0", PlatformConfig.DEFAULT_MAX_CONNECTIONS),
                w -> { })) {
            HttpClient http = HttpClient.newHttpClient();
            String base = daemon.info().http();
            String auth = "Bearer " + daemon.info().token();
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofInputStream());
            List<String> failures = new ArrayList<>();
            try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(),
                    StandardCharsets.UTF_8))) {
                for (int n = 0; n < STREAMED_UPLOADS; n++) {
                    byte[] image = pkg(n % 64);
                    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base
                                    + "/v1/memdevs/mem0/firmware")).header("Authorization", auth)
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(image)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (put.statusCode() != 202) {
                        failures.add(n + ": PUT answered " + put.statusCode() + " " + put.body());
                        break;
                    }
                    String end = awaitEnd(events, image.length);
                    if (end.contains("\"error\"")) {
                        failures.add(n + ": " + end);
                    }
                }
            }
            assertThat(failures).isEmpty();
            assertThat(spooledImages(dir.resolve("state"))).as("no image left behind").isEmpty();
        }
    }

    /** The data line of the upload event that ends the upload of an image of {@code size} bytes. */
    private static String awaitEnd(BufferedReader events, int size) throws Exception {
        boolean upload = false;
        String line;
        while ((line = events.readLine()) != null) {
            if (line.startsWith("event: ")) {
                upload = line.equals("event: upload");
            } else if (upload && line.startsWith("data: ") && line.contains("\"status\":\"idle\"")
                    && line.contains("\"image_size\":" + size + ",")) {
                return line;
            }
        }
        throw new AssertionError("the event stream ended before the upload did");
    }

    private static List<Path> spooledImages(Path stateDir) throws Exception {
        try (Stream<Path> files = Files.list(stateDir.resolve(SpoolDirectory.NAME))) {
            return files.toList();
        }
    }
}
