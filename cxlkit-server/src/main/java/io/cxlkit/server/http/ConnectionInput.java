package io.cxlkit.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * The bytes of a connection in an exchange: first what the I/O thread had already read, then the
 * socket in blocking mode, each read waiting at most the body's idle bound. A client that sends
 * nothing for that long is told apart ({@link StalledException}), so the server can say so once
 * and close it. Large reads go straight into the caller's array, without a copy.
 */
final class ConnectionInput extends InputStream {

    /** The client sent nothing for the body's idle bound. */
    static final class StalledException extends IOException {
        StalledException(String message) {
            super(message);
        }
    }

    private final HttpConnection connection;
    private final InputStream socket;
    private final Runnable beforeFirstSocketRead;
    private final Runnable onStall;
    private boolean readFromSocket;

    /**
     * @param beforeFirstSocketRead runs once, before the first bytes are asked of the socket (where
     *                              a {@code 100 Continue} goes out: the client waits for it)
     * @param onStall               runs once when the client stalls (to say so in one log line)
     */
    ConnectionInput(HttpConnection connection, int idleTimeoutMillis, Runnable beforeFirstSocketRead,
                    Runnable onStall) throws IOException {
        this.connection = connection;
        this.beforeFirstSocketRead = beforeFirstSocketRead;
        this.onStall = onStall;
        connection.channel.socket().setSoTimeout(idleTimeoutMillis);
        this.socket = connection.channel.socket().getInputStream();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        ByteBuffer buf = connection.buf;
        if (buf.hasRemaining()) {
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }
        if (len >= buf.capacity()) {
            return fromSocket(b, off, len);
        }
        int n = fromSocket(buf.array(), 0, buf.capacity());
        buf.clear().limit(Math.max(n, 0));
        if (n <= 0) {
            return n;
        }
        int taken = Math.min(len, n);
        buf.get(b, off, taken);
        return taken;
    }

    private int fromSocket(byte[] b, int off, int len) throws IOException {
        if (!readFromSocket) {
            readFromSocket = true;
            beforeFirstSocketRead.run();
        }
        try {
            return socket.read(b, off, len);
        } catch (SocketTimeoutException e) {
            if (!connection.broken) {
                connection.broken = true;
                onStall.run();
            }
            throw new StalledException("the client sent nothing for " + connection.channel.socket().getSoTimeout()
                    + " ms");
        }
    }
}
