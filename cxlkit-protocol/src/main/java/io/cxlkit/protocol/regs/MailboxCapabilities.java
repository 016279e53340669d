package io.cxlkit.protocol.regs;

/** Mailbox Capabilities register (+00h, 32 bit). */
public record MailboxCapabilities(int payloadSizeExponent, boolean doorbellInterruptCapable,
                                  boolean backgroundInterruptCapable, int interruptMessageNumber,
                                  int readyTimeSeconds, int type) {

    public static final int TYPE_INFERRED = 0;
    public static final int TYPE_MEMORY_DEVICE = 1;
    public static final int TYPE_FM_API = 2;

    public MailboxCapabilities {
        if (payloadSizeExponent < 8 || payloadSizeExponent > 20) {
            throw new IllegalArgumentException("payload size is 2^8..2^20: 2^" + payloadSizeExponent);
        }
    }

    public int payloadSize() {
        return 1 << payloadSizeExponent;
    }

    public long toRaw() {
        long r = 0;
        r = Bits.put(r, 0, 5, payloadSizeExponent);
        r = Bits.put(r, 5, 1, doorbellInterruptCapable ? 1 : 0);
        r = Bits.put(r, 6, 1, backgroundInterruptCapable ? 1 : 0);
        r = Bits.put(r, 7, 4, interruptMessageNumber);
        r = Bits.put(r, 11, 8, readyTimeSeconds);
        r = Bits.put(r, 19, 4, type);
        return r;
    }

    public static MailboxCapabilities fromRaw(long raw) {
        return new MailboxCapabilities((int) Bits.get(raw, 0, 5), Bits.get(raw, 5, 1) != 0,
                Bits.get(raw, 6, 1) != 0, (int) Bits.get(raw, 7, 4), (int) Bits.get(raw, 11, 8),
                (int) Bits.get(raw, 19, 4));
    }
}
