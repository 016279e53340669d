package io.cxlkit.bench;

import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.frame.FrameEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Get FW Info round trips per second over the CCI socket endpoint, from C connections for a fixed
 * time, against a raw TCP echo server that answers the same byte counts (a request frame in, a
 * response-sized frame out): what the network path alone allows.
 */
final class RoundTrips {
    private RoundTrips() {
    }

    static final byte[] REQUEST = FrameEncoder.encode(8, CciMessage.request(0, CommandId.GET_FW_INFO.opcode(), new byte[0]));
    /** 4 + 2 + 12 + 80: a Get FW Info answer. */
    static final int RESPONSE_LENGTH = 98;

    /** Round trips per second with {@code eids.get(i % size)} per connection i. */
    static double measure(String host, int port, List<Integer> eids, int connections, long millis) throws Exception {
        AtomicLong count = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long end = System.nanoTime() + millis * 1_000_000;
        List<Exception> failures = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int eid = eids.get(c % eids.size());
            Thread t = new Thread(() -> {
                try (Socket s = new Socket(host, port)) {
                    s.setTcpNoDelay(true);
                    byte[] req = FrameEncoder.encode(eid, CciMessage.request(0, CommandId.GET_FW_INFO.opcode(),
                            new byte[0]));
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    byte[] resp = new byte[RESPONSE_LENGTH];
                    long n = 0;
                    while (System.nanoTime() < end) {
                        out.write(req);
                        readFully(in, resp);
                        n++;
                    }
                    count.addAndGet(n);
                } catch (IOException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return count.get() / (millis / 1000.0);
    }

    private static void readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                throw new IOException("closed");
            }
            off += n;
        }
    }

    /** A thread-per-connection echo server answering each 18-byte request with 98 bytes. */
    static final class EchoServer implements AutoCloseable {
        private final ServerSocket server;
        private final Thread acceptor;

        EchoServer() throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            acceptor = new Thread(this::accept, "echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    Thread t = new Thread(() -> serve(s), "echo");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            byte[] req = new byte[REQUEST.length];
            byte[] resp = new byte[RESPONSE_LENGTH];
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    readFully(in, req);
                    out.write(resp);
                }
            } catch (IOException e) {
                // client gone
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
