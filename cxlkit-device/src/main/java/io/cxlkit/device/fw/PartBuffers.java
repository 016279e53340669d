package io.cxlkit.device.fw;

import java.util.ArrayDeque;

/**
 * Arrays for the device's private copies of Transfer FW parts, used again once written and
 * hashed. A new 1 MiB array per part is not free: the JVM zeroes it, and on a heap still growing
 * its pages are touched for the first time, which measured about 4 ms per MiB on a virtual
 * machine, more than the rest of the part's handling. Keeps at most {@link #MAX_KEPT} arrays;
 * an array not given back is simply collected.
 */
final class PartBuffers {

    /** Enough for the hashing backlog ({@link StagingDigest#MAX_PENDING_BYTES}) of 1 MiB parts, plus a batch. */
    static final int MAX_KEPT = 20;

    private final ArrayDeque<byte[]> free = new ArrayDeque<>();

    /** An array of at least {@code length} bytes (contents undefined). */
    synchronized byte[] take(int length) {
        for (int i = free.size(); i > 0; i--) {
            byte[] a = free.poll();
            if (a.length >= length) {
                return a;
            }
            // too small for this part: parts of an upload share one size, so it is of no more use
        }
        return new byte[length];
    }

    /** {@code a} is no longer read by anyone. */
    synchronized void give(byte[] a) {
        if (free.size() < MAX_KEPT) {
            free.push(a);
        }
    }
}
