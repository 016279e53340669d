package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and careless HTTP clients against a real {@code bin/cxlkit serve} with short bounds (1 s
 * for headers and for pauses in a body): 250 stalled requests (125 whose headers never end, 125
 * whose bodies stop) do not delay a normal request; each stalled one is closed after its bound
 * with one log line; and a slow 32 MiB upload that keeps sending goes through.
 */
class SlowHttpClientsIT {

    private static final int STALLED_HEADS = 125;
    private static final int STALLED_BODIES = 125;

    @Test
    void stalledRequestsNeitherDelayOthersNorStay(@TempDir Path dir) throws Exception {
        try (DaemonProcess d = DaemonProcess.start(dir.resolve("state"), "--timing", "instant",
                "--http-header-timeout", "1s", "--http-body-timeout", "1s")) {
            URI http = URI.create(d.info().http());
            String auth = "Authorization: Bearer " + d.info().token() + "\r\n";
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < STALLED_HEADS; i++) {
                    stalled.add(open(http, "GET /v1/memdevs HTTP/1.1\r\nHost: x\r\n" + auth));
                }
                for (int i = 0; i < STALLED_BODIES; i++) {
                    // a fault injection whose JSON body stops after 9 of 100 bytes
                    stalled.add(open(http, "POST /v1/memdevs/mem0/faults HTTP/1.1\r\nHost: x\r\n" + auth
                            + "Content-Length: 100\r\n\r\n{\"fault\":"));
                }

                get(d, http); // the test's own HTTP client warmed up: the timed request measures the daemon
                long t0 = System.nanoTime();
                HttpURLConnection ok = (HttpURLConnection) http.resolve("/v1/memdevs").toURL().openConnection();
                ok.setRequestProperty("Authorization", "Bearer " + d.info().token());
                ok.setReadTimeout(5000);
                assertThat(ok.getResponseCode()).isEqualTo(200);
                assertThat(new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .contains("\"memdev\":\"mem0\"");
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(millis).as("a normal request among 250 stalled ones").isLessThan(1000);

                for (Socket s : stalled) {
                    assertThat(closedWithin(s, 10_000)).as("a stalled request is closed after its bound").isTrue();
                }
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }

            String log = d.log();
            assertThat(count(log, "closed: the request line and headers did not arrive within 1 s"))
                    .isEqualTo(STALLED_HEADS);
            assertThat(count(log, "/v1/memdevs/mem0/faults request's body stalled for 1000 ms (9 bytes of 100 bytes came)"))
                    .isEqualTo(STALLED_BODIES);
            assertThat(ControlApiClient.stackTraceLines(log)).isEmpty();
        }
    }

    @Test
    void aSlowUploadThatKeepsSendingGoesThrough(@TempDir Path dir) throws Exception {
        // pauses of 100 ms against a 2 s bound: a margin for a loaded CI machine's scheduling
        try (DaemonProcess d = DaemonProcess.start(dir.resolve("state"), "--timing", "instant",
                "--http-body-timeout", "2s")) {
            byte[] body = new byte[(32 << 20) - 128];
            new Random(32).nextBytes(body);
            byte[] image = FirmwarePackage.builder().revision("SLOW 32MIB").securityVersion(0).body(body).build()
                    .toByteArray();
            URI http = URI.create(d.info().http());
            try (Socket s = new Socket(http.getHost(), http.getPort())) {
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                out.write(("PUT /v1/memdevs/mem0/firmware HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + d.info().token() + "\r\nContent-Length: " + image.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                // 512 KiB every 100 ms: 6.4 s in all, each pause well inside the bound
                int piece = 512 * 1024;
                for (int at = 0; at < image.length; at += piece) {
                    out.write(image, at, Math.min(piece, image.length - at));
                    out.flush();
                    Thread.sleep(100);
                }
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(status).isEqualTo("HTTP/1.1 202");
            }
            ControlApiClient api = new ControlApiClient(d.info());
            ControlApiClient.UploadEnd end = api.awaitIdleByPolling("mem0", java.time.Duration.ofSeconds(60));
            assertThat(end.failed()).as(end.toString()).isFalse();
            assertThat(d.log()).doesNotContain("stalled");
        }
    }

    private static void get(DaemonProcess d, URI http) throws IOException {
        HttpURLConnection c = (HttpURLConnection) http.resolve("/v1/memdevs").toURL().openConnection();
        c.setRequestProperty("Authorization", "Bearer " + d.info().token());
        c.getInputStream().readAllBytes();
    }

    private static Socket open(URI http, String partialRequest) throws IOException {
        Socket s = new Socket(http.getHost(), http.getPort());
        s.getOutputStream().write(partialRequest.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** True once the daemon has closed {@code s} (EOF or reset). */
    private static boolean closedWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // an error answer may come first
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static long count(String log, String needle) {
        return log.lines().filter(l -> l.contains(needle)).count();
    }
}
