package io.cxlkit.host.upload;

import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import java.util.Optional;

/**
 * Why an upload ended without success: the stage it was in, the kernel's error word, and, when a
 * device answer caused it, the command, its return code and the device's reason for it (from its
 * Verification Log, docs/verification-log.md), if the host found one.
 */
public record UploadFailure(UploadStage stage, UploadError error, Optional<Opcode> opcode,
                            Optional<ReturnCode> returnCode, Optional<String> reason) {

    /** A failure the host saw itself (a read error, a cancel, a timeout). */
    public static UploadFailure of(UploadStage stage, UploadError error) {
        return new UploadFailure(stage, error, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A failure caused by the device's answer {@code cause}, with its reason if it has one. */
    public static UploadFailure byDevice(UploadStage stage, UploadError error, CciCommandException cause) {
        return new UploadFailure(stage, error, Optional.of(cause.opcode()), Optional.of(cause.returnCode()),
                cause.reason());
    }

    /** {@code <stage>:<error>}, as the kernel's sysfs shows it, e.g. {@code transferring:firmware-invalid}. */
    public String label() {
        return stage.label() + ":" + error.label();
    }

    /**
     * The one-line reason, e.g. {@code transferring:firmware-invalid: signed by key f3af909053e689d9,
     * which is not trusted by this device (Transfer FW: FW Verification Failed, 000Ah)}.
     */
    public String message() {
        return line(label(), reason, returnCode.map(rc -> CciCommandException.answer(opcode.orElseThrow(), rc)));
    }

    /**
     * How a failed upload reads in one line, wherever it is shown: the {@code <stage>:<error>}
     * label, the device's reason after a colon, the device's answer in parentheses, e.g.
     * {@code transferring:firmware-invalid: bad magic (Transfer FW: FW Verification Failed, 000Ah)}.
     */
    public static String line(String label, Optional<String> reason, Optional<String> answer) {
        return label + reason.map(r -> ": " + r).orElse("") + answer.map(a -> " (" + a + ")").orElse("");
    }
}
