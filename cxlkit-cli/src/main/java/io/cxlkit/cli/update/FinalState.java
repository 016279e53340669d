package io.cxlkit.cli.update;

import io.cxlkit.host.json.MemdevView;
import java.util.Optional;

/**
 * What an upload that ended left on its memdev, in words, read from the memdev object after the
 * end: {@code staged in slot 2, active after the next cold reset} (the host driver activates a new
 * package on the next cold reset, as the kernel's does), {@code active in slot 2} (nothing staged:
 * the package is already running), {@code cancelled}, or {@code failed: <stage>:<error>} (the
 * command's own line then gives the device's reason).
 */
final class FinalState {
    private FinalState() {
    }

    static String of(MemdevView v) {
        Optional<String> error = v.cxlkit().flatMap(c -> c.upload().error());
        if (error.isPresent()) {
            return failed(error.get());
        }
        return v.firmware().map(f -> f.stagedSlot() > 0 ? staged(f.stagedSlot()) : "active in slot " + f.activeSlot())
                .orElse("done");
    }

    /** A package the host made the slot to activate on the next cold reset. */
    static String staged(int slot) {
        return "staged in slot " + slot + ", active after the next cold reset";
    }

    /** An upload that ended with {@code error} ({@code <stage>:<error>}). */
    static String failed(String error) {
        return error.endsWith(":user-abort") ? "cancelled" : "failed: " + error;
    }
}
