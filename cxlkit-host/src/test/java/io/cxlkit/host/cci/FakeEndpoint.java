package io.cxlkit.host.cci;

import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.frame.EndpointLimits;
import io.cxlkit.protocol.frame.FrameDecoder;
import io.cxlkit.protocol.frame.FrameEncoder;
import io.cxlkit.protocol.frame.FrameEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tiny CCI socket endpoint for tests (wire.md §1): accepts connections one after another on
 * 127.0.0.1:0 (or a Unix socket), decodes request frames, records them, and writes whatever the
 * {@link Responder} returns. Never a real server: the responder decides everything.
 */
public final class FakeEndpoint implements AutoCloseable {

    /** One received request frame. */
    public record Request(int eid, CciMessage message) {
    }

    /** What to do with a request. */
    @FunctionalInterface
    public interface Responder {
        /**
         * The frames to write back (possibly none, possibly several, possibly not for this
         * request), or null to close the connection without answering.
         */
        List<byte[]> answer(Request request) throws Exception;
    }

    /** The usual answer: one frame to the requester's EID echoing tag and opcode. */
    public static List<byte[]> reply(Request r, int returnCode, byte[] payload) {
        return List.of(FrameEncoder.encode(r.eid(),
                CciMessage.response(r.message().tag(), r.message().opcode(), returnCode, payload)));
    }

    private final ServerSocketChannel server;
    private final CciAddress address;
    private final Thread thread;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<SocketChannel> clients = Collections.synchronizedList(new ArrayList<>());
    private volatile Responder responder;
    /** Write each answer in slices of this many bytes (to exercise the client's reassembly). */
    private volatile int writeSlice = Integer.MAX_VALUE;

    private FakeEndpoint(ServerSocketChannel server, CciAddress address, Responder responder) {
        this.server = server;
        this.address = address;
        this.responder = responder;
        this.thread = new Thread(this::acceptLoop, "fake-cci-endpoint");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public static FakeEndpoint tcp(Responder responder) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
        return new FakeEndpoint(s, CciAddress.parse("tcp:127.0.0.1:" + port), responder);
    }

    public static FakeEndpoint unix(Path socket, Responder responder) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        return new FakeEndpoint(s, CciAddress.parse("unix:" + socket), responder);
    }

    public CciAddress address() {
        return address;
    }

    public FakeEndpoint responder(Responder r) {
        this.responder = r;
        return this;
    }

    public FakeEndpoint writeSlice(int bytes) {
        this.writeSlice = bytes;
        return this;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                clients.add(ch);
                serve(ch);
            } catch (IOException e) {
                // closed, or the client went away: take the next connection
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) throws IOException, InterruptedException {
        FrameDecoder decoder = FrameDecoder.forRequests(EndpointLimits.acceptAll());
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try (ch) {
            while (true) {
                buf.clear();
                if (ch.read(buf) < 0) {
                    return;
                }
                buf.flip();
                decoder.feed(buf);
                for (FrameEvent e : decoder.drain()) {
                    if (!(e instanceof FrameEvent.Frame f)) {
                        return; // a client that sends garbage is closed
                    }
                    Request r = new Request(f.eid(), f.message());
                    requests.add(r);
                    List<byte[]> out;
                    try {
                        out = responder.answer(r);
                    } catch (InterruptedException ie) {
                        throw ie;
                    } catch (Exception ex) {
                        throw new IOException(ex);
                    }
                    if (out == null) {
                        return;
                    }
                    for (byte[] frame : out) {
                        write(ch, frame);
                    }
                }
            }
        }
    }

    private void write(SocketChannel ch, byte[] frame) throws IOException, InterruptedException {
        int slice = writeSlice;
        for (int at = 0; at < frame.length; at += slice) {
            ByteBuffer b = ByteBuffer.wrap(frame, at, Math.min(slice, frame.length - at));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (slice < frame.length) {
                Thread.sleep(1);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (clients) {
            for (SocketChannel c : clients) {
                c.close();
            }
        }
        thread.interrupt();
    }
}
