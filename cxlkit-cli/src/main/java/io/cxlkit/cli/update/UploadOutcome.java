package io.cxlkit.cli.update;

import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.upload.UploadFailure;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import java.util.Optional;

/**
 * How an upload ended, read from the memdev object: the {@code fw_update_error}, and the device's
 * reason and the failing command from the {@code cxlkit.upload} object, as one line such as
 * {@code transferring:firmware-invalid: bad magic (Transfer FW: FW Verification Failed, 000Ah)}
 * ({@link UploadFailure#line}).
 */
final class UploadOutcome {
    private UploadOutcome() {
    }

    static boolean inProgress(MemdevView v) {
        return v.firmware().map(MemdevView.FirmwareView::updateInProgress).orElse(false)
                || v.cxlkit().map(c -> !c.upload().status().equals("idle")).orElse(false);
    }

    /** The reason the last upload failed or was cancelled; empty after a success. */
    static Optional<String> failure(MemdevView v) {
        Optional<String> error = v.firmware().flatMap(MemdevView.FirmwareView::updateError)
                .or(() -> v.cxlkit().flatMap(c -> c.upload().error()));
        if (error.isEmpty()) {
            return Optional.empty();
        }
        Optional<MemdevView.UploadView> u = v.cxlkit().map(MemdevView.CxlkitView::upload);
        Optional<String> answer = u.flatMap(MemdevView.UploadView::returnCode).map(rc -> {
            String command = u.flatMap(MemdevView.UploadView::opcode)
                    .map(op -> CommandId.nameOf(Opcode.parse(op))).orElse("");
            return command + ": " + u.flatMap(MemdevView.UploadView::returnCodeName).orElse("") + ", " + rc;
        });
        return Optional.of(UploadFailure.line(error.get(), u.flatMap(MemdevView.UploadView::reason), answer));
    }

    static boolean cancelled(MemdevView v) {
        return v.firmware().flatMap(MemdevView.FirmwareView::updateError).map(e -> e.endsWith(":user-abort"))
                .orElse(false);
    }

    /** Bytes acknowledged so far and the image size, for the progress bar. */
    static long[] progress(MemdevView v) {
        long sent = v.cxlkit().map(c -> c.upload().bytesSent()).orElse(0L);
        long remaining = v.firmware().map(MemdevView.FirmwareView::remainingSize).orElse(0L);
        return new long[] {sent, sent + remaining};
    }
}
