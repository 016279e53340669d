package io.cxlkit.protocol.payload;

/**
 * The Error Source of a media error record, bits 2:0 of its DPA field (r3.1 §8.2.9.9.4.1, Table
 * 8-140); 100b–110b are reserved.
 */
public enum PoisonSource {
    /** 000b: the device does not know. */
    UNKNOWN(0b000),
    /** 001b: poison received from a source outside the device. */
    EXTERNAL(0b001),
    /** 010b: the device found the error itself. */
    INTERNAL(0b010),
    /** 011b: placed by Inject Poison. */
    INJECTED(0b011),
    /** 111b: vendor specific. */
    VENDOR_SPECIFIC(0b111);

    private final int code;

    PoisonSource(int code) {
        this.code = code;
    }

    /** The 3-bit code. */
    public int code() {
        return code;
    }

    /** The source with {@code code} (bits 2:0); a reserved code is malformed. */
    public static PoisonSource fromCode(int code) {
        for (PoisonSource s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new MalformedPayloadException("media error source " + Integer.toBinaryString(code & 7)
                + "b is reserved");
    }
}
