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
}
