package io.cxlkit.host.upload;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of a device's firmware upload, as the memdev view shows it.
 *
 * @param error             {@code <stage>:<error>} after a failed or cancelled upload, until the next starts
 * @param failedOpcode      the command that failed, e.g. "0201h", when a device return code caused it
 * @param failedReturnCode  its return code, e.g. "000Ah"
 * @param failedReturnName  the return code's spec name
 * @param imageSize         bytes in the image (0 before any upload)
 * @param remainingSize     bytes not yet acknowledged by the device, counted down per part
 */
public record UploadStatus(UploadStage stage, Optional<String> error, Optional<String> failedOpcode,
                           Optional<String> failedReturnCode, Optional<String> failedReturnName, long imageSize,
                           long remainingSize, long bytesSent, long partsSent, Optional<Instant> started,
                           Optional<Instant> finished) {

    public static final UploadStatus IDLE = new UploadStatus(UploadStage.IDLE, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), 0, 0, 0, 0, Optional.empty(), Optional.empty());

    public boolean inProgress() {
        return stage != UploadStage.IDLE;
    }

    /** The one-line reason shown after a failure, e.g. {@code transferring:firmware-invalid (Transfer FW: ...)}. */
    public Optional<String> failureMessage() {
        return error.map(e -> failedReturnCode.isPresent()
                ? e + " (" + commandName() + ": " + failedReturnName.orElse("") + ", " + failedReturnCode.get() + ")"
                : e);
    }

    private String commandName() {
        return failedOpcode.map(op -> io.cxlkit.protocol.CommandId.nameOf(io.cxlkit.protocol.Opcode.parse(op)))
                .orElse("");
    }
}
