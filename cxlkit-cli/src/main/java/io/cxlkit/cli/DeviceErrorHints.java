package io.cxlkit.cli;

import io.cxlkit.host.json.MemdevView;
import io.cxlkit.protocol.ReturnCode;
import java.util.Optional;

/**
 * One clause that names the cause of a device error where the spec's return code covers several
 * and the host can tell which from what it already knows: the memdev object as the daemon shows
 * it right after the error (Get FW Info's slots, the injected faults, the host's own upload). The
 * return code, the JSON and the exit status stay as they are; the clause only joins the failure
 * line, after {@link #SEPARATOR}.
 *
 * <p>A hint must be true whenever it is given. An injected fail-opcode fault can make any command
 * answer any code and is gone once spent, so codes such as 0006h Busy or 0008h FW Transfer in
 * Progress get no hint: the host cannot tell another client's work from a spent fault.
 */
public final class DeviceErrorHints {
    private DeviceErrorHints() {
    }

    /** Between a failure line's device error and its hint. */
    public static final String SEPARATOR = "; ";

    /**
     * Why Activate FW of {@code slot} ({@code online} or on the next reset) got {@code rc} on the
     * memdev now described by {@code v}; empty when the host cannot tell.
     */
    public static Optional<String> activation(int slot, boolean online, ReturnCode rc, MemdevView v) {
        Optional<MemdevView.FirmwareView> fw = v.firmware();
        if (fw.isEmpty()) {
            return Optional.empty();
        }
        MemdevView.FirmwareView f = fw.get();
        return switch (rc) {
            // r3.1 uses one code for a slot that does not exist, the active slot and an empty slot
            case INVALID_SLOT -> {
                if (slot < 1 || slot > f.numSlots()) {
                    yield Optional.of(v.name() + " has " + f.numSlots() + " slots (1.." + f.numSlots() + ")");
                }
                if (slot == f.activeSlot()) {
                    yield Optional.of("slot " + slot + " is already active");
                }
                if (f.slotRevision(slot).isEmpty()) {
                    yield Optional.of("slot " + slot + " is empty; upload a package to it first");
                }
                yield Optional.empty();
            }
            case INVALID_INPUT -> online && !f.onlineActivateCapable()
                    ? Optional.of(v.name() + " cannot activate online; leave out --online to activate on the "
                            + "next cold reset")
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    /**
     * Why the last upload of the memdev described by {@code v} failed with its recorded return
     * code; empty when the host cannot tell (or the upload did not fail on a device error).
     */
    public static Optional<String> upload(MemdevView v) {
        Optional<ReturnCode> rc = v.cxlkit().flatMap(c -> c.upload().returnCode()).map(ReturnCode::parse);
        if (rc.isEmpty()) {
            return Optional.empty();
        }
        return switch (rc.get()) {
            case MEDIA_DISABLED -> injected(v, "media-disabled");
            default -> Optional.empty();
        };
    }

    private static Optional<String> injected(MemdevView v, String fault) {
        boolean present = v.cxlkit().map(c -> c.faults().stream().anyMatch(f -> f.startsWith(fault)))
                .orElse(false);
        return present ? Optional.of("the fault " + fault + " is injected on " + v.name()
                + "; clear it with cxlkit inject --clear " + v.name()) : Optional.empty();
    }
}
