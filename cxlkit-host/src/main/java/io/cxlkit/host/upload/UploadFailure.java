package io.cxlkit.host.upload;

import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import java.util.Optional;

/**
 * Why an upload ended without success: the stage it was in, the kernel's error word, and, when a
 * device answer caused it, the command and its return code.
 */
public record UploadFailure(UploadStage stage, UploadError error, Optional<Opcode> opcode,
                            Optional<ReturnCode> returnCode) {

    /** A failure the host saw itself (a read error, a cancel, a timeout). */
    public static UploadFailure of(UploadStage stage, UploadError error) {
        return new UploadFailure(stage, error, Optional.empty(), Optional.empty());
    }

    /** A failure caused by the device's answer {@code cause}. */
    public static UploadFailure byDevice(UploadStage stage, UploadError error, CciCommandException cause) {
        return new UploadFailure(stage, error, Optional.of(cause.opcode()), Optional.of(cause.returnCode()));
    }

    /** {@code <stage>:<error>}, as the kernel's sysfs shows it, e.g. {@code transferring:firmware-invalid}. */
    public String label() {
        return stage.label() + ":" + error.label();
    }

    /** The one-line reason, e.g. {@code transferring:firmware-invalid (Transfer FW: FW Verification Failed, 000Ah)}. */
    public String message() {
        if (returnCode.isEmpty()) {
            return label();
        }
        String command = opcode.map(CommandId::nameOf).orElse("");
        return label() + " (" + command + ": " + returnCode.get().specName() + ", " + returnCode.get().hex() + ")";
    }
}
