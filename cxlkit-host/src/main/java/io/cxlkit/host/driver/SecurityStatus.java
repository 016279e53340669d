package io.cxlkit.host.driver;

import io.cxlkit.protocol.ReturnCode;
import java.util.Optional;

/**
 * The host's security state of a memdev as the kernel's {@code security/state} attribute shows it
 * (memdev-commands.md §13.3): {@code sanitize} from a Sanitize's 0001h answer until its background
 * completion, else {@code disabled} (cxlkit models no passphrase); and how the last Sanitize this
 * driver saw finish ended.
 *
 * @param sanitizing   a Sanitize runs in the background
 * @param lastSanitize the return code the last finished Sanitize completed with (at once, or in
 *                     the background); empty before one finished
 */
public record SecurityStatus(boolean sanitizing, Optional<ReturnCode> lastSanitize) {

    public static final String SANITIZE = "sanitize";
    public static final String DISABLED = "disabled";

    public SecurityStatus {
        java.util.Objects.requireNonNull(lastSanitize, "lastSanitize");
    }

    /** The kernel's word for the state: {@value #SANITIZE} or {@value #DISABLED}. */
    public String state() {
        return sanitizing ? SANITIZE : DISABLED;
    }
}
