package io.cxlkit.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A response on its way out: the head, then the body with a fixed length or in chunks, written to
 * the socket in blocking mode. Small writes are gathered and go out on flush, when the buffer fills,
 * or at the end, so a short answer leaves in one write together with its head.
 */
final class ResponseBody extends OutputStream {

    private static final int BUFFER = 16 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    /** A body the closing of the connection ends (HTTP/1.0 has no chunks). */
    static final long UNTIL_CLOSE = -2;

    private final HttpConnection connection;
    /** -1 no body; 0 chunked; {@link #UNTIL_CLOSE}; above 0 that many bytes. */
    private final long length;
    /** For a HEAD request the body is counted but not sent. */
    private final boolean discard;
    /** The head, until it has been sent with the first bytes. */
    private ByteBuffer head;
    private final ByteBuffer body = ByteBuffer.allocate(BUFFER);
    private long written;
    private boolean closed;

    ResponseBody(HttpConnection connection, byte[] head, long length, boolean discard) {
        this.connection = connection;
        this.head = ByteBuffer.wrap(head);
        this.length = length;
        this.discard = discard;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the response is complete");
        }
        if (len == 0) {
            return;
        }
        if (length == -1) {
            throw new IOException("this response has no body");
        }
        if (length > 0 && written + len > length) {
            throw new IOException("more than the " + length + " bytes the response announced");
        }
        written += len;
        if (discard) {
            return;
        }
        if (len <= body.remaining()) {
            body.put(b, off, len);
            return;
        }
        // too big for what is left of the buffer: the buffer, then these bytes, in one gathering write
        List<ByteBuffer> parts = pending(false);
        addBody(parts, ByteBuffer.wrap(b, off, len));
        send(parts);
    }

    @Override
    public void flush() throws IOException {
        if (!closed) {
            send(pending(false));
        }
    }

    /** Ends the response: what is buffered, and the last chunk of a chunked one. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        send(pending(length == 0 && !discard));
        if (length > 0 && written < length) {
            connection.broken = true; // the client would wait for bytes that never come
            throw new IOException("the response ended after " + written + " of " + length + " bytes");
        }
    }

    /** The head (until sent), the buffered body bytes (framed), and the last chunk if asked; the buffer is emptied. */
    private List<ByteBuffer> pending(boolean lastChunk) {
        List<ByteBuffer> parts = new ArrayList<>(6);
        if (head != null) {
            parts.add(head);
            head = null;
        }
        if (body.position() > 0) {
            addBody(parts, ByteBuffer.wrap(body.array(), 0, body.position()).duplicate());
            body.clear();
        }
        if (lastChunk) {
            parts.add(ByteBuffer.wrap(LAST_CHUNK));
        }
        return parts;
    }

    private void addBody(List<ByteBuffer> parts, ByteBuffer data) {
        if (length == 0) {
            parts.add(ByteBuffer.wrap((Integer.toHexString(data.remaining()) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            parts.add(data);
            parts.add(ByteBuffer.wrap(CRLF));
        } else {
            parts.add(data);
        }
    }

    private void send(List<ByteBuffer> parts) throws IOException {
        if (parts.isEmpty()) {
            return;
        }
        ByteBuffer[] array = parts.toArray(ByteBuffer[]::new);
        long left = 0;
        for (ByteBuffer p : array) {
            left += p.remaining();
        }
        try {
            // the I/O thread closes a connection whose client takes none of this for the body's idle bound
            connection.writingSince = System.nanoTime();
            while (left > 0) {
                long n = connection.channel.write(array);
                left -= n;
                if (n > 0) {
                    connection.writingSince = System.nanoTime();
                }
            }
        } catch (IOException e) {
            connection.broken = true;
            throw e;
        } finally {
            connection.writingSince = 0;
        }
    }
}
