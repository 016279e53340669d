package io.cxlkit.protocol.payload;

import java.util.UUID;

/** Log identifiers used with Get Supported Logs and Get Log. */
public final class LogIds {
    private LogIds() {
    }

    /** The Command Effects Log (r3.1 §8.2.9.5.2.1). */
    public static final UUID CEL_UUID = UUID.fromString("0da9c0b5-bf41-4b78-8f79-96b1623b3f17");

    /**
     * cxlkit's vendor-defined Verification Log ({@link VerificationLog}, docs/verification-log.md):
     * why packages failed verification. A random (version 4) UUID, fixed for good.
     */
    public static final UUID VERIFICATION_LOG_UUID = UUID.fromString("a8b4b3af-cd9f-445f-9985-1954419031a6");
}
