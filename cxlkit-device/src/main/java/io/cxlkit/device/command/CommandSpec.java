package io.cxlkit.device.command;

import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CelEffect;
import io.cxlkit.protocol.CelEffects;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import java.util.Set;

/**
 * One row of the command table: everything the dispatcher and the Command Effects Log need to know
 * about a command. Background and abortable are CEL effect bits, so they are stated once, there.
 */
public record CommandSpec(CommandId id, Set<Cci> ccis, LengthRule inputLength, CelEffects effects, Handler handler) {

    public Opcode opcode() {
        return id.opcode();
    }

    public boolean offeredOn(Cci cci) {
        return ccis.contains(cci);
    }

    /** Flagged Background in the CEL: refused with 0006h while a background operation runs. */
    public boolean background() {
        return effects.contains(CelEffect.BACKGROUND_OPERATION);
    }

    public boolean abortable() {
        return effects.contains(CelEffect.REQUEST_ABORT_SUPPORTED);
    }
}
