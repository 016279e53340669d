package io.cxlkit.server.endpoint;

import static io.cxlkit.server.endpoint.TestClient.concat;
import static io.cxlkit.server.endpoint.TestClient.frame;
import static io.cxlkit.server.endpoint.TestClient.message;
import static io.cxlkit.server.endpoint.TestClient.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.server.endpoint.TestClient.Reply;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CCI socket endpoint (wire.md §1) over real sockets on 127.0.0.1 and a Unix domain socket. */
@Timeout(60)
class CciEndpointTest extends EndpointFixture {

    private static final Opcode IDENTIFY = CommandId.IDENTIFY.opcode();
    private static final Opcode GET_FW_INFO = CommandId.GET_FW_INFO.opcode();
    private static final Opcode TRANSFER_FW = CommandId.TRANSFER_FW.opcode();
    private static final long[] SERIALS = TestDevices.SERIALS;

    @TempDir
    Path tmp;

    // ---- helpers ---------------------------------------------------------------------------------------

    private CciEndpoint start(int maxConnections) throws IOException {
        CciEndpoint e = CciEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), devices,
                maxConnections, logs.logger());
        endpoints.add(e);
        return e;
    }

    private CciEndpoint start() throws IOException {
        return start(CciEndpoint.DEFAULT_MAX_CONNECTIONS);
    }

    private TestClient connect(CciEndpoint e) throws IOException {
        TestClient c = TestClient.tcp(e.port());
        clients.add(c);
        return c;
    }

    /** Identify at {@code eid} answers with that device's serial: the connection and the device work. */
    private static void assertIdentifies(TestClient c, int eid, int tag) throws IOException {
        Reply r = c.call(eid, tag, IDENTIFY);
        assertResponse(r, eid, tag, IDENTIFY, ReturnCode.SUCCESS);
        assertThat(Identify.decode(ByteBuffer.wrap(r.message().payload())).serialNumber())
                .isEqualTo(SERIALS[eid - 8]);
    }

    private static void assertResponse(Reply r, int eid, int tag, Opcode opcode, ReturnCode rc) {
        assertThat(r.eid()).as("source EID").isEqualTo(eid);
        assertThat(r.type()).as("MCTP message type").isEqualTo(0x08);
        CciHeader h = r.message().header();
        assertThat(h.category()).as("category").isEqualTo(CciHeader.CATEGORY_RESPONSE);
        assertThat(h.tag()).as("tag").isEqualTo(tag);
        assertThat(h.opcode()).as("opcode").isEqualTo(opcode);
        assertThat(h.returnCode()).as("return code").isEqualTo(rc.value());
    }

    /** The single close line of {@code c}'s connection, once it has been logged. */
    private LogRecord closeLine(TestClient c) throws InterruptedException {
        logs.await(r -> c.isAbout(r.getMessage()) && r.getMessage().contains(" closed"), Duration.ofSeconds(10));
        List<LogRecord> lines = logs.matching(r -> c.isAbout(r.getMessage()) && r.getMessage().contains(" closed"));
        assertThat(lines).as("one close line per connection").hasSize(1);
        return lines.get(0);
    }

    /** {@code bad} is closed by the server with one WARNING line naming {@code reason}; {@code good} still works. */
    private void assertClosedAlone(TestClient bad, TestClient good, String reason) throws Exception {
        assertThat(bad.closedByServer()).as("the server closed the connection").isTrue();
        LogRecord line = closeLine(bad);
        assertThat(line.getLevel()).isEqualTo(Level.WARNING);
        assertThat(line.getMessage()).contains(reason);
        assertThat(line.getThrown()).as("no stack trace for a client error").isNull();
        assertIdentifies(good, 8, 200);
        assertIdentifies(good, 9, 201);
    }

    // ---- addressing and answers ------------------------------------------------------------------------

    @Test
    void twoDevicesAnswerAtEids8And9() throws Exception {
        CciEndpoint e = start();
        assertThat(e.url()).isEqualTo("tcp://127.0.0.1:" + e.port());
        assertThat(e.deviceCount()).isEqualTo(2);
        TestClient c = connect(e);

        assertIdentifies(c, 8, 1);
        assertIdentifies(c, 9, 2);
        for (int eid = 8; eid <= 9; eid++) {
            Reply r = c.call(eid, 0x80 + eid, GET_FW_INFO);
            assertResponse(r, eid, 0x80 + eid, GET_FW_INFO, ReturnCode.SUCCESS);
            assertThat(r.message().payload()).hasSize(FwInfo.SIZE);
            assertThat(r.message().header().payloadLength()).isEqualTo(r.message().payload().length);
            assertThat(FwInfo.decode(ByteBuffer.wrap(r.message().payload())))
                    .isEqualTo(devices.get(eid - 8).fwInfo());
        }
    }

    @Test
    void requestsSplitIntoSingleBytesAreAnswered() throws Exception {
        TestClient c = connect(start());
        byte[] f = frame(9, CciMessage.request(77, IDENTIFY, new byte[0]));
        for (byte b : f) {
            c.write(new byte[] {b});
        }
        Reply r = c.read();
        assertResponse(r, 9, 77, IDENTIFY, ReturnCode.SUCCESS);
    }

    @Test
    void reservedBitsByte2AndRequestReturnCodeAreIgnored() throws Exception {
        TestClient c = connect(start());
        byte[] m = new CciHeader(0, 5, IDENTIFY, 0, true, 0x1234, 0xBEEF).encode();
        m[0] |= (byte) 0xF0; // reserved bits of byte 0
        m[2] = (byte) 0x5A; // reserved byte 2
        m[7] |= 0x60; // reserved bits 6:5 of byte 7
        c.write(raw(14, 8, 0x08, m));
        assertResponse(c.read(), 8, 5, IDENTIFY, ReturnCode.SUCCESS);
    }

    // ---- check 1 and 3: close this connection only -----------------------------------------------------

    @Test
    void frameLengthAboveTheMaximumClosesOnlyThatConnection() throws Exception {
        CciEndpoint e = start();
        TestClient good = connect(e);
        TestClient bad = connect(e);
        assertIdentifies(good, 8, 1);
        long tooLong = 2 + 12 + CciHeader.MAX_PAYLOAD_LENGTH + 1L;
        bad.write(raw(tooLong, 8, 0x08, message(0, 1, TRANSFER_FW, 0, new byte[0])));
        assertClosedAlone(bad, good, "frame length " + tooLong + " above");
    }

    @Test
    void frameLengthBelowTheMinimumClosesTheConnection() throws Exception {
        CciEndpoint e = start();
        TestClient good = connect(e);
        TestClient bad = connect(e);
        bad.write(new byte[32]); // L = 0
        assertClosedAlone(bad, good, "frame length 0 below 14");
    }

    @Test
    void garbageBytesCloseOnlyThatConnection() throws Exception {
        CciEndpoint e = start();
        TestClient good = connect(e);
        TestClient bad = connect(e);
        bad.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertClosedAlone(bad, good, "above");
    }

    @Test
    void lengthFieldDisagreeingWithTheCciHeaderClosesTheConnection() throws Exception {
        CciEndpoint e = start();
        TestClient good = connect(e);
        TestClient bad = connect(e);
        // L says 4 payload bytes follow the header, the header says 0
        bad.write(raw(2 + 12 + 4, 8, 0x08, message(0, 3, IDENTIFY, 0, new byte[4])));
        assertClosedAlone(bad, good, "disagrees");
    }

    @Test
    void requestFlaggedAsResponseClosesTheConnection() throws Exception {
        CciEndpoint e = start();
        TestClient good = connect(e);
        TestClient bad = connect(e);
        bad.write(raw(14, 8, 0x08, message(CciHeader.CATEGORY_RESPONSE, 3, IDENTIFY, 0, new byte[0])));
        assertClosedAlone(bad, good, "CCI category 1");
    }

    @Test
    void answersBeforeAMalformedFrameAreStillSent() throws Exception {
        TestClient c = connect(start());
        c.write(concat(frame(8, CciMessage.request(1, IDENTIFY, new byte[0])),
                frame(9, CciMessage.request(2, IDENTIFY, new byte[0])),
                raw(14, 8, 0x08, message(1, 3, IDENTIFY, 0, new byte[0]))));
        assertResponse(c.read(), 8, 1, IDENTIFY, ReturnCode.SUCCESS);
        assertResponse(c.read(), 9, 2, IDENTIFY, ReturnCode.SUCCESS);
        assertThat(c.closedByServer()).isTrue();
        assertThat(closeLine(c).getMessage()).contains("CCI category 1");
    }

    // ---- check 2: drop, keep the connection ------------------------------------------------------------

    @Test
    void unknownEidIsDroppedAndTheConnectionStaysOpen() throws Exception {
        TestClient c = connect(start());
        // EID 10 has no device (two devices: 8 and 9); its body is skipped by length, whatever it holds
        c.write(raw(2 + 12 + 6, 10, 0x08, message(1, 9, IDENTIFY, 999, new byte[6])));
        assertIdentifies(c, 8, 42); // the first answer on the connection is to this request
        LogRecord drop = logs.await("no device at EID 10");
        assertThat(drop.getLevel()).isEqualTo(Level.INFO);
        assertThat(c.isAbout(drop.getMessage())).isTrue();
        assertThat(drop.getMessage()).contains("dropped");
        assertThat(drop.getThrown()).isNull();

        for (int eid : new int[] {0, 7, 255}) {
            c.send(eid, CciMessage.request(1, IDENTIFY, new byte[0]));
        }
        assertIdentifies(c, 9, 43);
        logs.await("no device at EID 0");
        logs.await("no device at EID 7");
        logs.await("no device at EID 255");
    }

    @Test
    void wrongMessageTypeIsDroppedAndTheConnectionStaysOpen() throws Exception {
        TestClient c = connect(start());
        c.write(raw(2 + 12, 8, 0x07, message(0, 1, IDENTIFY, 0, new byte[0])));
        assertIdentifies(c, 8, 2);
        LogRecord drop = logs.await("07h");
        assertThat(drop.getLevel()).isEqualTo(Level.INFO);
    }

    // ---- check 4: 0016h ------------------------------------------------------------------------------------

    @Test
    void oversizedPayloadIsAnswered0016hAndTheConnectionContinues() throws Exception {
        TestClient c = connect(start());
        int limit = devices.get(0).mctp().maxMessageSize();
        byte[] big = new byte[limit + 1];
        java.util.Arrays.fill(big, (byte) 0x08); // looks like frames, must be skipped all the same
        c.send(8, CciMessage.request(11, TRANSFER_FW, big));
        assertResponse(c.read(), 8, 11, TRANSFER_FW, ReturnCode.INVALID_PAYLOAD_LENGTH);
        assertIdentifies(c, 8, 12);

        // much larger than the read buffer, to an unknown opcode: 0003h comes first
        Opcode unknown = Opcode.of(0xABCD);
        c.send(9, CciMessage.request(13, unknown, new byte[200_000]));
        Reply r = c.read();
        assertResponse(r, 9, 13, unknown, ReturnCode.UNSUPPORTED);
        assertThat(r.message().payload()).isEmpty();
        assertIdentifies(c, 9, 14);
    }

    // ---- order, concurrency ----------------------------------------------------------------------------

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        TestClient c = connect(start());
        int n = 50;
        byte[][] frames = new byte[n][];
        for (int i = 0; i < n; i++) {
            frames[i] = frame(8 + i % 2, CciMessage.request(i, i % 3 == 0 ? GET_FW_INFO : IDENTIFY, new byte[0]));
        }
        c.write(concat(frames));
        for (int i = 0; i < n; i++) {
            Reply r = c.read();
            int eid = 8 + i % 2;
            if (i % 3 == 0) {
                assertResponse(r, eid, i, GET_FW_INFO, ReturnCode.SUCCESS);
            } else {
                assertResponse(r, eid, i, IDENTIFY, ReturnCode.SUCCESS);
                assertThat(Identify.decode(ByteBuffer.wrap(r.message().payload())).serialNumber())
                        .isEqualTo(SERIALS[eid - 8]);
            }
        }
    }

    @Test
    void dropsAndRejectionsKeepTheOrderOfTheOtherAnswers() throws Exception {
        TestClient c = connect(start());
        int limit = devices.get(1).mctp().maxMessageSize();
        c.write(concat(
                frame(8, CciMessage.request(1, IDENTIFY, new byte[0])),
                frame(33, CciMessage.request(2, IDENTIFY, new byte[0])), // dropped
                frame(9, CciMessage.request(3, TRANSFER_FW, new byte[limit + 100])), // 0016h
                frame(9, CciMessage.request(4, GET_FW_INFO, new byte[0]))));
        assertResponse(c.read(), 8, 1, IDENTIFY, ReturnCode.SUCCESS);
        assertResponse(c.read(), 9, 3, TRANSFER_FW, ReturnCode.INVALID_PAYLOAD_LENGTH);
        assertResponse(c.read(), 9, 4, GET_FW_INFO, ReturnCode.SUCCESS);
    }

    @Test
    void hundredConcurrentConnectionsAllGetTheirAnswers() throws Exception {
        CciEndpoint e = start();
        int connections = 100;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < connections; k++) {
                int id = k;
                done.add(pool.submit(() -> {
                    try (TestClient c = TestClient.tcp(e.port())) {
                        go.await();
                        for (int i = 0; i < 6; i++) {
                            int eid = 8 + (id + i) % 2;
                            int tag = (id * 7 + i) & 0xFF;
                            if (i % 2 == 0) {
                                assertIdentifies(c, eid, tag);
                            } else {
                                assertResponse(c.call(eid, tag, GET_FW_INFO), eid, tag, GET_FW_INFO,
                                        ReturnCode.SUCCESS);
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(logs.matching(r -> r.getLevel().intValue() >= Level.WARNING.intValue())).isEmpty();
    }

    @Test
    void aClientThatDoesNotReadItsAnswersHoldsUpNoOtherConnection() throws Exception {
        CciEndpoint e = start();
        TestClient good = connect(e);
        Socket hog = new Socket(InetAddress.getLoopbackAddress(), e.port());
        byte[] burst = concat(IntStream.range(0, 4096)
                .mapToObj(i -> frame(8, CciMessage.request(i & 0xFF, GET_FW_INFO, new byte[0])))
                .toArray(byte[][]::new));
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 256; i++) { // 18 MB of requests, ~100 MB of answers nobody reads
                    hog.getOutputStream().write(burst);
                }
            } catch (IOException expected) {
                // the test closes the socket under the blocked write
            }
        });
        writer.start();
        for (int i = 0; i < 20; i++) {
            assertIdentifies(good, 8 + i % 2, i);
        }
        hog.close();
        writer.join(10_000);
        assertThat(writer.isAlive()).isFalse();
        String hogPeer = "from 127.0.0.1:" + hog.getLocalPort() + " closed";
        LogRecord line = logs.await(hogPeer);
        assertThat(line.getThrown()).isNull();
        assertIdentifies(good, 9, 99);
    }

    // the connection limit, stalled frames and eviction: CciEndpointSlowClientsTest

    // ---- disconnects and close -------------------------------------------------------------------------

    @Test
    void aClientLeavingMidFrameIsLoggedAtDebugLevel() throws Exception {
        CciEndpoint e = start();
        TestClient c = connect(e);
        byte[] f = frame(8, CciMessage.request(1, IDENTIFY, new byte[0]));
        c.write(java.util.Arrays.copyOf(f, 9));
        c.close();
        LogRecord line = closeLine(c);
        assertThat(line.getLevel()).isEqualTo(Level.FINE);
        assertThat(line.getMessage()).contains("in the middle of a frame");
        assertIdentifies(connect(e), 8, 2);
    }

    @Test
    void closeEndsConnectionsAndStopsListening() throws Exception {
        CciEndpoint e = start();
        TestClient c = connect(e);
        assertIdentifies(c, 8, 1);
        assertThat(e.close(Duration.ofSeconds(10))).isTrue();
        assertThat(e.isClosed()).isTrue();
        assertThat(c.closedByServer()).isTrue();
        assertThat(closeLine(c).getMessage()).contains("the endpoint is closing");
        assertThat(e.activeConnections()).isZero();
        assertThatThrownBy(() -> TestClient.tcp(e.port()).close()).isInstanceOf(ConnectException.class);
        assertThat(e.close(Duration.ofSeconds(1))).as("idempotent").isTrue();
    }

    @Test
    void connectionThreadsAreNamedDaemons() throws Exception {
        CciEndpoint e = start();
        TestClient c = connect(e);
        assertIdentifies(c, 8, 1);
        String number = logs.await(r -> c.isAbout(r.getMessage()) && r.getMessage().contains("accepted"),
                Duration.ofSeconds(10)).getMessage().replaceAll(".*connection (\\d+) .*", "$1");
        Thread t = Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().equals("cxlkit-cci-" + number)).findFirst().orElseThrow();
        assertThat(t.isDaemon()).isTrue();
    }

    // ---- Unix domain socket ----------------------------------------------------------------------------

    @Test
    void unixDomainSocketListenerServesAndRemovesItsFile() throws Exception {
        Path path = tmp.resolve("cci.sock");
        CciEndpoint e = CciEndpoint.start(UnixDomainSocketAddress.of(path), devices, 8, logs.logger());
        endpoints.add(e);
        assertThat(e.url()).isEqualTo("unix:" + path);
        assertThat(e.port()).isEqualTo(-1);
        try (TestClient c = TestClient.unix(path)) {
            assertIdentifies(c, 8, 1);
            assertIdentifies(c, 9, 2);
            c.write(raw(14, 8, 0x08, message(1, 3, IDENTIFY, 0, new byte[0])));
            assertThat(c.closedByServer()).isTrue();
        }
        logs.await("closed: CCI category 1");
        e.close();
        assertThat(path).doesNotExist();
    }

    @Test
    void aStaleUnixSocketFileIsReplacedButALiveOneIsNot() throws Exception {
        Path path = tmp.resolve("stale.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists(); // nobody listens there any more
        CciEndpoint e = CciEndpoint.start(UnixDomainSocketAddress.of(path), devices, 8, logs.logger());
        endpoints.add(e);
        try (TestClient c = TestClient.unix(path)) {
            assertIdentifies(c, 9, 1);
        }

        assertThatThrownBy(() -> CciEndpoint.start(UnixDomainSocketAddress.of(path), devices, 8, logs.logger()))
                .isInstanceOf(BindException.class);
        try (TestClient c = TestClient.unix(path)) {
            assertIdentifies(c, 8, 2); // the live listener is untouched
        }
        Path regular = Files.writeString(tmp.resolve("regular"), "x");
        assertThatThrownBy(() -> CciEndpoint.start(UnixDomainSocketAddress.of(regular), devices, 8, logs.logger()))
                .isInstanceOf(BindException.class);
        assertThat(regular).hasContent("x");
    }

    // ---- arguments -------------------------------------------------------------------------------------

    @Test
    void aListenerServesAtMost247Devices() {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        assertThatThrownBy(() -> CciEndpoint.start(any, Collections.nCopies(248, devices.get(0)), 4, logs.logger()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("247");
        assertThatThrownBy(() -> CciEndpoint.start(any, devices, 0, logs.logger()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLast247thDeviceAnswersAtEid254() throws Exception {
        List<CxlDevice> many = new ArrayList<>(Collections.nCopies(246, devices.get(0)));
        many.add(devices.get(1));
        CciEndpoint e = CciEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), many, 4,
                logs.logger());
        endpoints.add(e);
        TestClient c = connect(e);
        Reply r = c.call(254, 1, IDENTIFY);
        assertResponse(r, 254, 1, IDENTIFY, ReturnCode.SUCCESS);
        assertThat(Identify.decode(ByteBuffer.wrap(r.message().payload())).serialNumber()).isEqualTo(SERIALS[1]);
        c.send(255, CciMessage.request(2, IDENTIFY, new byte[0]));
        assertResponse(c.call(253, 3, IDENTIFY), 253, 3, IDENTIFY, ReturnCode.SUCCESS);
    }

    @Test
    void sliceGivesListenerKItsDevices() {
        List<Integer> all = IntStream.range(0, 1000).boxed().toList();
        assertThat(CciEndpoint.slice(all, 0)).hasSize(247).startsWith(0).endsWith(246);
        assertThat(CciEndpoint.slice(all, 3)).hasSize(247).startsWith(741).endsWith(987);
        assertThat(CciEndpoint.slice(all, 4)).containsExactly(988, 989, 990, 991, 992, 993, 994, 995, 996, 997,
                998, 999);
        assertThat(CciEndpoint.slice(all, 5)).isEmpty();
    }
}
