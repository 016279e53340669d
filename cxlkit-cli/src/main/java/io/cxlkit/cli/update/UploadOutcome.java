package io.cxlkit.cli.update;

import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.upload.UploadFailure;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import java.util.Optional;

/**
 * How an upload ended, read from the memdev object's {@code cxlkit.upload} (the control API always
 * sends it; ndctl's {@code firmware} object has only whether an upload runs and what is left): the
 * error, the device's reason and the failing command, as one line such as
 * {@code transferring:firmware-invalid: bad magic (Transfer FW: FW Verification Failed, 000Ah)}
 * ({@link UploadFailure#line}).
 */
final class UploadOutcome {
    private UploadOutcome() {
    }

    private static Optional<MemdevView.UploadView> upload(MemdevView v) {
        return v.cxlkit().map(MemdevView.CxlkitView::upload);
    }

    static boolean inProgress(MemdevView v) {
        return v.firmware().map(MemdevView.FirmwareView::updateInProgress).orElse(false)
                || upload(v).map(u -> !u.status().equals("idle")).orElse(false);
    }

    /** The reason the last upload failed or was cancelled; empty after a success. */
    static Optional<String> failure(MemdevView v) {
        Optional<MemdevView.UploadView> u = upload(v);
        Optional<String> error = u.flatMap(MemdevView.UploadView::error);
        if (error.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> answer = u.flatMap(MemdevView.UploadView::returnCode).map(rc -> {
            String command = u.flatMap(MemdevView.UploadView::opcode)
                    .map(op -> CommandId.nameOf(Opcode.parse(op))).orElse("");
            return command + ": " + u.flatMap(MemdevView.UploadView::returnCodeName).orElse("") + ", " + rc;
        });
        return Optional.of(UploadFailure.line(error.get(), u.flatMap(MemdevView.UploadView::reason), answer));
    }

    static boolean cancelled(MemdevView v) {
        return upload(v).flatMap(MemdevView.UploadView::error).map(e -> e.endsWith(":user-abort")).orElse(false);
    }

    /** Bytes acknowledged so far and the image size, for the progress bar. */
    static long[] progress(MemdevView v) {
        long sent = upload(v).map(MemdevView.UploadView::bytesSent).orElse(0L);
        long remaining = v.firmware().map(MemdevView.FirmwareView::remainingSize).orElse(0L);
        return new long[] {sent, sent + remaining};
    }
}
