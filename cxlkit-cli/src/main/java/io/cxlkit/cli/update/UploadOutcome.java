package io.cxlkit.cli.update;

import io.cxlkit.host.json.MemdevView;
import java.util.Optional;

/**
 * How an upload ended, read from the memdev object: the {@code fw_update_error} and the failing
 * command from the {@code cxlkit.upload} object, as one reason line such as
 * {@code transferring:firmware-invalid (Transfer FW: FW Verification Failed, 000Ah)}.
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
        Optional<String> rc = u.flatMap(MemdevView.UploadView::returnCode);
        if (rc.isEmpty()) {
            return error;
        }
        String command = u.flatMap(MemdevView.UploadView::opcode)
                .map(op -> io.cxlkit.protocol.CommandId.nameOf(io.cxlkit.protocol.Opcode.parse(op))).orElse("");
        String name = u.flatMap(MemdevView.UploadView::returnCodeName).orElse("");
        return Optional.of(error.get() + " (" + command + ": " + name + ", " + rc.get() + ")");
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
