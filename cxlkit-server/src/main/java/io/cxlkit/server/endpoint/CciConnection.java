package io.cxlkit.server.endpoint;

import io.cxlkit.device.mctp.MctpCci;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.frame.FrameDecoder;
import io.cxlkit.protocol.frame.FrameEncoder;
import io.cxlkit.protocol.frame.FrameEvent;
import io.cxlkit.protocol.frame.FrameFormat;
import io.cxlkit.protocol.frame.MctpMessageType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection of a {@link CciEndpoint}, served by its own thread: read what has arrived, decode
 * it, answer every complete request in order, send the answers, repeat.
 *
 * <p>Buffers: one direct read buffer and one direct write buffer per connection, reused for its whole
 * life. The answers to the requests of one read are collected in the write buffer and sent with one
 * write (a pipelining client gets them in a few writes instead of one each; a request-response client gets
 * each answer as soon as it is ready, in a single write of head and payload). An answer too big for the
 * write buffer goes out as one gathering write of its 18-byte head and its payload array, without a copy.
 *
 * <p>What other threads may do to it: the connection publishes its {@link Phase} and the time it last
 * finished with the client's bytes, and its thread moves between the phases under the connection's monitor.
 * The listener's {@link StallWatchdog} closes it while it waits for the rest of a frame longer than the stall
 * timeout ({@link #closeIfStalled}); the {@link ConnectionLimit} evicts it while it waits at a frame
 * boundary ({@link #evict}). Each of them decides under the monitor, so a connection whose bytes have just
 * arrived ({@link Phase#BUSY}) is never closed under its command, and the thread, finding its connection
 * closed when its read returns, gives up without touching the bytes.
 */
final class CciConnection implements Runnable {

    /** Read buffer size: many pipelined small requests, or a good part of a large Transfer FW. */
    static final int READ_BUFFER_SIZE = 16 * 1024;
    /** Write buffer size; larger answers are written from their payload array. */
    static final int WRITE_BUFFER_SIZE = 16 * 1024;

    private final CciEndpoint endpoint;
    private final int number;
    private final SocketChannel channel;
    private final String name;
    private final Logger log;
    private Thread thread;

    /** Where the connection's thread is, as far as other threads care. */
    private enum Phase {
        /** Waiting at a frame boundary: may be evicted. */
        WAITING,
        /** Waiting for the rest of a frame: closed once that takes longer than the stall timeout. */
        PARTIAL,
        /** Decoding, running commands: left alone (but by the endpoint's close). */
        BUSY,
        /** Blocked writing answers: closed once the client takes none of them for longer than the stall timeout. */
        WRITING,
        /** Closed by another thread, or ending: nothing more may happen to it. */
        CLOSED
    }

    /** Guarded by this; so are the fields down to {@link #endReason}. */
    private Phase phase = Phase.WAITING;
    /** System.nanoTime() when the connection began waiting (accepted, or done with the last bytes read). */
    private long waitingSince = System.nanoTime();
    /** How far the frame in progress got, while {@link Phase#PARTIAL}: for the stall's log line. */
    private long partialReceived;
    private long partialSize;
    /** Why the connection ended and how loudly to say so; set once (by whoever closes it), logged once. */
    private Level endLevel = Level.FINE;
    private String endReason;

    private ByteBuffer in;
    private ByteBuffer out;
    private ByteBuffer head;

    CciConnection(CciEndpoint endpoint, int number, SocketChannel channel, String peer) {
        this.endpoint = endpoint;
        this.number = number;
        this.channel = channel;
        this.name = "connection " + number + (peer == null ? "" : " from " + peer);
        this.log = endpoint.log();
    }

    String name() {
        return name;
    }

    void attach(Thread t) {
        this.thread = t;
    }

    Thread thread() {
        return thread;
    }

    /**
     * Closes the channel, so a blocked read or write of the thread fails at once: by {@link CciEndpoint#close()},
     * and after {@link #evict} or a stall. The thread then logs the reason and stops counting.
     */
    void shutdown() {
        CciEndpoint.closeQuietly(channel);
    }

    @Override
    public void run() {
        try {
            in = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
            out = ByteBuffer.allocateDirect(WRITE_BUFFER_SIZE);
            head = ByteBuffer.allocateDirect(FrameFormat.HEAD_SIZE);
            serve();
        } catch (ClosedChannelException e) {
            // includes AsynchronousCloseException: close() closed the channel under a blocked read or write
            end(Level.FINE, endpoint.closing() ? "closed: the endpoint is closing" : "closed");
        } catch (IOException e) {
            // the client reset the connection, or a write failed: this connection only
            end(Level.FINE, "closed: I/O error: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            // a bug of ours, not the client's: say where, keep the other connections going
            log.log(Level.SEVERE, endpoint.label() + ": " + name + " failed", e);
            end(Level.SEVERE, "closed after an internal error: " + e);
        } finally {
            Level level;
            String reason;
            synchronized (this) {
                phase = Phase.CLOSED; // neither evicted nor stalled out any more
                level = endLevel;
                reason = endReason == null ? "closed" : endReason;
            }
            CciEndpoint.closeQuietly(channel);
            endpoint.ended(this);
            if (log.isLoggable(level)) {
                log.log(level, endpoint.label() + ": " + name + " " + reason);
            }
        }
    }

    private synchronized void end(Level level, String reason) {
        if (endReason == null) {
            endLevel = level;
            endReason = reason;
        }
    }

    // ---- what other threads may do (under this connection's monitor) ---------------------------------

    /** Bytes arrived: from here until {@link #waitFor} nobody but the endpoint's close ends the connection. */
    private synchronized boolean startWork() {
        if (phase == Phase.CLOSED) {
            return false; // evicted or stalled out while the bytes were arriving: the closer's reason stands
        }
        phase = Phase.BUSY;
        return true;
    }

    /** Done with the bytes read: wait at a frame boundary, or for the rest of a frame. */
    private synchronized void waitFor(FrameDecoder decoder) {
        waitingSince = System.nanoTime();
        if (decoder.isIdle()) {
            phase = Phase.WAITING;
        } else {
            phase = Phase.PARTIAL;
            partialReceived = decoder.frameBytesReceived();
            partialSize = decoder.frameSize();
        }
    }

    /** About to write answers, which blocks while the client takes none: the stall watchdog watches it. */
    private synchronized void writing() {
        if (phase == Phase.BUSY) {
            phase = Phase.WRITING;
            waitingSince = System.nanoTime();
        }
    }

    /** The write went out. */
    private synchronized void written() {
        if (phase == Phase.WRITING) {
            phase = Phase.BUSY;
        }
    }

    /**
     * The stall watchdog's look at {@code now}: closes the connection (one WARNING line) if it has waited for
     * the rest of a frame, or for the client to take its answers, for {@code stallNanos} or more. Returns how long until it would, or
     * {@link Long#MAX_VALUE} when no frame is waiting (or the connection was closed now or before).
     */
    long closeIfStalled(long now, long stallNanos) {
        synchronized (this) {
            if (phase != Phase.PARTIAL && phase != Phase.WRITING) {
                return Long.MAX_VALUE;
            }
            long waited = now - waitingSince;
            if (waited < stallNanos) {
                return stallNanos - waited;
            }
            end(Level.WARNING, phase == Phase.WRITING
                    ? "closed: it took none of its answers for " + duration(stallNanos)
                    : "closed: a frame stalled for " + duration(stallNanos) + " ("
                    + (partialSize < 0 ? partialReceived + " bytes, its length not yet complete"
                    : partialReceived + " of " + partialSize + " bytes") + ")");
            phase = Phase.CLOSED;
        }
        shutdown(); // outside the monitor: close waits for the thread to leave its read
        return Long.MAX_VALUE;
    }

    /** How long the connection has waited at a frame boundary at {@code now}, or -1 when it is not. */
    synchronized long idleNanos(long now) {
        return phase == Phase.WAITING ? Math.max(0, now - waitingSince) : -1;
    }

    /**
     * Marks the connection closed to make room for a newcomer, if it still waits at a frame boundary (one INFO
     * line, by its thread); false if bytes have arrived since {@link #idleNanos}. The caller then calls
     * {@link #shutdown()}, outside its own locks.
     */
    synchronized boolean evict(long now) {
        if (phase != Phase.WAITING) {
            return false;
        }
        phase = Phase.CLOSED;
        end(Level.INFO, "closed: idle for " + duration(now - waitingSince)
                + ", evicted to make room for a new connection");
        return true;
    }

    /** For log lines: "300 ms", "5 s", "1.5 s", "42 s". */
    static String duration(long nanos) {
        long ms = nanos / 1_000_000;
        if (ms < 1) {
            return "<1 ms";
        }
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms % 1000 == 0 || ms >= 10_000) {
            return ms / 1000 + " s";
        }
        return ms / 1000 + "." + ms % 1000 / 100 + " s";
    }

    private void serve() throws IOException {
        FrameDecoder decoder = FrameDecoder.forRequests(endpoint.limits());
        while (true) {
            in.clear();
            if (channel.read(in) < 0) {
                end(Level.FINE, decoder.isIdle() ? "closed by the client"
                        : "closed by the client in the middle of a frame");
                return;
            }
            if (!startWork()) {
                return;
            }
            in.flip();
            decoder.feed(in);
            for (FrameEvent event = decoder.next().orElse(null); event != null;
                 event = decoder.next().orElse(null)) {
                if (event instanceof FrameEvent.Frame frame) {
                    answer(frame.eid(), handle(frame));
                } else if (event instanceof FrameEvent.Oversized oversized) {
                    answer(oversized.eid(), reject(oversized));
                } else if (event instanceof FrameEvent.Dropped dropped) {
                    if (log.isLoggable(Level.INFO)) {
                        log.info(endpoint.label() + ": " + name + ": dropped a frame (L=" + dropped.length()
                                + ", EID " + dropped.eid() + ", type " + MctpMessageType.hex(dropped.messageType())
                                + "): " + dropped.reason());
                    }
                } else if (event instanceof FrameEvent.Close close) {
                    end(Level.WARNING, "closed: " + close.reason());
                    try {
                        flush(); // the answers to the valid frames before it
                    } catch (IOException e) {
                        // the connection is being closed anyway; its reason is the malformed frame
                    }
                    return;
                }
            }
            flush();
            waitFor(decoder);
        }
    }

    private CciMessage handle(FrameEvent.Frame frame) {
        CciMessage request = frame.message();
        MctpCci cci = endpoint.cci(frame.eid());
        try {
            return cci.handle(request);
        } catch (RuntimeException e) {
            // a device bug must not take the connection (or the server) down: answer Internal Error
            log.log(Level.WARNING, endpoint.label() + ": " + name + ": " + CommandId.nameOf(request.opcode())
                    + " at EID " + frame.eid() + " failed in the device; answered Internal Error", e);
            return CciMessage.response(request.tag(), request.opcode(), ReturnCode.INTERNAL_ERROR.value(),
                    new byte[0]);
        }
    }

    private CciMessage reject(FrameEvent.Oversized oversized) {
        int tag = oversized.header().tag();
        MctpCci cci = endpoint.cci(oversized.eid());
        if (log.isLoggable(Level.FINE)) {
            log.fine(endpoint.label() + ": " + name + ": " + CommandId.nameOf(oversized.header().opcode())
                    + " at EID " + oversized.eid() + " with " + oversized.header().payloadLength()
                    + " payload bytes, above the limit of " + cci.maxMessageSize() + "; skipping them");
        }
        try {
            return cci.rejectOversized(tag, oversized.header().opcode(), oversized.header().payloadLength());
        } catch (RuntimeException e) {
            log.log(Level.WARNING, endpoint.label() + ": " + name + ": rejecting an oversized "
                    + oversized.header().opcode() + " failed in the device; answered Invalid Payload Length", e);
            return CciMessage.response(tag, oversized.header().opcode(),
                    ReturnCode.INVALID_PAYLOAD_LENGTH.value(), new byte[0]);
        }
    }

    /** Queues the answer from {@code eid} behind the earlier ones, or sends it at once if it is large. */
    private void answer(int eid, CciMessage response) throws IOException {
        int size = FrameEncoder.frameSize(response);
        if (size > out.remaining()) {
            flush();
        }
        if (size <= out.remaining()) {
            FrameEncoder.encodeTo(eid, response, out);
            return;
        }
        head.clear();
        FrameEncoder.encodeHeadTo(eid, response.header(), head);
        head.flip();
        ByteBuffer[] frame = {head, ByteBuffer.wrap(response.payload())};
        writing();
        while (frame[1].hasRemaining()) {
            channel.write(frame);
        }
        written();
    }

    private void flush() throws IOException {
        out.flip();
        if (out.hasRemaining()) {
            writing();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            written();
        }
        out.clear();
    }
}
