package io.cxlkit.host.driver;

/**
 * A Sanitize or Secure Erase the host driver refuses before sending it (memdev-commands.md §13.3):
 * one already runs on the memdev, or Get Security State says a user passphrase is set.
 */
public final class SanitizeRefusedException extends Exception {

    /** Why the host refused. */
    public enum Why {
        /** A Sanitize sent through this driver is still running. */
        SANITIZE_ACTIVE,
        /** Get Security State bit 0: a user passphrase is set (the kernel refuses then too). */
        PASSPHRASE_SET
    }

    private final Why why;

    public SanitizeRefusedException(Why why, String message) {
        super(message, null, false, false);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
