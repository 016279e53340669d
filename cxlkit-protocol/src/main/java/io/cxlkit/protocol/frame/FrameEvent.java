package io.cxlkit.protocol.frame;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;

import java.util.Objects;

/** What a {@link FrameDecoder} makes of the stream: one event per frame, or a final {@link Close}. */
public sealed interface FrameEvent {

    /** A whole valid frame: checks 1 to 4 of wire.md §1 passed. */
    record Frame(int eid, CciMessage message) implements FrameEvent {
        public Frame {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Check 2: no device at {@code eid}, or a message type other than 08h. The frame ({@code length} = its
     * L field) is skipped; the connection stays open. Emitted as soon as the EID and type are in, before the
     * rest of the frame is skipped.
     */
    record Dropped(int eid, int messageType, long length, String reason) implements FrameEvent {
        public Dropped {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Check 4: the payload is above the device's limit; the server answers 0016h. Emitted as soon as the
     * header is in; the payload bytes are then skipped without being buffered.
     */
    record Oversized(int eid, CciHeader header) implements FrameEvent {
        public Oversized {
            Objects.requireNonNull(header, "header");
        }
    }

    /**
     * Checks 1 and 3: the connection must be closed. The last event a decoder produces; it ignores any
     * further input.
     */
    record Close(String reason) implements FrameEvent {
        public Close {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
