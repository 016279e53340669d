package io.cxlkit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.ReturnCode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit activate-firmware MEMDEV... --slot N [--online]}: Activate FW through the host
 * driver (on the next cold reset, or now with {@code --online}); prints the memdev JSON as
 * update-firmware does. A device refusal is one line with its return code.
 */
@Command(name = "activate-firmware", mixinStandardHelpOptions = true,
        description = "Activate the firmware in a slot, on the next cold reset or (--online) now.")
public final class ActivateFirmwareCommand extends DaemonCommand {

    @Parameters(paramLabel = "MEMDEV", arity = "1..*", description = "memN, N or all; serial numbers with -S")
    List<String> memdevs;

    @Mixin
    MemdevFilterOptions filter;

    @Mixin
    StrictOption strict;

    @Option(names = "--slot", paramLabel = "N", required = true, description = "the slot to activate (1..4)")
    int slot;

    @Option(names = "--online", description = "activate now instead of on the next cold reset")
    boolean online;

    @Override
    protected int execute() throws Exception {
        if (slot < 1 || slot > FwInfo.SLOT_COUNT) {
            throw usage("--slot must be 1.." + FwInfo.SLOT_COUNT + ", not " + slot);
        }
        MemdevSelector selector = selector(memdevs, filter);
        ObjectNode body = DaemonClient.object().put("slot", slot).put("online", online);
        return changeEach(resolve(selector), strict, name -> daemon().post(memdevPath(name) + "/firmware/activate", body));
    }

    /** A device error, with the cause where 000Bh (or 0002h) leaves it open (DeviceErrorHints). */
    @Override
    protected String explain(String memdev, ApiError e) throws InterruptedException {
        Optional<ReturnCode> rc = e.returnCode().map(ReturnCode::parse);
        Optional<String> hint = Optional.empty();
        if (rc.isPresent()) {
            try {
                hint = DeviceErrorHints.activation(slot, online, rc.get(), memdev(memdev));
            } catch (IOException | ApiError lookFailed) {
                // the hint is a courtesy: the device's own answer is still said
            }
        }
        return e.messageFor(memdev) + hint.map(h -> DeviceErrorHints.SEPARATOR + h).orElse("");
    }
}
