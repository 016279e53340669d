package io.cxlkit.protocol;

/** The two command interfaces of a cxlkit device. */
public enum Cci {
    /** The primary mailbox registers, used in-band by the host driver. */
    MAILBOX("mailbox"),
    /** The MCTP CCI reached over the socket endpoint (MCTP message type 08h). */
    MCTP("mctp");

    private final String label;

    Cci(String label) {
        this.label = label;
    }

    /** The lower-case name used in options and JSON ("mailbox", "mctp"). */
    public String label() {
        return label;
    }

    public static Cci fromLabel(String label) {
        for (Cci c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown CCI: " + label + " (mailbox or mctp)");
    }
}
