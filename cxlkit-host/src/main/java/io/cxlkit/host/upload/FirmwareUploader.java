package io.cxlkit.host.upload;

import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwAction;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One device's firmware upload, the way the Linux kernel's CXL driver runs it through the
 * fw_upload framework (prepare, write..., poll_complete, cleanup), with the kernel's visible
 * states and error strings (reference.md §6) and its defects fixed:
 * <ul>
 *   <li>an image of exactly P - 128 bytes goes as one Full, never as a lone Initiate;</li>
 *   <li>a cancel while idle is refused instead of poisoning the next upload;</li>
 *   <li>every failure ends the upload in a final state that a waiter sees.</li>
 * </ul>
 * Thread-safe: {@link #run} runs on the uploader's thread; {@link #status()} and
 * {@link #cancel()} may be called from any thread.
 */
public final class FirmwareUploader {

    /** What {@link #cancel()} found. */
    public enum CancelResult { CANCELLING, IDLE, TOO_LATE }

    private final CciClient client;
    private final Clock wallClock;
    private final Consumer<UploadStatus> listener;
    private UploadStatus status = UploadStatus.IDLE;
    private UploadStatus lastEnded = UploadStatus.IDLE;
    private boolean cancelRequested;
    private boolean finalPartSent;

    /**
     * @param listener told of every status change (after each part, and at the end); it must not block
     */
    public FirmwareUploader(CciClient client, Clock wallClock, Consumer<UploadStatus> listener) {
        this.client = client;
        this.wallClock = wallClock;
        this.listener = listener;
    }

    /** The current upload, or the last one's outcome (with its error) when idle. */
    public synchronized UploadStatus status() {
        return status.inProgress() ? status : lastEnded;
    }

    public synchronized boolean inProgress() {
        return status.inProgress();
    }

    /**
     * Claims the uploader for an image of {@code imageSize} bytes that is still being received
     * (stage {@code receiving}); false if an upload is already running.
     */
    public synchronized boolean begin(long imageSize) {
        if (status.inProgress()) {
            return false;
        }
        cancelRequested = false;
        finalPartSent = false;
        status = new UploadStatus(UploadStage.RECEIVING, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), imageSize, imageSize, 0, 0, Optional.of(wallClock.instant()), Optional.empty());
        publish();
        return true;
    }

    /**
     * Asks the running upload to stop before its next command. Once End or Full has been sent it
     * is too late (the upload finishes normally); with nothing running there is nothing to cancel.
     */
    public synchronized CancelResult cancel() {
        if (!status.inProgress()) {
            return CancelResult.IDLE;
        }
        if (finalPartSent) {
            return CancelResult.TOO_LATE;
        }
        cancelRequested = true;
        return CancelResult.CANCELLING;
    }

    /** The image of a claimed upload has arrived: its size is now known. */
    public synchronized void imageReceived(long size) {
        status = new UploadStatus(status.stage(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), size, size, 0, 0, status.started(), Optional.empty());
        publish();
    }

    /** True once {@link #cancel()} asked the running upload to stop (a spooler checks it while receiving). */
    public synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    /** Ends a claimed upload whose image never arrived (spooling failed or was cancelled). */
    public synchronized void abandon(UploadError error) {
        if (status.inProgress()) {
            fail(status.stage(), error, Optional.empty());
        }
    }

    /**
     * Runs the upload of {@code image} (claimed with {@link #begin}) to the end: Get FW Info, the
     * Transfer FW parts to slot (active % slots) + 1, then Activate FW on next reset. Returns the
     * final status.
     */
    public UploadStatus run(FileChannel image) throws InterruptedException {
        long size;
        try {
            size = image.size();
        } catch (IOException e) {
            return failNow(UploadStage.RECEIVING, UploadError.READ_WRITE_ERROR, Optional.empty());
        }
        if (!enter(UploadStage.PREPARING)) {
            return cancelled(UploadStage.RECEIVING);
        }
        if (size <= 0) {
            // The kernel's prepare step refuses an empty image the same way.
            return failNow(UploadStage.PREPARING, UploadError.INVALID_FILE_SIZE, Optional.empty());
        }
        FwInfo info;
        int payloadSize;
        try {
            info = client.getFwInfo();
            payloadSize = client.transport().maxPayload();
        } catch (CciCommandException e) {
            return failNow(UploadStage.PREPARING, UploadError.HW_ERROR, Optional.of(e));
        } catch (IOException e) {
            return failNow(UploadStage.PREPARING, UploadError.HW_ERROR, Optional.empty());
        }
        // A device whose answers make no plan possible (no slots, an active slot out of range, a
        // payload area too small for a part) is a hardware error, not a crash of the uploader.
        if (info.slotsSupported() < 1 || info.activeSlot() < 1 || info.activeSlot() > info.slotsSupported()
                || payloadSize <= TransferFwRequest.HEADER_SIZE) {
            return failNow(UploadStage.PREPARING, UploadError.HW_ERROR, Optional.empty());
        }
        int target = UploadPlan.targetSlot(info.activeSlot(), info.slotsSupported());
        UploadPlan plan = new UploadPlan(size, payloadSize, target);
        if (!enter(UploadStage.TRANSFERRING)) {
            return cancelled(UploadStage.PREPARING);
        }
        // Each part is read straight behind the command's header; every part but the last has the
        // first one's length, so one array serves them all.
        byte[] fullPart = new byte[TransferFwRequest.HEADER_SIZE + plan.get(0).length()];
        boolean opened = false;
        for (UploadPart part : plan) {
            byte[] input = part.length() == plan.get(0).length() ? fullPart
                    : new byte[TransferFwRequest.HEADER_SIZE + part.length()];
            try {
                readFully(image, ByteBuffer.wrap(input, TransferFwRequest.HEADER_SIZE, part.length()), part.offset());
            } catch (IOException e) {
                if (opened) {
                    sendAbort();
                }
                return failNow(UploadStage.TRANSFERRING, UploadError.READ_WRITE_ERROR, Optional.empty());
            }
            boolean last = part.action() == TransferFwAction.END || part.action() == TransferFwAction.FULL;
            // A cancel takes effect here, between parts. Checking for it and marking the final part
            // must be one step: a cancel landing in between would be told CANCELLING and then see
            // the upload complete.
            boolean cancelNow;
            synchronized (this) {
                cancelNow = cancelRequested;
                if (!cancelNow && last) {
                    finalPartSent = true;
                }
            }
            if (cancelNow) {
                if (opened) {
                    sendAbort();
                }
                return cancelled(UploadStage.TRANSFERRING);
            }
            try {
                client.transferFw(TransferFwRequest.encodeHeaderInPlace(part.action(), part.slot(), part.offsetUnits(),
                        input));
            } catch (CciCommandException e) {
                // Unlike the kernel, close a transfer the failure left open, so the device need not
                // hold it for its inter-part timeout and the next upload is not refused with 0008h.
                // (A failed verification has closed it already.)
                if (opened && e.returnCode() != ReturnCode.FW_VERIFICATION_FAILED.value()) {
                    sendAbort();
                }
                return failNow(UploadStage.TRANSFERRING, transferError(e.returnCode()), Optional.of(e));
            } catch (CciTimeoutException e) {
                // the mailbox is stuck: nothing more can be sent
                return failNow(UploadStage.TRANSFERRING, UploadError.TIMEOUT, Optional.empty());
            } catch (IOException e) {
                if (opened) {
                    sendAbort();
                }
                return failNow(UploadStage.TRANSFERRING, UploadError.READ_WRITE_ERROR, Optional.empty());
            }
            opened = true;
            partAcknowledged(part.length());
        }
        try {
            client.activateFw(ActivateFwRequest.onNextReset(target));
        } catch (CciCommandException e) {
            return failNow(UploadStage.TRANSFERRING, UploadError.HW_ERROR, Optional.of(e));
        } catch (IOException e) {
            return failNow(UploadStage.TRANSFERRING, UploadError.HW_ERROR, Optional.empty());
        }
        enter(UploadStage.PROGRAMMING);
        return succeed();
    }

    /** The error table of reference.md §6 for a refused Transfer FW. */
    static UploadError transferError(int returnCode) {
        if (returnCode == ReturnCode.BUSY.value() || returnCode == ReturnCode.FW_TRANSFER_IN_PROGRESS.value()) {
            return UploadError.DEVICE_BUSY;
        }
        if (returnCode == ReturnCode.FW_VERIFICATION_FAILED.value()) {
            return UploadError.FIRMWARE_INVALID;
        }
        return UploadError.READ_WRITE_ERROR;
    }

    private void sendAbort() throws InterruptedException {
        try {
            client.transferFw(TransferFwRequest.abort());
        } catch (CciCommandException | IOException e) {
            // The upload ends as cancelled either way; the device drops the transfer after its timeout.
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new IOException("image shrank while uploading");
            }
            pos += n;
        }
    }

    private synchronized boolean enter(UploadStage stage) {
        if (cancelRequested) {
            return false;
        }
        status = new UploadStatus(stage, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                status.imageSize(), status.remainingSize(), status.bytesSent(), status.partsSent(), status.started(),
                Optional.empty());
        publish();
        return true;
    }

    private synchronized void partAcknowledged(int length) {
        status = new UploadStatus(status.stage(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), status.imageSize(), status.remainingSize() - length, status.bytesSent() + length,
                status.partsSent() + 1, status.started(), Optional.empty());
        publish();
    }

    private synchronized UploadStatus succeed() {
        lastEnded = new UploadStatus(UploadStage.IDLE, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), status.imageSize(), 0, status.bytesSent(), status.partsSent(), status.started(),
                Optional.of(wallClock.instant()));
        status = UploadStatus.IDLE;
        publishEnded();
        return lastEnded;
    }

    private synchronized UploadStatus cancelled(UploadStage stage) {
        return fail(stage, UploadError.USER_ABORT, Optional.empty());
    }

    private synchronized UploadStatus failNow(UploadStage stage, UploadError error, Optional<CciCommandException> cause) {
        return fail(stage, error, cause);
    }

    private UploadStatus fail(UploadStage stage, UploadError error, Optional<CciCommandException> cause) {
        Instant now = wallClock.instant();
        lastEnded = new UploadStatus(UploadStage.IDLE, Optional.of(stage.label() + ":" + error.label()),
                cause.map(c -> c.opcode().toString()), cause.map(c -> ReturnCode.hex(c.returnCode())),
                cause.map(CciCommandException::returnCodeName), status.imageSize(), status.remainingSize(),
                status.bytesSent(), status.partsSent(), status.started(), Optional.of(now));
        status = UploadStatus.IDLE;
        publishEnded();
        return lastEnded;
    }

    private void publish() {
        listener.accept(status);
    }

    private void publishEnded() {
        listener.accept(lastEnded);
    }
}
