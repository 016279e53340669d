package io.cxlkit.host.upload;

import io.cxlkit.protocol.payload.TransferFwAction;
import io.cxlkit.protocol.payload.TransferFwRequest;

/**
 * One Transfer FW command of an upload: its action, the image bytes it carries
 * ({@code [offset, offset + length)}), and the slot field (the target for Full and End, else 0).
 */
public record UploadPart(TransferFwAction action, long offset, int length, int slot) {

    /** The Offset field: byte offset in 128-byte units. */
    public long offsetUnits() {
        return offset / TransferFwRequest.OFFSET_UNIT;
    }
}
