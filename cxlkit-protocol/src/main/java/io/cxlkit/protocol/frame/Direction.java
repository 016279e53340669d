package io.cxlkit.protocol.frame;

import io.cxlkit.protocol.CciHeader;

/** Which way the frames a {@link FrameDecoder} reads are going; it fixes the CCI category check 3 expects. */
public enum Direction {
    /** Frames going to the server (device side): category 0. */
    REQUEST(CciHeader.CATEGORY_REQUEST, "request"),
    /** Frames coming back to a client (host side): category 1. */
    RESPONSE(CciHeader.CATEGORY_RESPONSE, "response");

    private final int category;
    private final String label;

    Direction(int category, String label) {
        this.category = category;
        this.label = label;
    }

    /** The CCI message category every frame in this direction must carry. */
    public int category() {
        return category;
    }

    /** "request" or "response". */
    public String label() {
        return label;
    }
}
