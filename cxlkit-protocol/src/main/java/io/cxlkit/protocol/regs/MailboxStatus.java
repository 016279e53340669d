package io.cxlkit.protocol.regs;

/** Mailbox Status register (+10h, 64 bit): BG in progress 0, return code 47:32, vendor 63:48. */
public record MailboxStatus(boolean backgroundInProgress, int returnCode, int vendorStatus) {

    public long toRaw() {
        long r = Bits.put(0, 0, 1, backgroundInProgress ? 1 : 0);
        r = Bits.put(r, 32, 16, returnCode);
        return Bits.put(r, 48, 16, vendorStatus);
    }

    public static MailboxStatus fromRaw(long raw) {
        return new MailboxStatus(Bits.get(raw, 0, 1) != 0, (int) Bits.get(raw, 32, 16),
                (int) Bits.get(raw, 48, 16));
    }
}
