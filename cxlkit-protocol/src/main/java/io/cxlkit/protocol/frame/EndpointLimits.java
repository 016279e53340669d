package io.cxlkit.protocol.frame;

import io.cxlkit.protocol.CciHeader;

import java.util.Map;

/**
 * Which EIDs a connection can reach and how large a payload each accepts: check 2 (no device at the EID:
 * the frame is dropped) and check 4 (payload above the limit: answered 0016h) of wire.md §1.
 */
@FunctionalInterface
public interface EndpointLimits {

    /** Returned by {@link #maxPayload(int)} when no device answers at the EID (any negative value means that). */
    int NO_ENDPOINT = -1;

    /**
     * The largest payload in bytes the device at {@code eid} (0..255) accepts, or a negative value
     * ({@link #NO_ENDPOINT}) when there is none. Values above {@link CciHeader#MAX_PAYLOAD_LENGTH} act as it.
     * Called once per frame, from the thread that feeds the decoder.
     */
    int maxPayload(int eid);

    /** Every EID answers and accepts any payload a header can describe: what a client reading responses uses. */
    static EndpointLimits acceptAll() {
        return eid -> CciHeader.MAX_PAYLOAD_LENGTH;
    }

    /** Exactly the EIDs in {@code limits} answer, each with its payload limit (the map is copied). */
    static EndpointLimits of(Map<Integer, Integer> limits) {
        Map<Integer, Integer> copy = Map.copyOf(limits);
        return eid -> copy.getOrDefault(eid, NO_ENDPOINT);
    }
}
