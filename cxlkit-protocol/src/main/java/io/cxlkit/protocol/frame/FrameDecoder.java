package io.cxlkit.protocol.frame;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An incremental decoder for one connection's stream of socket endpoint frames (wire.md §1).
 *
 * <p>Feed it the bytes as they arrive, split anywhere, then take the events: {@link FrameEvent.Frame} for a
 * valid frame, {@link FrameEvent.Dropped} (check 2), {@link FrameEvent.Oversized} (check 4) and at most one
 * final {@link FrameEvent.Close} (checks 1 and 3). The checks run in wire.md's order, each as soon as its
 * bytes are in: check 1 on the 4 length bytes, check 2 on the EID and type, checks 3 then 4 on the 12-byte
 * CCI header. Reserved bits, byte 2, and the return code, vendor status and BO bit are not checked (the
 * decoded header still carries the last three as received).
 *
 * <p>A blocking loop:
 * <pre>{@code
 * while ((n = in.read(buf)) > 0) {
 *     decoder.feed(ByteBuffer.wrap(buf, 0, n));
 *     for (FrameEvent e : decoder.drain()) { ... }
 * }
 * if (!decoder.isIdle()) log("connection closed mid-frame");
 * }</pre>
 * A NIO loop does the same with its read buffer after {@code flip()}; {@link #feed(ByteBuffer)} always
 * consumes everything, so the buffer can simply be cleared afterwards.
 *
 * <p>Memory: the decoder holds at most one frame's 18 head bytes plus, once the header has passed checks 3
 * and 4, a payload array of exactly the stated length (so never above the EID's limit). A dropped or
 * oversized frame's remaining bytes are skipped by counting. Events wait in a queue until taken; the queued
 * frames are bounded by the bytes fed since the last {@link #drain()}.
 *
 * <p>No input makes it throw; only null arguments do. Not thread-safe: one connection, one thread at a time.
 */
public final class FrameDecoder {

    private enum State { HEAD, PAYLOAD, SKIP, CLOSED }

    private final Direction direction;
    private final EndpointLimits limits;
    private final ArrayDeque<FrameEvent> events = new ArrayDeque<>();

    private State state = State.HEAD;
    /** Length field, EID, type and CCI header of the current frame. */
    private final byte[] head = new byte[FrameFormat.HEAD_SIZE];
    private int headFilled;
    private long frameLength;
    private int eid;
    private int limit;
    private CciHeader header;
    private byte[] payload;
    private int payloadFilled;
    private long skipRemaining;

    public FrameDecoder(Direction direction, EndpointLimits limits) {
        this.direction = Objects.requireNonNull(direction, "direction");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A server's decoder: requests (category 0), EIDs and payload limits from {@code limits}. */
    public static FrameDecoder forRequests(EndpointLimits limits) {
        return new FrameDecoder(Direction.REQUEST, limits);
    }

    /** A client's decoder: responses (category 1) from any EID, any payload a header can describe. */
    public static FrameDecoder forResponses() {
        return new FrameDecoder(Direction.RESPONSE, EndpointLimits.acceptAll());
    }

    public Direction direction() {
        return direction;
    }

    /**
     * Consumes all of {@code bytes} (position ends at the limit) and queues the events they complete.
     * After a {@link FrameEvent.Close} the input is consumed and ignored.
     */
    public void feed(ByteBuffer bytes) {
        Objects.requireNonNull(bytes, "bytes");
        while (bytes.hasRemaining()) {
            switch (state) {
                case HEAD -> readHead(bytes);
                case PAYLOAD -> readPayload(bytes);
                case SKIP -> skip(bytes);
                case CLOSED -> bytes.position(bytes.limit());
            }
        }
    }

    /** Consumes {@code length} bytes of {@code bytes} from {@code offset}, as {@link #feed(ByteBuffer)}. */
    public void feed(byte[] bytes, int offset, int length) {
        feed(ByteBuffer.wrap(bytes, offset, length));
    }

    /** The oldest event not yet taken, if any. */
    public Optional<FrameEvent> next() {
        return Optional.ofNullable(events.poll());
    }

    /** Takes every queued event, oldest first (an empty list when there are none). */
    public List<FrameEvent> drain() {
        if (events.isEmpty()) {
            return List.of();
        }
        List<FrameEvent> all = new ArrayList<>(events);
        events.clear();
        return all;
    }

    /**
     * True when the stream is at a frame boundary: no partial frame is buffered or being skipped, and no
     * {@link FrameEvent.Close} happened. An end of stream while this is false is a close mid-frame.
     */
    public boolean isIdle() {
        return state == State.HEAD && headFilled == 0;
    }

    /** True once a {@link FrameEvent.Close} was produced: the decoder ignores everything after it. */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /**
     * The bytes held for the current partial frame: the head bytes collected so far plus the capacity of its
     * payload array, if one is allocated (0 while a dropped or oversized frame is being skipped). Never above {@link FrameFormat#HEAD_SIZE} + the largest limit
     * {@link EndpointLimits} gives. Queued events are not counted.
     */
    public long bufferedBytes() {
        return headFilled + (payload == null ? 0 : payload.length);
    }

    /**
     * How many bytes of the current partial frame have arrived, its length field included (0 at a frame
     * boundary and after a close). With {@link #frameSize()} it says how far a frame that stopped arriving got.
     */
    public long frameBytesReceived() {
        return switch (state) {
            case HEAD -> headFilled;
            case PAYLOAD -> FrameFormat.HEAD_SIZE + payloadFilled;
            case SKIP -> FrameFormat.LENGTH_FIELD_SIZE + frameLength - skipRemaining;
            case CLOSED -> 0;
        };
    }

    /**
     * The current partial frame's size on the wire (4 + its length field), or -1 while its length field is
     * incomplete, at a frame boundary and after a close.
     */
    public long frameSize() {
        boolean known = state == State.PAYLOAD || state == State.SKIP
                || state == State.HEAD && headFilled >= FrameFormat.LENGTH_FIELD_SIZE;
        return known ? FrameFormat.LENGTH_FIELD_SIZE + frameLength : -1;
    }

    private void readHead(ByteBuffer bytes) {
        int milestone = headFilled < FrameFormat.LENGTH_FIELD_SIZE ? FrameFormat.LENGTH_FIELD_SIZE
                : headFilled < FrameFormat.PREFIX_SIZE ? FrameFormat.PREFIX_SIZE
                : FrameFormat.HEAD_SIZE;
        int n = Math.min(milestone - headFilled, bytes.remaining());
        bytes.get(head, headFilled, n);
        headFilled += n;
        if (headFilled == FrameFormat.LENGTH_FIELD_SIZE) {
            checkLength();
        } else if (headFilled == FrameFormat.PREFIX_SIZE) {
            checkAddress();
        } else if (headFilled == FrameFormat.HEAD_SIZE) {
            checkHeader();
        }
    }

    /** Check 1. */
    private void checkLength() {
        frameLength = (head[0] & 0xFFL) | (head[1] & 0xFFL) << 8 | (head[2] & 0xFFL) << 16 | (head[3] & 0xFFL) << 24;
        if (frameLength < FrameFormat.MIN_LENGTH) {
            close("frame length " + frameLength + " below " + FrameFormat.MIN_LENGTH);
        } else if (frameLength > FrameFormat.MAX_LENGTH) {
            close("frame length " + frameLength + " above " + FrameFormat.MAX_LENGTH);
        }
    }

    /** Check 2. */
    private void checkAddress() {
        eid = head[4] & 0xFF;
        int type = head[5] & 0xFF;
        String reason = null;
        if (type != MctpMessageType.CXL_CCI) {
            reason = "message type " + MctpMessageType.hex(type) + " is not CXL CCI (08h)";
        } else {
            limit = limits.maxPayload(eid);
            if (limit < 0) {
                reason = "no device at EID " + eid;
            }
        }
        if (reason != null) {
            events.add(new FrameEvent.Dropped(eid, type, frameLength, reason));
            startSkip(frameLength - FrameFormat.ADDRESS_SIZE);
        }
    }

    /** Checks 3 and 4. */
    private void checkHeader() {
        header = CciHeader.decode(ByteBuffer.wrap(head, FrameFormat.PREFIX_SIZE, CciHeader.SIZE));
        long bodyPayload = frameLength - FrameFormat.ADDRESS_SIZE - CciHeader.SIZE;
        if (header.category() != direction.category()) {
            close("CCI category " + header.category() + " in a " + direction.label() + " (expected "
                    + direction.category() + ")");
        } else if (header.payloadLength() != bodyPayload) {
            close("payload length " + header.payloadLength() + " in the CCI header disagrees with frame length "
                    + frameLength + " (" + bodyPayload + " payload bytes)");
        } else if (header.payloadLength() > limit) {
            events.add(new FrameEvent.Oversized(eid, header));
            startSkip(header.payloadLength());
        } else if (header.payloadLength() == 0) {
            events.add(new FrameEvent.Frame(eid, new CciMessage(header, new byte[0])));
            reset();
        } else {
            payload = new byte[header.payloadLength()];
            payloadFilled = 0;
            state = State.PAYLOAD;
        }
    }

    private void readPayload(ByteBuffer bytes) {
        int n = Math.min(payload.length - payloadFilled, bytes.remaining());
        bytes.get(payload, payloadFilled, n);
        payloadFilled += n;
        if (payloadFilled == payload.length) {
            events.add(new FrameEvent.Frame(eid, new CciMessage(header, payload)));
            reset();
        }
    }

    private void startSkip(long count) {
        headFilled = 0; // the head bytes are no longer needed
        skipRemaining = count;
        state = State.SKIP;
        if (skipRemaining <= 0) {
            reset();
        }
    }

    private void skip(ByteBuffer bytes) {
        int n = (int) Math.min(skipRemaining, bytes.remaining());
        bytes.position(bytes.position() + n);
        skipRemaining -= n;
        if (skipRemaining == 0) {
            reset();
        }
    }

    private void reset() {
        state = State.HEAD;
        headFilled = 0;
        header = null;
        payload = null;
        payloadFilled = 0;
        skipRemaining = 0;
    }

    private void close(String reason) {
        reset();
        state = State.CLOSED;
        events.add(new FrameEvent.Close(reason));
    }
}
