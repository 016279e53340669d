package io.cxlkit.protocol.frame;

/** MCTP message types (DSP0239) carried by the socket endpoint's frames (wire.md §1). */
public final class MctpMessageType {

    /** 07h: CXL FM API. The endpoint drops frames of this type (check 2). */
    public static final int CXL_FM_API = 0x07;
    /** 08h: CXL CCI (Type 3 component command interface): the only type the endpoint serves. */
    public static final int CXL_CCI = 0x08;

    private MctpMessageType() {
    }

    /** "08h", the way the docs write message types. */
    public static String hex(int type) {
        return String.format("%02Xh", type & 0xFF);
    }
}
