package io.cxlkit.server.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection of the control API and where it is: sending a request head (read by the
 * server's I/O thread, without blocking anyone), in an exchange (on a handler thread, blocking
 * reads with the body's idle bound), or idle between two requests. The buffer holds bytes read but
 * not yet used (unread bytes between position and limit), in every phase.
 */
final class HttpConnection {

    enum Phase { HEAD, EXCHANGE, IDLE }

    private static final int INITIAL_BUFFER = 8 * 1024;

    final SocketChannel channel;
    final int number;
    final String peer;
    ByteBuffer buf = ByteBuffer.allocate(INITIAL_BUFFER).flip();
    /** Written by the server's I/O thread, and read by it; volatile for the tests' sake. */
    volatile Phase phase = Phase.HEAD;
    /** System.nanoTime() by which the current head must be complete, or the idle connection closes. */
    long deadline;
    /** System.nanoTime() since the connection waits (accepted, a head's bytes, back from an exchange), for choosing whom to evict. */
    volatile long lastActivity;
    SelectionKey key;
    /** A complete head waiting for a handler thread (the I/O thread's, between parse and hand-off). */
    RequestHead pendingHead;
    /** Closed, or to be closed: a stalled body, a broken write, a refused head. */
    volatile boolean broken;
    /** System.nanoTime() since a blocking write has waited without progress; 0 when not writing. */
    volatile long writingSince;
    /** How far the current head has been searched for its end without finding it (from the buffer's position). */
    int scanned;
    private final java.util.concurrent.atomic.AtomicBoolean closedByServer = new java.util.concurrent.atomic.AtomicBoolean();

    HttpConnection(SocketChannel channel, int number) {
        this.channel = channel;
        this.number = number;
        this.peer = describe(channel);
        this.lastActivity = System.nanoTime();
    }

    private static String describe(SocketChannel ch) {
        try {
            SocketAddress a = ch.getRemoteAddress();
            return a instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                    : String.valueOf(a);
        } catch (IOException e) {
            return "a client";
        }
    }

    /**
     * Reads what has arrived behind the unread bytes, keeping the buffer in read mode. Unread bytes
     * move to the front only when the tail is full, and the buffer grows up to the head limit.
     *
     * @return the bytes read, -1 at end of stream
     */
    int readMore() throws IOException {
        if (buf.limit() == buf.capacity()) {
            if (buf.position() == 0 && buf.capacity() < HttpLimits.MAX_HEAD_BYTES) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.min(buf.capacity() * 2, HttpLimits.MAX_HEAD_BYTES));
                bigger.put(buf).flip();
                buf = bigger;
            } else {
                buf.compact().flip();
            }
        }
        int start = buf.position();
        buf.position(buf.limit()).limit(buf.capacity());
        try {
            return channel.read(buf);
        } finally {
            buf.limit(buf.position()).position(start);
        }
    }

    /** True for the first caller only: who closes a connection for a reason says it once. */
    boolean claimClose() {
        return closedByServer.compareAndSet(false, true);
    }

    void close() {
        broken = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "connection " + number + " from " + peer;
    }
}
