package io.cxlkit.protocol.regs;

/**
 * Memory Device Status register (capability 4000h, +00h, 64 bit): fatal 0, FW halt 1, media
 * status 3:2, mailbox interfaces ready 4, reset needed 7:5.
 */
public record MemoryDeviceStatus(boolean deviceFatal, boolean fwHalt, int mediaStatus,
                                 boolean mailboxReady, int resetNeeded) {

    public static final int MEDIA_NOT_READY = 0;
    public static final int MEDIA_READY = 1;
    public static final int MEDIA_ERROR = 2;
    public static final int MEDIA_DISABLED = 3;

    public static final int RESET_NONE = 0;
    public static final int RESET_COLD = 1;
    public static final int RESET_WARM = 2;
    public static final int RESET_HOT = 3;
    public static final int RESET_CXL = 4;

    public long toRaw() {
        long r = Bits.put(0, 0, 1, deviceFatal ? 1 : 0);
        r = Bits.put(r, 1, 1, fwHalt ? 1 : 0);
        r = Bits.put(r, 2, 2, mediaStatus);
        r = Bits.put(r, 4, 1, mailboxReady ? 1 : 0);
        return Bits.put(r, 5, 3, resetNeeded);
    }

    public static MemoryDeviceStatus fromRaw(long raw) {
        return new MemoryDeviceStatus(Bits.get(raw, 0, 1) != 0, Bits.get(raw, 1, 1) != 0,
                (int) Bits.get(raw, 2, 2), Bits.get(raw, 4, 1) != 0, (int) Bits.get(raw, 5, 3));
    }
}
