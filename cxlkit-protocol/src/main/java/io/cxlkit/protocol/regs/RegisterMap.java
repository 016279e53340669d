package io.cxlkit.protocol.regs;

/**
 * cxlkit's device register block layout (reference.md §1): where a host finds each register,
 * relative to the start of the block. The capability array at 000h describes the same layout.
 */
public final class RegisterMap {
    private RegisterMap() {
    }

    public static final int CAPABILITY_ARRAY = 0x000;
    public static final int CAPABILITY_HEADER_SIZE = 0x10;
    /** Capability IDs (r3.1 §8.2.8.2.1). */
    public static final int CAP_ID_ARRAY = 0x0000;
    public static final int CAP_ID_DEVICE_STATUS = 0x0001;
    public static final int CAP_ID_PRIMARY_MAILBOX = 0x0002;
    public static final int CAP_ID_SECONDARY_MAILBOX = 0x0003;
    public static final int CAP_ID_MEMORY_DEVICE_STATUS = 0x4000;

    public static final int EVENT_STATUS = 0x100;
    public static final int MEMORY_DEVICE_STATUS = 0x180;
    public static final int MAILBOX = 0x200;

    /** Registers of the primary mailbox, absolute offsets. */
    public static final int MB_CAPABILITIES = MAILBOX + 0x00;
    public static final int MB_CONTROL = MAILBOX + 0x04;
    public static final int MB_COMMAND = MAILBOX + 0x08;
    public static final int MB_STATUS = MAILBOX + 0x10;
    public static final int MB_BG_COMMAND_STATUS = MAILBOX + 0x18;
    public static final int MB_PAYLOAD = MAILBOX + 0x20;

    /** Size of the whole block for a mailbox payload area of {@code payloadSize} bytes. */
    public static int blockSize(int payloadSize) {
        return MB_PAYLOAD + payloadSize;
    }
}
