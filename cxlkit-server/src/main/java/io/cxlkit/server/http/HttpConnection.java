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
    /** System.nanoTime() of the last bytes read or written, for choosing whom to evict. */
    volatile long lastActivity;
    SelectionKey key;
    /** A complete head waiting for a handler thread (the I/O thread's, between parse and hand-off). */
    RequestHead pendingHead;
    /** Closed, or to be closed: a stalled body, a broken write, a refused head. */
    volatile boolean broken;

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

    /** Room for more head bytes: the unread ones are moved to the front, and the buffer grows up to the head limit. */
    void makeRoom() {
        if (buf.position() == 0 && buf.limit() == buf.capacity() && buf.capacity() < HttpLimits.MAX_HEAD_BYTES) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(buf.capacity() * 2, HttpLimits.MAX_HEAD_BYTES));
            bigger.put(buf).flip();
            buf = bigger;
        }
        buf.compact();
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
