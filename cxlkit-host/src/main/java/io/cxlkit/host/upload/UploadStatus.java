package io.cxlkit.host.upload;

import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of a device's firmware upload, as the memdev view shows it. Built by named steps
 * ({@link #receiving}, {@link #withStage}, {@link #withPartAcknowledged}, {@link #succeeded},
 * {@link #failed}), each returning a new snapshot.
 *
 * @param failure       why the last upload failed or was cancelled, until the next one starts
 * @param imageSize     bytes in the image (0 before any upload)
 * @param remainingSize bytes not yet acknowledged by the device, counted down per part
 */
public record UploadStatus(UploadStage stage, Optional<UploadFailure> failure, long imageSize, long remainingSize,
                           long bytesSent, long partsSent, Optional<Instant> started, Optional<Instant> finished) {

    public static final UploadStatus IDLE = new UploadStatus(UploadStage.IDLE, Optional.empty(), 0, 0, 0, 0,
            Optional.empty(), Optional.empty());

    /** An upload begun at {@code started} whose image of {@code imageSize} bytes is still arriving. */
    public static UploadStatus receiving(long imageSize, Instant started) {
        return new UploadStatus(UploadStage.RECEIVING, Optional.empty(), imageSize, imageSize, 0, 0,
                Optional.of(started), Optional.empty());
    }

    /** The same upload, now in {@code next}. */
    public UploadStatus withStage(UploadStage next) {
        return new UploadStatus(next, failure, imageSize, remainingSize, bytesSent, partsSent, started, finished);
    }

    /** The image turned out to have {@code size} bytes (all of them still to send). */
    public UploadStatus withImageSize(long size) {
        return new UploadStatus(stage, failure, size, size, bytesSent, partsSent, started, finished);
    }

    /** The device accepted one more part of {@code length} bytes. */
    public UploadStatus withPartAcknowledged(long length) {
        return new UploadStatus(stage, failure, imageSize, remainingSize - length, bytesSent + length, partsSent + 1,
                started, finished);
    }

    /** The upload's successful end at {@code at}: idle, nothing remaining. */
    public UploadStatus succeeded(Instant at) {
        return new UploadStatus(UploadStage.IDLE, Optional.empty(), imageSize, 0, bytesSent, partsSent, started,
                Optional.of(at));
    }

    /** The upload's end at {@code at} with {@code why}. */
    public UploadStatus failed(UploadFailure why, Instant at) {
        return new UploadStatus(UploadStage.IDLE, Optional.of(why), imageSize, remainingSize, bytesSent, partsSent,
                started, Optional.of(at));
    }

    public boolean inProgress() {
        return stage != UploadStage.IDLE;
    }

    /** {@code <stage>:<error>} after a failed or cancelled upload. */
    public Optional<String> error() {
        return failure.map(UploadFailure::label);
    }

    /** The command whose answer failed the upload. */
    public Optional<Opcode> failedOpcode() {
        return failure.flatMap(UploadFailure::opcode);
    }

    /** That command's return code. */
    public Optional<ReturnCode> failedReturnCode() {
        return failure.flatMap(UploadFailure::returnCode);
    }

    /** The device's reason for that answer, when the host found one in its Verification Log. */
    public Optional<String> failureReason() {
        return failure.flatMap(UploadFailure::reason);
    }

    /** The one-line reason shown after a failure, e.g. {@code transferring:firmware-invalid (Transfer FW: ...)}. */
    public Optional<String> failureMessage() {
        return failure.map(UploadFailure::message);
    }
}
