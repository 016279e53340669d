package io.cxlkit.device.fw;

import io.cxlkit.device.clock.DeviceClock;
import io.cxlkit.protocol.Cci;

/**
 * The open firmware transfer: who owns it and the previous accepted part (device-behaviour.md §3).
 * Guarded by the device lock.
 */
final class TransferState {
    final Cci owner;
    long previousOffset;
    long previousLength;
    /** Set while an accepted part's operation runs: the inter-part timeout counts from its end. */
    boolean partRunning;
    /** When the last part's operation ended (device clock). */
    long quietSince;
    /** The timer that checks for expiry; it re-arms itself rather than being moved for every part. */
    DeviceClock.Scheduled expiry;

    TransferState(Cci owner) {
        this.owner = owner;
    }

    void accept(long offset, long length) {
        previousOffset = offset;
        previousLength = length;
        partRunning = true;
    }

    boolean isRetransmission(long offset, long length) {
        return offset == previousOffset && length == previousLength;
    }

    boolean isNext(long offset) {
        return offset == previousOffset + previousLength;
    }

    void cancelExpiry() {
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
    }
}
