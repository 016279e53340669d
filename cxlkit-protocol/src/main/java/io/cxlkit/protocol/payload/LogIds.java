package io.cxlkit.protocol.payload;

import java.util.UUID;

/** Log identifiers used with Get Supported Logs and Get Log. */
public final class LogIds {
    private LogIds() {
    }

    /** The Command Effects Log (r3.1 §8.2.9.5.2.1). */
    public static final UUID CEL_UUID = UUID.fromString("0da9c0b5-bf41-4b78-8f79-96b1623b3f17");
}
