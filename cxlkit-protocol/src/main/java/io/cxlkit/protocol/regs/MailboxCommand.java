package io.cxlkit.protocol.regs;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.Opcode;

/** Mailbox Command register (+08h, 64 bit): opcode 15:0, payload length 36:16 (21 bits). */
public record MailboxCommand(Opcode opcode, int payloadLength) {

    public static final int MAX_PAYLOAD_LENGTH = CciHeader.MAX_PAYLOAD_LENGTH;

    public MailboxCommand {
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("payload length is 21 bits: " + payloadLength);
        }
    }

    public long toRaw() {
        return Bits.put(Bits.put(0, 0, 16, opcode.value()), 16, 21, payloadLength);
    }

    public static MailboxCommand fromRaw(long raw) {
        return new MailboxCommand(Opcode.of((int) Bits.get(raw, 0, 16)), (int) Bits.get(raw, 16, 21));
    }
}
