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

    private ByteBuffer in;
    private ByteBuffer out;
    private ByteBuffer head;

    /** Why the connection ended and how loudly to say so; set once, logged once. */
    private Level endLevel = Level.FINE;
    private String endReason;

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

    /** Called by {@link CciEndpoint#close()}: a blocked read or write of the thread fails at once. */
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
            CciEndpoint.closeQuietly(channel);
            endpoint.ended(this);
            if (endReason == null) {
                endReason = "closed";
            }
            if (log.isLoggable(endLevel)) {
                log.log(endLevel, endpoint.label() + ": " + name + " " + endReason);
            }
        }
    }

    private void end(Level level, String reason) {
        if (endReason == null) {
            endLevel = level;
            endReason = reason;
        }
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
        while (frame[1].hasRemaining()) {
            channel.write(frame);
        }
    }

    private void flush() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
    }
}
