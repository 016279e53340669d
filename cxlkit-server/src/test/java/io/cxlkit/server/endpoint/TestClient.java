package io.cxlkit.server.endpoint;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.Opcode;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A blocking test client of the socket endpoint that parses the frames it reads by hand (independently of
 * the protocol's decoder). TCP reads time out after {@link #READ_TIMEOUT_MS}; Unix reads rely on the test's
 * {@code @Timeout} (interrupting a thread blocked on a channel closes it).
 */
final class TestClient implements Closeable {

    static final int READ_TIMEOUT_MS = 10_000;

    /** One frame read back: the source EID, the MCTP message type and the CCI message. */
    record Reply(int eid, int type, CciMessage message) {
        int tag() {
            return message.tag();
        }

        int returnCode() {
            return message.returnCode();
        }
    }

    private final Socket socket;
    private final SocketChannel channel;
    private final DataInputStream in;
    private final OutputStream out;

    private TestClient(Socket socket, SocketChannel channel, InputStream in, OutputStream out) {
        this.socket = socket;
        this.channel = channel;
        this.in = new DataInputStream(in);
        this.out = out;
    }

    static TestClient tcp(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            return new TestClient(s, null, s.getInputStream(), s.getOutputStream());
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    static TestClient unix(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
        return new TestClient(null, ch, Channels.newInputStream(ch), Channels.newOutputStream(ch));
    }

    /** The client's TCP port, which the server's log lines name ("from 127.0.0.1:PORT"). */
    int localPort() {
        return socket.getLocalPort();
    }

    /** True when a server log line is about this connection ("... from 127.0.0.1:PORT closed ..."). */
    boolean isAbout(String logLine) {
        String from = "from 127.0.0.1:" + localPort();
        int at = logLine.indexOf(from);
        if (at < 0) {
            return false;
        }
        int end = at + from.length();
        return end == logLine.length() || !Character.isDigit(logLine.charAt(end));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(int eid, CciMessage request) throws IOException {
        write(frame(eid, request));
    }

    /** Sends a request and reads the next frame. */
    Reply call(int eid, int tag, Opcode opcode, byte[] payload) throws IOException {
        send(eid, CciMessage.request(tag, opcode, payload));
        return read();
    }

    Reply call(int eid, int tag, Opcode opcode) throws IOException {
        return call(eid, tag, opcode, new byte[0]);
    }

    /** Reads one whole frame; EOFException when the server closed the connection at a frame boundary. */
    Reply read() throws IOException {
        byte[] lengthField = new byte[4];
        in.readFully(lengthField);
        long length = ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (length < 14 || length > 2 + 12 + CciHeader.MAX_PAYLOAD_LENGTH) {
            throw new IOException("bad frame length from the server: " + length);
        }
        byte[] rest = new byte[(int) length];
        in.readFully(rest);
        byte[] message = new byte[rest.length - 2];
        System.arraycopy(rest, 2, message, 0, message.length);
        return new Reply(rest[0] & 0xFF, rest[1] & 0xFF, CciMessage.decode(message));
    }

    /**
     * True when the server has closed the connection: the next read sees the end of the stream (or a reset,
     * which a close with unread input causes). Fails the read with a timeout if the connection stays open.
     */
    boolean closedByServer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("expected the server to close the connection, read byte " + b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // connection reset
        } catch (EOFException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        } else {
            channel.close();
        }
    }

    // ---- frames ----------------------------------------------------------------------------------------

    /** A well-formed request frame: L, EID, 08h, the CCI message. */
    static byte[] frame(int eid, CciMessage message) {
        return raw(2 + message.encodedLength(), eid, 0x08, message.encode());
    }

    /** A frame with whatever length field, EID, type and body the test wants. */
    static byte[] raw(long length, int eid, int type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(6 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) length);
        b.put((byte) eid);
        b.put((byte) type);
        b.put(body);
        return b.array();
    }

    /** A CCI header with any category, tag, opcode and stated payload length, followed by {@code payload}. */
    static byte[] message(int category, int tag, Opcode opcode, int statedLength, byte[] payload) {
        byte[] header = new CciHeader(category, tag, opcode, statedLength, false, 0, 0).encode();
        byte[] all = new byte[header.length + payload.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(payload, 0, all, header.length, payload.length);
        return all;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
