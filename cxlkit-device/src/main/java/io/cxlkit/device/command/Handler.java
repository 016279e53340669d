package io.cxlkit.device.command;

import io.cxlkit.protocol.Cci;
import java.nio.ByteBuffer;

/** Runs one command after the dispatcher's checks passed; called under the device lock. */
@FunctionalInterface
public interface Handler {

    /**
     * @param cci       the interface the command arrived on
     * @param input     the input payload (its length already checked against the table)
     * @param maxOutput the most output bytes this CCI can carry back
     */
    Outcome handle(Cci cci, ByteBuffer input, int maxOutput);
}
