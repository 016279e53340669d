package io.cxlkit.host.upload;

import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.host.verification.VerificationLogReader;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwAction;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.payload.VerificationLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One device's firmware uploads, the way the Linux kernel's CXL driver runs them through the
 * fw_upload framework (prepare, write..., poll_complete, cleanup), with the kernel's visible
 * states and error strings (reference.md §6) and its defects fixed:
 * <ul>
 *   <li>an image of exactly P - 128 bytes goes as one Full, never as a lone Initiate;</li>
 *   <li>a cancel while idle is refused instead of poisoning the next upload;</li>
 *   <li>every failure ends the upload in a final state that a waiter sees.</li>
 * </ul>
 * Beyond the kernel, a failed verification (000Ah) says why: the device's reason from its
 * Verification Log, whose header is read before Get FW Info (docs/verification-log.md).
 *
 * <p>An upload is an {@link Upload} from {@link #begin} to {@link Upload#end}; its owner transfers
 * the image, cleans up what it holds (the image file), and only then calls {@code end}, which
 * publishes the final state: as the kernel's {@code fw_upload_main} frees the image before it sets
 * the progress to idle, whoever sees the end may start the next upload at once. The same lock
 * decides the other firmware actions ({@link #claim}), so an activation or a reset never lands in
 * the middle of an upload.
 *
 * <p>Thread-safe: {@link Upload#transfer} runs on the uploader's thread; {@link #status()},
 * {@link #cancel()} and {@link #claim} may be called from any thread. The listener is told of
 * every change under the lock, in order, and must not block; it may begin the next upload
 * itself the moment it is told of the end (the lock is reentrant, and the claim is free by then).
 */
public final class FirmwareUploader {

    /** What {@link #cancel()} found. */
    public enum CancelResult { CANCELLING, IDLE, TOO_LATE }

    private static final Logger LOG = Logger.getLogger(FirmwareUploader.class.getName());

    private final CciClient client;
    private final VerificationLogReader verificationLog;
    private final Clock wallClock;
    private final Consumer<UploadStatus> listener;
    /** The running upload's status; {@link UploadStatus#IDLE} between uploads. */
    private UploadStatus status = UploadStatus.IDLE;
    private UploadStatus lastEnded = UploadStatus.IDLE;
    /** What holds the firmware now, or null. */
    private FirmwareAction busy;
    private Upload current;

    /**
     * @param listener told of every status change (after each part, and at the end); it must not block
     */
    public FirmwareUploader(CciClient client, Clock wallClock, Consumer<UploadStatus> listener) {
        this.client = client;
        this.verificationLog = new VerificationLogReader(client);
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
     * Claims the firmware for a new upload of an image of {@code imageSize} bytes that is still
     * being received (stage {@code receiving}).
     *
     * @throws FirmwareBusyException if an upload, an activation or a reset runs
     */
    public synchronized Upload begin(long imageSize) throws FirmwareBusyException {
        if (busy != null) {
            throw new FirmwareBusyException(busy);
        }
        busy = FirmwareAction.UPLOAD;
        current = new Upload();
        status = UploadStatus.receiving(imageSize, wallClock.instant());
        publish(status);
        return current;
    }

    /**
     * Claims the firmware for an activation or a reset, until the returned claim is closed.
     *
     * @throws FirmwareBusyException if an upload or another such action runs
     */
    public synchronized Claim claim(FirmwareAction action) throws FirmwareBusyException {
        if (action == FirmwareAction.UPLOAD) {
            throw new IllegalArgumentException("an upload is claimed with begin()");
        }
        if (busy != null) {
            throw new FirmwareBusyException(busy);
        }
        busy = action;
        return new Claim(action);
    }

    /**
     * Asks the running upload to stop before its next command. Once End or Full has been sent, or
     * the transfer is over and the upload is ending, it is too late (the upload ends as it will);
     * with nothing running there is nothing to cancel.
     */
    public synchronized CancelResult cancel() {
        if (current == null) {
            return CancelResult.IDLE;
        }
        if (current.finalPartSent || current.transferEnded) {
            return CancelResult.TOO_LATE;
        }
        current.cancelRequested = true;
        return CancelResult.CANCELLING;
    }

    /**
     * Tells the listener, under the lock, in order. A listener that throws is one log line: it
     * must not leave the uploader half-way through a change (a claim taken and never given back).
     */
    private void publish(UploadStatus s) {
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            LOG.warning("an upload listener failed: " + e);
        }
    }

    /** An activation's or a reset's hold on the firmware; closing it lets others in. */
    public final class Claim implements AutoCloseable {
        private final FirmwareAction action;
        private boolean closed;

        private Claim(FirmwareAction action) {
            this.action = action;
        }

        @Override
        public void close() {
            synchronized (FirmwareUploader.this) {
                if (!closed && busy == action) {
                    busy = null;
                }
                closed = true;
            }
        }
    }

    /**
     * One upload, from {@link #begin} to {@link #end}. Its owner feeds it the image and ends it
     * exactly once, after cleaning up.
     */
    public final class Upload {
        private boolean cancelRequested;
        private boolean finalPartSent;
        private boolean transferEnded;
        private boolean ended;

        private Upload() {
        }

        /** The image has arrived: its size is now known. */
        public void imageReceived(long size) {
            synchronized (FirmwareUploader.this) {
                checkOpen();
                status = status.withImageSize(size);
                publish(status);
            }
        }

        /** True once {@link #cancel()} asked this upload to stop (a receiver checks it between reads). */
        public boolean cancelRequested() {
            synchronized (FirmwareUploader.this) {
                return cancelRequested;
            }
        }

        /**
         * The final status of this upload failing with {@code error} at its current stage, with no
         * device answer behind it (the image could not be received, read or was cancelled), for
         * {@link #end}.
         */
        public UploadStatus failure(UploadError error) {
            synchronized (FirmwareUploader.this) {
                return status.failed(UploadFailure.of(status.stage(), error), wallClock.instant());
            }
        }

        /**
         * Transfers {@code image} to the end: Get FW Info, the Transfer FW parts to slot
         * (active % slots) + 1, then Activate FW on next reset. Returns the final status, which
         * is published only by {@link #end}.
         */
        public UploadStatus transfer(FileChannel image) throws InterruptedException {
            try {
                return transferSteps(image);
            } finally {
                synchronized (FirmwareUploader.this) {
                    transferEnded = true;
                }
            }
        }

        /** {@link #transfer} then {@link #end}, for an owner with nothing to clean up in between. */
        public UploadStatus run(FileChannel image) throws InterruptedException {
            UploadStatus ending = null;
            try {
                ending = transfer(image);
                return ending;
            } catch (InterruptedException e) {
                ending = failure(UploadError.USER_ABORT);
                throw e;
            } finally {
                end(ending != null ? ending : failure(UploadError.HW_ERROR));
            }
        }

        /**
         * Publishes {@code ending} as this upload's outcome and frees the firmware for the next
         * action. Call it last, after the owner has cleaned up: whoever sees the end may start the
         * next upload at once.
         */
        public void end(UploadStatus ending) {
            if (ending.inProgress()) {
                throw new IllegalArgumentException("an upload ends idle, not " + ending.stage().label());
            }
            synchronized (FirmwareUploader.this) {
                checkOpen();
                ended = true;
                current = null;
                busy = null;
                status = UploadStatus.IDLE;
                lastEnded = ending;
                publish(lastEnded);
            }
        }

        private void checkOpen() {
            if (ended) {
                throw new IllegalStateException("this upload has ended");
            }
        }

        private UploadStatus transferSteps(FileChannel image) throws InterruptedException {
            long size;
            try {
                size = image.size();
            } catch (IOException e) {
                return failed(UploadStage.RECEIVING, UploadError.READ_WRITE_ERROR);
            }
            if (!enter(UploadStage.PREPARING)) {
                return failed(UploadStage.RECEIVING, UploadError.USER_ABORT);
            }
            if (size <= 0) {
                // The kernel's prepare step refuses an empty image the same way.
                return failed(UploadStage.PREPARING, UploadError.INVALID_FILE_SIZE);
            }
            OptionalLong logMark = markVerificationLog();
            FwInfo info;
            int payloadSize;
            try {
                info = client.getFwInfo();
                payloadSize = client.transport().maxPayload();
            } catch (CciCommandException e) {
                return failed(UploadFailure.byDevice(UploadStage.PREPARING, UploadError.HW_ERROR, e));
            } catch (IOException e) {
                return failed(UploadStage.PREPARING, UploadError.HW_ERROR);
            }
            // A device whose answers make no plan possible (no slots, an active slot out of range, a
            // payload area too small for a part) is a hardware error, not a crash of the uploader.
            if (info.slotsSupported() < 1 || info.activeSlot() < 1 || info.activeSlot() > info.slotsSupported()
                    || payloadSize <= TransferFwRequest.HEADER_SIZE) {
                return failed(UploadStage.PREPARING, UploadError.HW_ERROR);
            }
            int target = UploadPlan.targetSlot(info.activeSlot(), info.slotsSupported());
            UploadPlan plan = new UploadPlan(size, payloadSize, target);
            if (!enter(UploadStage.TRANSFERRING)) {
                return failed(UploadStage.PREPARING, UploadError.USER_ABORT);
            }
            // Each part is read straight behind the command's header; every part but the last has the
            // first one's length, so one array serves them all.
            byte[] fullPart = new byte[TransferFwRequest.HEADER_SIZE + plan.get(0).length()];
            boolean opened = false;
            for (UploadPart part : plan) {
                byte[] input = part.length() == plan.get(0).length() ? fullPart
                        : new byte[TransferFwRequest.HEADER_SIZE + part.length()];
                try {
                    readFully(image, ByteBuffer.wrap(input, TransferFwRequest.HEADER_SIZE, part.length()),
                            part.offset());
                } catch (IOException e) {
                    if (opened) {
                        sendAbort();
                    }
                    return failed(UploadStage.TRANSFERRING, UploadError.READ_WRITE_ERROR);
                }
                boolean last = part.action() == TransferFwAction.END || part.action() == TransferFwAction.FULL;
                // A cancel takes effect here, between parts. Checking for it and marking the final part
                // must be one step: a cancel landing in between would be told CANCELLING and then see
                // the upload complete.
                boolean cancelNow;
                synchronized (FirmwareUploader.this) {
                    cancelNow = cancelRequested;
                    if (!cancelNow && last) {
                        finalPartSent = true;
                    }
                }
                if (cancelNow) {
                    if (opened) {
                        sendAbort();
                    }
                    return failed(UploadStage.TRANSFERRING, UploadError.USER_ABORT);
                }
                try {
                    client.transferFw(TransferFwRequest.encodeHeaderInPlace(part.action(), part.slot(),
                            part.offsetUnits(), input));
                } catch (CciCommandException e) {
                    // Unlike the kernel, close a transfer the failure left open, so the device need not
                    // hold it for its inter-part timeout and the next upload is not refused with 0008h.
                    // (A failed verification has closed it already.)
                    if (opened && e.returnCode() != ReturnCode.FW_VERIFICATION_FAILED) {
                        sendAbort();
                    }
                    if (last && e.returnCode() == ReturnCode.FW_VERIFICATION_FAILED) {
                        e = e.withReason(verificationLog.newestSince(logMark, VerificationLog.Operation.TRANSFER,
                                target).map(VerificationLog.Record::reason));
                    }
                    return failed(UploadFailure.byDevice(UploadStage.TRANSFERRING, transferError(e.returnCode()), e));
                } catch (CciTimeoutException e) {
                    // the mailbox is stuck: nothing more can be sent
                    return failed(UploadStage.TRANSFERRING, UploadError.TIMEOUT);
                } catch (IOException e) {
                    if (opened) {
                        sendAbort();
                    }
                    return failed(UploadStage.TRANSFERRING, UploadError.READ_WRITE_ERROR);
                }
                opened = true;
                partAcknowledged(part.length());
            }
            try {
                client.activateFw(ActivateFwRequest.onNextReset(target));
            } catch (CciCommandException e) {
                return failed(UploadFailure.byDevice(UploadStage.TRANSFERRING, UploadError.HW_ERROR, e));
            } catch (IOException e) {
                return failed(UploadStage.TRANSFERRING, UploadError.HW_ERROR);
            }
            enter(UploadStage.PROGRAMMING);
            synchronized (FirmwareUploader.this) {
                return status.succeeded(wallClock.instant());
            }
        }

        /**
         * Notes what the device's Verification Log holds before this upload, so that after a 000Ah
         * the record of this upload's failure is told from older ones. It goes before Get FW Info:
         * a device that does not answer it fails Get FW Info next, preparing:hw-error, as it would
         * have without it. Empty when the log cannot be read: then no reason is looked for.
         */
        private OptionalLong markVerificationLog() {
            try {
                return verificationLog.mark();
            } catch (CciTimeoutException e) {
                return OptionalLong.empty();
            }
        }

        private boolean enter(UploadStage stage) {
            synchronized (FirmwareUploader.this) {
                if (cancelRequested) {
                    return false;
                }
                status = status.withStage(stage);
                publish(status);
                return true;
            }
        }

        private void partAcknowledged(int length) {
            synchronized (FirmwareUploader.this) {
                status = status.withPartAcknowledged(length);
                publish(status);
            }
        }

        private UploadStatus failed(UploadStage stage, UploadError error) {
            return failed(UploadFailure.of(stage, error));
        }

        private UploadStatus failed(UploadFailure why) {
            synchronized (FirmwareUploader.this) {
                return status.failed(why, wallClock.instant());
            }
        }
    }

    /** The error table of reference.md §6 for a refused Transfer FW. */
    static UploadError transferError(ReturnCode returnCode) {
        return switch (returnCode) {
            case BUSY, FW_TRANSFER_IN_PROGRESS -> UploadError.DEVICE_BUSY;
            case FW_VERIFICATION_FAILED -> UploadError.FIRMWARE_INVALID;
            default -> UploadError.READ_WRITE_ERROR;
        };
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
}
