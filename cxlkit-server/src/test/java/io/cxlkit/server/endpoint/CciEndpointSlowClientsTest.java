package io.cxlkit.server.endpoint;

import static io.cxlkit.server.endpoint.TestClient.concat;
import static io.cxlkit.server.endpoint.TestClient.frame;
import static io.cxlkit.server.endpoint.TestClient.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.server.endpoint.TestClient.Reply;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow and careless clients cannot wedge the CCI endpoint: a frame that starts must finish within the stall
 * timeout between its bytes, and at the connection limit the connection idle longest makes room for a
 * newcomer. Real sockets and the system clock, with bounds of a fraction of a second.
 */
@Timeout(60)
class CciEndpointSlowClientsTest extends EndpointFixture {

    private static final Opcode IDENTIFY = CommandId.IDENTIFY.opcode();
    private static final Opcode TRANSFER_FW = CommandId.TRANSFER_FW.opcode();
    private static final Duration STALL = Duration.ofMillis(200);
    /** The first 6 bytes of a frame whose length field promises 64 more: then nothing. */
    private static final byte[] STALLED_START = raw(64, 8, 0x08, new byte[0]);


    // ---- helpers ---------------------------------------------------------------------------------------

    private CciEndpoint start(List<CxlDevice> served, ConnectionLimit limit, Duration stall) throws IOException {
        CciEndpoint e = CciEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), served, limit,
                stall, logs.logger());
        endpoints.add(e);
        return e;
    }

    private CciEndpoint start(int maxConnections, Duration stall) throws IOException {
        return start(devices, ConnectionLimit.of(maxConnections), stall);
    }

    private TestClient connect(CciEndpoint e) throws IOException {
        TestClient c = TestClient.tcp(e.port());
        clients.add(c);
        return c;
    }

    /** Identify at {@code eid} answers with that listener's device's serial: the connection is served. */
    private static void assertServed(TestClient c, int eid, int tag, long serial) throws IOException {
        Reply r = c.call(eid, tag, IDENTIFY);
        assertThat(r.tag()).isEqualTo(tag);
        assertThat(r.returnCode()).isEqualTo(ReturnCode.SUCCESS.value());
        assertThat(Identify.decode(ByteBuffer.wrap(r.message().payload())).serialNumber()).isEqualTo(serial);
    }

    private static void assertServed(TestClient c, int tag) throws IOException {
        assertServed(c, 8, tag, TestDevices.SERIALS[0]);
    }

    /** Lines that end {@code c}'s connection: its close, or its refusal. */
    private List<LogRecord> endLines(TestClient c) {
        return logs.matching(r -> c.isAbout(r.getMessage())
                && (r.getMessage().contains(" closed") || r.getMessage().contains("refused")));
    }

    /** The single line that ended {@code c}'s connection, once it has been logged. */
    private LogRecord endLine(TestClient c) throws InterruptedException {
        logs.await(r -> endLines(c).contains(r), Duration.ofSeconds(10));
        assertThat(endLines(c)).as("one line per connection").hasSize(1);
        return endLines(c).get(0);
    }

    private static void awaitWaiting(ConnectionLimit limit, int n) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (limit.waiting() < n) {
            assertThat(System.nanoTime()).as("connections never waited at a frame boundary").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** A request and the start of a stalled frame in one write: read back the answer, and the rest waits. */
    private static void answerThenStall(TestClient c, int tag) throws IOException {
        c.write(concat(frame(8, CciMessage.request(tag, IDENTIFY, new byte[0])), STALLED_START));
        assertThat(c.read().tag()).isEqualTo(tag);
    }

    // ---- a frame that starts must finish ---------------------------------------------------------------

    @Test
    void aStalledFrameIsClosedAfterTheStallTimeoutWithOneWarning() throws Exception {
        CciEndpoint e = start(8, STALL);
        TestClient good = connect(e);
        assertServed(good, 1);
        TestClient sixBytes = connect(e);
        TestClient twoBytes = connect(e);
        TestClient oversized = connect(e);
        int limit = devices.get(0).mctp().maxMessageSize();
        byte[] big = frame(8, CciMessage.request(3, TRANSFER_FW, new byte[limit + 100]));

        long start = System.nanoTime();
        sixBytes.write(STALLED_START);
        twoBytes.write(Arrays.copyOf(STALLED_START, 2));
        oversized.write(Arrays.copyOf(big, 18 + 10)); // answered 0016h at its header; its payload is skipped
        assertThat(oversized.read().returnCode()).isEqualTo(ReturnCode.INVALID_PAYLOAD_LENGTH.value());

        for (TestClient c : List.of(sixBytes, twoBytes, oversized)) {
            assertThat(c.closedByServer()).isTrue();
        }
        long waited = System.nanoTime() - start;
        assertThat(Duration.ofNanos(waited)).as("closed no sooner than the stall timeout")
                .isGreaterThanOrEqualTo(STALL);
        assertThat(endLine(sixBytes).getMessage()).endsWith(" closed: a frame stalled for 200 ms (6 of 68 bytes)");
        assertThat(endLine(twoBytes).getMessage())
                .endsWith(" closed: a frame stalled for 200 ms (2 bytes, its length not yet complete)");
        assertThat(endLine(oversized).getMessage())
                .endsWith(" closed: a frame stalled for 200 ms (28 of " + big.length + " bytes)");
        for (TestClient c : List.of(sixBytes, twoBytes, oversized)) {
            LogRecord line = endLine(c);
            assertThat(line.getLevel()).isEqualTo(Level.WARNING);
            assertThat(line.getMessage()).startsWith("cci " + e.url() + ": connection ");
            assertThat(line.getThrown()).as("no stack trace for a client's stall").isNull();
        }
        assertServed(good, 2);
        assertThat(endLines(good)).isEmpty();
        assertThat(e.connectionLimit().open()).isEqualTo(1);
    }

    @Test
    void aClientThatTakesNoneOfItsAnswersIsClosedAfterTheStallTimeout() throws Exception {
        CciEndpoint e = start(8, STALL);
        byte[] one = frame(8, CciMessage.request(1, IDENTIFY, new byte[0]));
        byte[] many = new byte[one.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(one, 0, many, i * one.length, one.length);
        }
        try (java.net.Socket greedy = new java.net.Socket()) {
            greedy.setReceiveBufferSize(4096); // its answers fill up quickly: it never reads them
            greedy.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port()));
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                writer.submit(() -> {
                    // requests until the endpoint's answers fill every buffer on the way and it stops
                    // reading; then this write blocks too, until the endpoint closes the connection
                    while (true) {
                        greedy.getOutputStream().write(many);
                    }
                });
                LogRecord closed = logs.await(r -> r.getMessage().contains("took none of its answers"),
                        Duration.ofSeconds(10));
                assertThat(closed.getLevel()).isEqualTo(Level.WARNING);
                assertThat(closed.getMessage()).endsWith(" closed: it took none of its answers for 200 ms");
                assertThat(logs.matching(r -> r.getMessage().contains("took none"))).hasSize(1);
            } finally {
                writer.shutdownNow();
            }
        }
        TestClient good = connect(e);
        assertServed(good, 2);
    }

    @Test
    void aConnectionWithNoFrameInProgressIsNotClosedByTheStallTimeout() throws Exception {
        CciEndpoint e = start(8, STALL);
        TestClient answered = connect(e);
        assertServed(answered, 1);
        TestClient silent = connect(e); // never sends a byte
        TestClient stalled = connect(e);
        stalled.write(STALLED_START);
        // the two idle ones have waited longer than the stalled one once it is closed
        assertThat(stalled.closedByServer()).isTrue();
        endLine(stalled);

        assertServed(answered, 2);
        assertServed(silent, 3);
        assertThat(endLines(answered)).isEmpty();
        assertThat(endLines(silent)).isEmpty();
    }

    @Test
    void aSlowFrameThatKeepsComingIsServed() throws Exception {
        CciEndpoint e = start(8, STALL);
        TestClient slow = connect(e);
        byte[] request = frame(8, CciMessage.request(7, IDENTIFY, new byte[0]));
        long longestGap = 0;
        long last = System.nanoTime();
        for (byte b : request) {
            slow.write(new byte[] {b});
            long now = System.nanoTime();
            longestGap = Math.max(longestGap, now - last);
            last = now;
            Thread.sleep(100); // the client's pace, half the stall timeout
        }
        Reply r;
        try {
            r = slow.read();
        } catch (IOException closed) {
            // only fair if this thread itself was held up past the bound between two bytes
            Assumptions.assumeTrue(longestGap < STALL.toNanos(), "the test thread stalled for "
                    + Duration.ofNanos(longestGap) + " between two bytes, so the close was right");
            throw closed;
        }
        assertThat(r.tag()).isEqualTo(7);
        assertThat(r.returnCode()).isEqualTo(ReturnCode.SUCCESS.value());
        assertThat(endLines(slow)).isEmpty();
    }

    // ---- room for newcomers ----------------------------------------------------------------------------

    @Test
    void atTheLimitTheConnectionIdleLongestIsEvictedForANewcomer() throws Exception {
        CciEndpoint e = start(3, CciEndpoint.DEFAULT_STALL_TIMEOUT);
        TestClient b = connect(e);
        assertServed(b, 1);
        awaitWaiting(e.connectionLimit(), 1); // b's thread is back at a frame boundary: its wait has begun
        TestClient a = connect(e);
        TestClient c = connect(e);
        assertServed(a, 2);
        assertServed(c, 3);
        assertServed(a, 4); // b has now waited longest since its last answer

        TestClient newcomer = connect(e);
        assertServed(newcomer, 5);
        assertThat(b.closedByServer()).isTrue();
        LogRecord line = endLine(b);
        assertThat(line.getLevel()).isEqualTo(Level.INFO);
        assertThat(line.getMessage()).startsWith("cci " + e.url() + ": connection ")
                .matches(".* closed: idle for [^,]+ m?s, evicted to make room for a new connection");
        assertThat(line.getThrown()).isNull();
        for (TestClient survivor : List.of(a, c, newcomer)) {
            assertServed(survivor, 6);
            assertThat(endLines(survivor)).isEmpty();
        }
        assertThat(e.connectionLimit().open()).isEqualTo(3);
        assertThat(logs.matching(r -> r.getMessage().contains("refused"))).isEmpty();
    }

    @Test
    void whenEveryConnectionIsInTheMiddleOfAFrameTheNewcomerIsRefusedUntilOneStalls() throws Exception {
        Duration stall = Duration.ofSeconds(1); // long enough to connect a newcomer before it runs out
        CciEndpoint e = start(2, stall);
        TestClient a = connect(e);
        TestClient b = connect(e);
        answerThenStall(a, 1);
        answerThenStall(b, 2);

        TestClient refused = connect(e);
        assertThat(refused.closedByServer()).isTrue();
        LogRecord line = endLine(refused);
        assertThat(line.getLevel()).isEqualTo(Level.WARNING);
        assertThat(line.getMessage()).isEqualTo("cci " + e.url() + ": refused a connection from 127.0.0.1:"
                + refused.localPort() + ": 2 connections open (the limit), each in the middle of a frame or a command");
        assertThat(endLines(a)).isEmpty();
        assertThat(endLines(b)).isEmpty();

        // the stalled frames free their room
        assertThat(a.closedByServer()).isTrue();
        assertThat(b.closedByServer()).isTrue();
        assertThat(endLine(a).getMessage()).endsWith("a frame stalled for 1 s (6 of 68 bytes)");
        assertThat(endLine(b).getMessage()).endsWith("a frame stalled for 1 s (6 of 68 bytes)");
        assertServed(connect(e), 3);
    }

    @Test
    void twoListenersSharingALimitEvictAndRefuseAcrossBoth() throws Exception {
        ConnectionLimit limit = ConnectionLimit.of(2);
        CciEndpoint first = start(devices.subList(0, 1), limit, CciEndpoint.DEFAULT_STALL_TIMEOUT);
        CciEndpoint second = start(devices.subList(1, 2), limit, CciEndpoint.DEFAULT_STALL_TIMEOUT);
        TestClient onFirst = connect(first);
        assertServed(onFirst, 8, 1, TestDevices.SERIALS[0]);
        awaitWaiting(limit, 1); // its thread is back at a frame boundary (it answers before it gets there)
        TestClient onSecond = connect(second);
        assertServed(onSecond, 8, 2, TestDevices.SERIALS[1]); // the second listener's EID 8 is mem1
        awaitWaiting(limit, 2);

        // a newcomer on the second listener evicts the first listener's connection, idle longest
        TestClient newcomer = connect(second);
        assertServed(newcomer, 8, 3, TestDevices.SERIALS[1]);
        assertThat(onFirst.closedByServer()).isTrue();
        assertThat(endLine(onFirst).getMessage()).startsWith("cci " + first.url() + ": ")
                .contains("evicted to make room for a new connection");
        assertThat(limit.open()).isEqualTo(2);

        // both counted connections mid-frame: a newcomer on the first listener is refused
        answerThenStall(onSecond, 4);
        answerThenStall(newcomer, 5);
        TestClient refused = connect(first);
        assertThat(refused.closedByServer()).isTrue();
        assertThat(endLine(refused).getMessage()).startsWith("cci " + first.url() + ": refused a connection");
        assertThat(limit.open()).isEqualTo(2);
    }

    @Test
    void concurrentNewcomersOnTwoListenersNeverOverrunTheSharedLimit() throws Exception {
        ConnectionLimit limit = ConnectionLimit.of(4);
        List<CciEndpoint> both = List.of(start(devices.subList(0, 1), limit, CciEndpoint.DEFAULT_STALL_TIMEOUT),
                start(devices.subList(0, 1), limit, CciEndpoint.DEFAULT_STALL_TIMEOUT));
        int n = 40;
        List<TestClient> all = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TestClient>> connected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                CciEndpoint e = both.get(i % 2);
                int tag = i;
                connected.add(pool.submit(() -> {
                    go.await();
                    TestClient c = TestClient.tcp(e.port());
                    try {
                        c.call(8, tag, IDENTIFY); // served, unless evicted or refused first
                    } catch (IOException evictedOrRefused) {
                        // its line says which
                    }
                    return c;
                }));
            }
            go.countDown();
            for (Future<TestClient> f : connected) {
                all.add(f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            clients.addAll(all);
        }
        // every admission beyond the fourth evicted one connection or was refused: n - 4 lines, one each
        logs.await(r -> all.stream().filter(c -> !endLines(c).isEmpty()).count() == n - 4, Duration.ofSeconds(10));
        List<TestClient> survivors = new ArrayList<>();
        for (TestClient c : all) {
            List<LogRecord> lines = endLines(c);
            assertThat(lines).as("at most one line per connection").hasSizeLessThanOrEqualTo(1);
            if (lines.isEmpty()) {
                survivors.add(c);
            } else {
                assertThat(lines.get(0).getMessage()).containsAnyOf("evicted to make room", "refused a connection");
            }
        }
        assertThat(survivors).hasSize(4);
        for (TestClient c : survivors) {
            assertServed(c, 99);
        }
        assertThat(limit.open()).isEqualTo(4);
        assertThat(both.get(0).activeConnections() + both.get(1).activeConnections()).isEqualTo(4);
    }

    // ---- settings --------------------------------------------------------------------------------------

    @Test
    void theStallTimeoutIsPositiveAndDefaultsToFiveSeconds() throws Exception {
        assertThat(CciEndpoint.DEFAULT_STALL_TIMEOUT).isEqualTo(Duration.ofSeconds(5));
        CciEndpoint e = CciEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), devices, 4,
                logs.logger());
        endpoints.add(e);
        assertThat(e.stallTimeout()).isEqualTo(CciEndpoint.DEFAULT_STALL_TIMEOUT);
        assertThat(start(4, Duration.ofMillis(300)).stallTimeout()).isEqualTo(Duration.ofMillis(300));

        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1))) {
            assertThatThrownBy(() -> CciEndpoint.start(any, devices, ConnectionLimit.of(4), bad, logs.logger()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stall timeout must be positive");
        }
        assertThatThrownBy(() -> CciEndpoint.start(any, devices, ConnectionLimit.of(4), null, logs.logger()))
                .isInstanceOf(NullPointerException.class);
        // an endless one is allowed
        assertThat(start(4, Duration.ofSeconds(Long.MAX_VALUE)).stallTimeout()).isEqualTo(
                Duration.ofSeconds(Long.MAX_VALUE));
    }

    @Test
    void durationsInLogLinesReadAsPeopleWriteThem() {
        assertThat(CciConnection.duration(0)).isEqualTo("<1 ms");
        assertThat(CciConnection.duration(Duration.ofMillis(300).toNanos())).isEqualTo("300 ms");
        assertThat(CciConnection.duration(Duration.ofSeconds(5).toNanos())).isEqualTo("5 s");
        assertThat(CciConnection.duration(Duration.ofMillis(1_540).toNanos())).isEqualTo("1.5 s");
        assertThat(CciConnection.duration(Duration.ofMillis(42_317).toNanos())).isEqualTo("42 s");
    }
}
