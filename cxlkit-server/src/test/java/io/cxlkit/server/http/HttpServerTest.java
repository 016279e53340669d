package io.cxlkit.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control API's HTTP layer against real sockets, with bounds short enough for a unit test:
 * slow heads and stalled bodies are closed after their bounds with one log line each and never
 * delay other requests; steady slow bodies go through; the connection bound makes room; and the
 * HTTP/1.1 basics (keep-alive, pipelining, chunked bodies, 100-continue, HEAD) hold. The bounds
 * are the kernel's socket timeouts, so these tests run on real time, kept to fractions of a second.
 */
@Timeout(60)
class HttpServerTest {

    private static final Duration SHORT = Duration.ofMillis(300);

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger("io.cxlkit.test.http." + System.nanoTime());
    private final List<Socket> sockets = new ArrayList<>();
    private HttpServer server;

    HttpServerTest() {
        log.setUseParentHandlers(false);
        log.setLevel(Level.ALL);
        log.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                    logged.add(r.getLevel() + " " + r.getMessage());
                }
                if (Boolean.getBoolean("debugHttp")) {
                    System.err.println("LOG " + r.getLevel() + " " + r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close(Duration.ofSeconds(5));
        }
    }

    /** Answers 200 with "METHOD PATH BODY" after reading the whole body. */
    private static void echo(Exchange ex) throws IOException {
        byte[] body = ex.requestBody().readAllBytes();
        byte[] answer = (ex.method() + " " + ex.uri().getPath() + " " + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, answer.length);
        try (OutputStream out = ex.responseBody()) {
            out.write(answer);
        }
    }

    private void start(HttpLimits limits, io.cxlkit.server.http.Handler handler) throws IOException {
        server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), limits, handler, log);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.address().getPort());
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** One response: status line, headers, and a Content-Length body. */
    private static String response(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.size() == 0 ? null : head.toString(StandardCharsets.ISO_8859_1);
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return h + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    /** True once the server has closed {@code s} (EOF), within {@code timeout}. */
    private static boolean closedWithin(Socket s, Duration timeout) throws IOException {
        s.setSoTimeout((int) timeout.toMillis());
        try {
            while (s.getInputStream().read() >= 0) {
                // skip whatever the server sent before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    // ---- slow clients ----

    @Test
    void aHeadThatNeverEndsIsClosedAfterTheHeaderBoundWithOneLogLine() throws Exception {
        start(HttpLimits.defaults().withHeaderTimeout(SHORT), HttpServerTest::echo);
        Socket s = connect();
        send(s, "GET /v1/memdevs HTTP/1.1\r\nHost: x\r\n");
        long t0 = System.nanoTime();

        assertThat(closedWithin(s, Duration.ofSeconds(5))).isTrue();

        assertThat(millisSince(t0)).isBetween(200L, 3000L);
        assertThat(logged).singleElement().asString().startsWith("WARNING control API: connection ")
                .endsWith("closed: the request line and headers did not arrive within 300 ms (35 bytes came)");
    }

    @Test
    void twoHundredFiftyUnfinishedHeadsDoNotDelayARequest() throws Exception {
        start(HttpLimits.defaults(), HttpServerTest::echo);
        for (int i = 0; i < 250; i++) {
            send(connect(), "GET /v1/memdevs HTTP/1.1\r\nHost: x\r\n");
        }
        Socket normal = connect();
        long t0 = System.nanoTime();
        send(normal, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");

        String answer = response(normal.getInputStream());

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nGET /ok ");
        assertThat(millisSince(t0)).isLessThan(1000);
        assertThat(server.openConnections()).isEqualTo(251);
    }

    @Test
    void aStalledBodyEndsItsConnectionAfterTheBodyBoundWithOneLogLineAndOthersAreServedMeanwhile()
            throws Exception {
        start(HttpLimits.defaults().withBodyIdleTimeout(SHORT), HttpServerTest::echo);
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Socket s = connect();
            send(s, "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
            stalled.add(s);
        }
        Socket normal = connect();
        long t0 = System.nanoTime();
        send(normal, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response(normal.getInputStream())).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(millisSince(t0)).isLessThan(1000);

        for (Socket s : stalled) {
            assertThat(closedWithin(s, Duration.ofSeconds(5))).isTrue();
        }
        assertThat(logged).hasSize(30).allSatisfy(line -> assertThat(line).startsWith("WARNING control API: ")
                .endsWith("closed: its PUT /up request's body stalled for 300 ms (10 bytes of 100 bytes came)"));
    }

    @Test
    void aSlowButSteadyBodyIsNotCut() throws Exception {
        start(HttpLimits.defaults().withBodyIdleTimeout(SHORT), HttpServerTest::echo);
        Socket s = connect();
        send(s, "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
        for (int i = 0; i < 10; i++) {
            Thread.sleep(100); // the client's pace, below the 300 ms bound between bytes
            send(s, Integer.toString(i));
        }

        assertThat(response(s.getInputStream())).endsWith("PUT /up 0123456789");
        assertThat(logged).isEmpty();
    }

    // ---- the connection bound ----

    @Test
    void atTheConnectionBoundTheConnectionIdleLongestMakesRoom() throws Exception {
        start(HttpLimits.defaults().withMaxConnections(3), HttpServerTest::echo);
        Socket oldest = connect();
        send(oldest, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response(oldest.getInputStream())).endsWith("GET /1 ");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.idleConnections() < 1) { // back from its exchange: idle, kept alive
            assertThat(System.nanoTime()).as("never idle").isLessThan(deadline);
            Thread.onSpinWait();
        }
        Socket second = connect();
        send(second, "GET /2 HTTP/1.1\r\nHost: x\r\n");
        Socket third = connect();
        send(third, "GET /3 HTTP/1.1\r\nHost: x\r\n");
        awaitOpen(3);

        Socket newcomer = connect();
        send(newcomer, "GET /4 HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response(newcomer.getInputStream())).endsWith("GET /4 ");
        assertThat(closedWithin(oldest, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void whenEveryConnectionIsInARequestTheNewcomerIsRefusedWith503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(HttpLimits.defaults().withMaxConnections(2), ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            echo(ex);
        });
        Socket a = connect();
        Socket b = connect();
        send(a, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        send(b, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.busyConnections() < 2) { // both requests are in their handlers
            assertThat(System.nanoTime()).as("never busy").isLessThan(deadline);
            Thread.onSpinWait();
        }
        Socket c = connect();
        send(c, "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
        String refused = response(c.getInputStream());

        assertThat(refused).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                .contains("\"error\":\"too-many-connections\"");
        release.countDown();
        assertThat(response(a.getInputStream())).endsWith("GET /a ");
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("refused").contains("every one in a request"));
    }

    private void awaitOpen(int n) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.openConnections() < n) {
            assertThat(System.nanoTime()).as("connections never opened").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    // ---- HTTP/1.1 ----

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
        start(HttpLimits.defaults(), HttpServerTest::echo);
        Socket s = connect();
        send(s, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response(s.getInputStream())).endsWith("POST /a abc");
        assertThat(response(s.getInputStream())).endsWith("GET /b ");
    }

    @Test
    void aChunkedBodyIsDecodedWithItsExtensionsAndTrailers() throws Exception {
        start(HttpLimits.defaults(), HttpServerTest::echo);
        Socket s = connect();
        send(s, "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: y\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response(s.getInputStream())).endsWith("PUT /c abc0123456789");
        assertThat(response(s.getInputStream())).as("the trailer was read to its end, and no further")
                .startsWith("HTTP/1.1 200 OK\r\n").endsWith("GET /next ");
    }

    @Test
    void aClientThatExpectsContinueGetsItWhenTheBodyIsWantedAndNotOtherwise() throws Exception {
        start(HttpLimits.defaults(), ex -> {
            if (ex.uri().getPath().equals("/refuse")) {
                byte[] no = "no".getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(409, no.length);
                try (OutputStream out = ex.responseBody()) {
                    out.write(no);
                }
            } else {
                echo(ex);
            }
        });
        Socket s = connect();
        send(s, "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
        assertThat(response(s.getInputStream())).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        send(s, "ok");
        assertThat(response(s.getInputStream())).endsWith("PUT /up ok");

        Socket r = connect();
        send(r, "PUT /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
        assertThat(response(r.getInputStream())).startsWith("HTTP/1.1 409 Conflict\r\n");
        assertThat(closedWithin(r, Duration.ofSeconds(5))).as("the unwanted body is never waited for").isTrue();
    }

    @Test
    void aHeadRequestGetsTheHeadersOnly() throws Exception {
        start(HttpLimits.defaults(), HttpServerTest::echo);
        Socket s = connect();
        send(s, "HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /g HTTP/1.1\r\nHost: x\r\n\r\n");

        InputStream in = s.getInputStream();
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        while (!h.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            h.write(in.read());
        }
        assertThat(h.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Length: 8\r\n");
        assertThat(response(in)).startsWith("HTTP/1.1 200 OK\r\n") // no body bytes came between the two
                .endsWith("GET /g ");
    }

    @Test
    void aClientThatTakesNoneOfItsResponseIsClosedAfterTheBodyBound() throws Exception {
        byte[] big = new byte[64 << 20];
        start(HttpLimits.defaults().withBodyIdleTimeout(SHORT), ex -> {
            ex.sendResponseHeaders(200, big.length);
            try (OutputStream out = ex.responseBody()) {
                out.write(big); // blocks once the client's buffers are full: it never reads
            }
        });
        Socket greedy = new Socket();
        sockets.add(greedy);
        greedy.setReceiveBufferSize(4096);
        greedy.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()));
        send(greedy, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (logged.isEmpty() || server.openConnections() > 0) {
            assertThat(System.nanoTime()).as("the connection was never closed").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(logged).singleElement().asString().startsWith("WARNING control API: connection ")
                .endsWith(" closed: it took none of its response for 300 ms");
    }

    @Test
    void whenOnlyOneConnectionIsAllowedItsPipelinedRequestsAreStillServed() throws Exception {
        start(HttpLimits.defaults().withMaxConnections(1), HttpServerTest::echo);
        Socket s = connect();
        for (int round = 0; round < 20; round++) {
            send(s, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response(s.getInputStream())).endsWith("GET /a ");
            assertThat(response(s.getInputStream())).endsWith("GET /b ");
        }
    }

    @Test
    void bothContentLengthAndTransferEncodingIsRefused() throws Exception {
        start(HttpLimits.defaults(), HttpServerTest::echo);
        Socket s = connect();
        send(s, "PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

        assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 400 Bad Request\r\n")
                .contains("both Transfer-Encoding and Content-Length");
        assertThat(closedWithin(s, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aHeadAbove64KiBIsRefusedWith431() throws Exception {
        start(HttpLimits.defaults(), HttpServerTest::echo);
        Socket s = connect();
        send(s, "GET /x HTTP/1.1\r\nX-Big: " + "y".repeat(70 * 1024) + "\r\n\r\n");

        assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n")
                .contains("\"error\":\"malformed-request\"");
    }

    @Test
    void aMalformedHeadIsAnswered400InJsonAndClosed() throws Exception {
        start(HttpLimits.defaults(), HttpServerTest::echo);
        Socket s = connect();
        send(s, "GET /x HTTP/1.1\r\nBad Header: y\r\n\r\n");

        assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 400 Bad Request\r\n")
                .endsWith("{\"error\":\"malformed-request\",\"message\":\"malformed header field\"}\n");
        assertThat(closedWithin(s, Duration.ofSeconds(5))).isTrue();
    }
}
