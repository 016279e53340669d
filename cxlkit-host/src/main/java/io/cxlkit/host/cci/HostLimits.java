package io.cxlkit.host.cci;

import java.time.Duration;

/** The host's patience, as the Linux driver has it (drivers/cxl/pci.c, core/mbox.c). */
public final class HostLimits {
    private HostLimits() {
    }

    /** The mailbox command timeout: the doorbell must clear within 2 s. */
    public static final Duration DOORBELL_TIMEOUT = Duration.ofSeconds(2);
    /** A background command (e.g. a Transfer FW part) must finish within 30 s. */
    public static final Duration BACKGROUND_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long the host waits for a Sanitize to finish: beyond the longest the device models (QEMU's
     * table tops out at 4 h). The kernel re-polls a sanitize without end; a bound keeps a lost
     * completion from holding the security state at {@code sanitize} forever.
     */
    public static final Duration SANITIZE_TIMEOUT = Duration.ofHours(5);
}
