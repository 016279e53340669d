package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.protocol.payload.FwInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and careless clients cannot wedge a real daemon's CCI endpoint: 300 connections that each send the
 * first 6 bytes of a frame and then nothing (more than {@code --max-connections}' 256) keep a well-behaved
 * client out for no longer than the stall timeout, and each of them is closed and logged once.
 * The endpoint's behaviour in detail is covered by cxlkit-server's CciEndpointSlowClientsTest.
 */
class CciStallIT {

    private static final Duration STALL = Duration.ofMillis(300);
    private static final List<String> SERVE_ARGS = List.of("--timing", "instant", "--cci-stall-timeout", "300ms");
    private static final int STALLED = 300;
    /** The first 6 bytes of a frame: length 64 (little-endian), EID 8, message type 08h; the 64 never come. */
    private static final byte[] STALLED_START = {64, 0, 0, 0, 8, 8};
    private static final Pattern PEER = Pattern.compile("from 127\\.0\\.0\\.1:(\\d+)\\b");

    @Test
    void stalledConnectionsKeepAWellBehavedClientOutNoLongerThanTheStallTimeout(@TempDir Path dir)
            throws Exception {
        try (DaemonProcess d = DaemonProcess.start(dir.resolve("state"), SERVE_ARGS.toArray(String[]::new))) {
            CciAddress cci = CciAddress.parse(d.info().cci());
            InetSocketAddress at = (InetSocketAddress) cci.socketAddress();
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < STALLED; i++) {
                    Socket s = new Socket(at.getHostString(), at.getPort());
                    stalled.add(s);
                    s.setSoTimeout(10_000);
                    try {
                        s.getOutputStream().write(STALLED_START);
                    } catch (IOException refusedAlready) {
                        // beyond the limit with every connection mid-frame: its line says so
                    }
                }

                long start = System.nanoTime();
                FwInfo info = servedWithin(cci, Duration.ofSeconds(1));
                assertThat(info.slotsSupported()).isPositive();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

                for (Socket s : stalled) {
                    assertThat(closedByDaemon(s)).as("the daemon closed stalled connection %d", s.getLocalPort())
                            .isTrue();
                }
                Map<Integer, List<String>> lines = awaitEndLines(d, stalled);
                int stalls = 0;
                int unlogged = 0;
                for (Socket s : stalled) {
                    List<String> mine = lines.getOrDefault(s.getLocalPort(), List.of());
                    assertThat(mine).as("lines about stalled connection %d", s.getLocalPort()).hasSizeLessThan(2);
                    if (mine.isEmpty()) {
                        unlogged++; // refused within a second of another refusal: counted in a later line
                        continue;
                    }
                    String line = mine.get(0);
                    if (line.contains("a frame stalled")) {
                        assertThat(line).contains(" warn ")
                                .endsWith("closed: a frame stalled for 300 ms (6 of 68 bytes)");
                        stalls++;
                    } else {
                        // admitted before its 6 bytes were read and evicted for a later one, or refused
                        assertThat(line).containsAnyOf("evicted to make room for a new connection",
                                "refused a connection");
                    }
                }
                assertThat(stalls).as("connections closed for their stalled frame").isPositive();
                if (unlogged > 0) {
                    assertThat(d.log()).as("refusals are logged, a line a second at most").contains("refused a connection");
                }
                assertThat(ControlApiClient.stackTraceLines(d.log())).isEmpty();
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            // the daemon serves on, with room to spare
            try (CciClient client = new CciClient(SocketTransport.connect(cci, 8))) {
                assertThat(client.getFwInfo()).isEqualTo(info(cci));
            }
        }
    }

    /** Get FW Info on a new connection, again and again until it is answered; fails after {@code within}. */
    private static FwInfo servedWithin(CciAddress cci, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try (CciClient client = new CciClient(SocketTransport.connect(cci, 8))) {
                return client.getFwInfo();
            } catch (IOException refused) {
                // every connection was mid-frame: the stalled ones make room once the stall timeout runs out
                if (System.nanoTime() > deadline) {
                    fail("not served within " + within + " (stall timeout " + STALL + "): " + refused);
                }
                Thread.sleep(20); // a retrying client's pace
            }
        }
    }

    private static FwInfo info(CciAddress cci) throws IOException, InterruptedException, CciCommandException {
        try (CciClient client = new CciClient(SocketTransport.connect(cci, 8))) {
            return client.getFwInfo();
        }
    }

    /** True when the daemon has closed the connection (end of stream, or a reset for a refused one). */
    private static boolean closedByDaemon(Socket s) throws IOException {
        try (InputStream in = s.getInputStream()) {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /**
     * The daemon's log lines that end each stalled connection (a close or a refusal), by client port, once
     * every one has its line: a line is written just after its connection closes.
     */
    private static Map<Integer, List<String>> awaitEndLines(DaemonProcess d, List<Socket> stalled)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int lastSeen = -1;
        int quiet = 0;
        while (true) {
            Map<Integer, List<String>> byPort = new HashMap<>();
            for (String line : d.log().split("\n")) {
                Matcher m = PEER.matcher(line);
                if (m.find() && (line.contains(" closed") || line.contains("refused a connection"))) {
                    byPort.computeIfAbsent(Integer.parseInt(m.group(1)), p -> new ArrayList<>()).add(line);
                }
            }
            // every connection is closed already; its line follows its close: done when every one has a
            // line, or when no new line came for a while (a refusal throttled away never gets one)
            int seen = byPort.size();
            quiet = seen == lastSeen ? quiet + 1 : 0;
            lastSeen = seen;
            if (stalled.stream().allMatch(s -> byPort.containsKey(s.getLocalPort())) || quiet >= 10
                    || System.nanoTime() > deadline) {
                return byPort;
            }
            // the log is a file another process writes; there is nothing to wait on but the file
            Thread.sleep(50);
        }
    }
}
