package io.cxlkit.host.upload;

import io.cxlkit.protocol.payload.TransferFwAction;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.util.AbstractList;
import java.util.List;

/**
 * How the kernel's algorithm cuts an image of S bytes for a payload area of P bytes
 * (reference.md §6), with its defect fixed: S + 128 <= P goes as one Full (the kernel sends an
 * image of exactly P - 128 bytes as a lone Initiate); otherwise parts of P - 128 bytes,
 * Initiate, Continue..., End, the last one carrying the unpadded tail. Only Full and End name
 * the target slot.
 */
public final class UploadPlan extends AbstractList<UploadPart> {

    private final long imageSize;
    private final int chunk;
    private final int targetSlot;
    private final int count;

    public UploadPlan(long imageSize, int payloadSize, int targetSlot) {
        if (imageSize <= 0) {
            throw new IllegalArgumentException("an image has at least one byte");
        }
        if (payloadSize <= TransferFwRequest.HEADER_SIZE) {
            throw new IllegalArgumentException("a payload area of " + payloadSize + " bytes cannot carry a part");
        }
        this.imageSize = imageSize;
        this.targetSlot = targetSlot;
        if (imageSize + TransferFwRequest.HEADER_SIZE <= payloadSize) {
            this.chunk = (int) imageSize;
            this.count = 1;
        } else {
            // P - 128 is a multiple of 128 for every power-of-two P >= 256, as offsets require.
            this.chunk = payloadSize - TransferFwRequest.HEADER_SIZE;
            long n = (imageSize + chunk - 1) / chunk;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("image too large for this payload size");
            }
            this.count = (int) n;
        }
    }

    /** The slot the kernel picks: the one after the active slot, wrapping: (active % slots) + 1. */
    public static int targetSlot(int activeSlot, int slotsSupported) {
        return (activeSlot % slotsSupported) + 1;
    }

    public boolean isFull() {
        return count == 1;
    }

    public long imageSize() {
        return imageSize;
    }

    @Override
    public UploadPart get(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
        if (count == 1) {
            return new UploadPart(TransferFwAction.FULL, 0, chunk, targetSlot);
        }
        long offset = (long) i * chunk;
        int length = (int) Math.min(chunk, imageSize - offset);
        if (i == 0) {
            return new UploadPart(TransferFwAction.INITIATE, offset, length, 0);
        }
        if (i == count - 1) {
            return new UploadPart(TransferFwAction.END, offset, length, targetSlot);
        }
        return new UploadPart(TransferFwAction.CONTINUE, offset, length, 0);
    }

    @Override
    public int size() {
        return count;
    }

    public List<UploadPart> parts() {
        return this;
    }
}
