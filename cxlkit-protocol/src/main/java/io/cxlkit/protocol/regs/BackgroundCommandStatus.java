package io.cxlkit.protocol.regs;

import io.cxlkit.protocol.Opcode;

/**
 * Background Command Status register (+18h, 64 bit): opcode 15:0, percentage complete 22:16,
 * return code 47:32 (valid at 100% or once the operation stopped), vendor status 63:48.
 */
public record BackgroundCommandStatus(Opcode opcode, int percentComplete, int returnCode, int vendorStatus) {

    public static final BackgroundCommandStatus NONE = new BackgroundCommandStatus(Opcode.of(0), 0, 0, 0);

    public BackgroundCommandStatus {
        if (percentComplete < 0 || percentComplete > 100) {
            throw new IllegalArgumentException("percentage is 0..100: " + percentComplete);
        }
    }

    public long toRaw() {
        long r = Bits.put(0, 0, 16, opcode.value());
        r = Bits.put(r, 16, 7, percentComplete);
        r = Bits.put(r, 32, 16, returnCode);
        return Bits.put(r, 48, 16, vendorStatus);
    }

    public static BackgroundCommandStatus fromRaw(long raw) {
        int pct = (int) Bits.get(raw, 16, 7);
        return new BackgroundCommandStatus(Opcode.of((int) Bits.get(raw, 0, 16)), Math.min(pct, 100),
                (int) Bits.get(raw, 32, 16), (int) Bits.get(raw, 48, 16));
    }
}
