package io.cxlkit.protocol.regs;

/** Mailbox Control register (+04h, 32 bit). */
public record MailboxControl(boolean doorbell, boolean doorbellInterruptEnable,
                             boolean backgroundInterruptEnable) {

    public static final long DOORBELL = 1L;
    public static final long DOORBELL_INTERRUPT_ENABLE = 1L << 1;
    public static final long BACKGROUND_INTERRUPT_ENABLE = 1L << 2;

    public long toRaw() {
        return (doorbell ? DOORBELL : 0) | (doorbellInterruptEnable ? DOORBELL_INTERRUPT_ENABLE : 0)
                | (backgroundInterruptEnable ? BACKGROUND_INTERRUPT_ENABLE : 0);
    }

    public static MailboxControl fromRaw(long raw) {
        return new MailboxControl((raw & DOORBELL) != 0, (raw & DOORBELL_INTERRUPT_ENABLE) != 0,
                (raw & BACKGROUND_INTERRUPT_ENABLE) != 0);
    }
}
