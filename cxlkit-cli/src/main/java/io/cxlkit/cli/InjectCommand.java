package io.cxlkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.host.json.JsonC;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit inject MEMDEV... FAULT} and {@code cxlkit inject --clear MEMDEV...}: device faults
 * (device-behaviour.md §8). Exactly one fault per call, every value checked before anything is
 * contacted. Prints each changed memdev's faults, {@code {"memdev":"mem0","faults":[...]}}, as
 * ndctl prints the memdevs a command changed: pretty, in an array (a single one bare when stdout is
 * a terminal).
 */
@Command(name = "inject", mixinStandardHelpOptions = true,
        description = "Inject a device fault, or clear them all (--clear).")
public final class InjectCommand extends DaemonCommand {

    /** Lowest and highest return code a fail-opcode fault may inject (device-behaviour.md §8). */

    @Parameters(paramLabel = "MEMDEV", arity = "1..*", description = "memN, N or all; serial numbers with -S")
    List<String> memdevs;

    @Mixin
    MemdevFilterOptions filter;

    @Mixin
    StrictOption strict;

    @Option(names = "--clear", description = "clear every injected fault")
    boolean clear;

    @Option(names = "--media-disabled", description = "media reads disabled; Transfer FW gets 0007h")
    boolean mediaDisabled;

    @Option(names = "--fail-opcode", paramLabel = "OPCODE",
            description = "the next --count commands OPCODE (e.g. 0201h) get --rc")
    String failOpcode;

    @Option(names = "--rc", paramLabel = "CODE", description = "return code for --fail-opcode (0002h..0020h)")
    String rc;

    @Option(names = "--count", paramLabel = "N", description = "how many commands --fail-opcode fails (default 1)")
    Integer count;

    @Option(names = "--cci", paramLabel = "CCI", completionCandidates = CompletionChoices.FaultCcis.class,
            description = "where --fail-opcode applies: mailbox, mctp or any (default any)")
    String cci;

    @Option(names = "--activation-fail", paramLabel = "MODE",
            completionCandidates = CompletionChoices.ActivationFailModes.class,
            description = "the next online activation fails: rollback or cold-reset")
    String activationFail;

    @Option(names = "--corrupt-staging", description = "the next End/Full verification fails (000Ah)")
    boolean corruptStaging;

    @Option(names = "--late-part", description = "the next Continue/End finds its transfer expired (0002h)")
    boolean latePart;

    @Override
    protected int execute() throws Exception {
        if (clear && (faultCount() > 0 || rc != null || count != null || cci != null)) {
            throw usage("--clear takes no fault option");
        }
        ObjectNode fault = clear ? null : fault();
        MemdevSelector selector = selector(memdevs, filter);
        Selection selection = resolve(selector);
        Outcome<JsonC.Obj> outcome = forEach(selection.names(), name -> faults(DaemonClient.parse(clear
                ? daemon().delete(memdevPath(name) + "/faults")
                : daemon().post(memdevPath(name) + "/faults", fault))));
        List<JsonC.Obj> changed = List.copyOf(outcome.succeeded().values());
        if (!changed.isEmpty()) {
            print(JsonC.document(MemdevJson.display(changed, Terminal.current().stdoutTty())));
        }
        return outcome.exitCode(strict, selection);
    }

    /** The daemon's answer {@code {"memdev","faults"}} as this command prints it. */
    private static JsonC.Obj faults(JsonNode answer) {
        List<String> faults = new ArrayList<>();
        answer.path("faults").forEach(f -> faults.add(f.asText()));
        return JsonC.object().put("memdev", answer.path("memdev").asText()).put("faults", JsonC.strings(faults))
                .build();
    }

    private int faultCount() {
        int n = 0;
        n += mediaDisabled ? 1 : 0;
        n += failOpcode != null ? 1 : 0;
        n += activationFail != null ? 1 : 0;
        n += corruptStaging ? 1 : 0;
        n += latePart ? 1 : 0;
        return n;
    }

    /** The request body of the one fault given; every value checked here (usage errors). */
    ObjectNode fault() {
        if (faultCount() != 1) {
            throw usage(faultCount() == 0
                    ? "give one fault: --media-disabled, --fail-opcode, --activation-fail, --corrupt-staging, "
                            + "--late-part, or --clear"
                    : "give exactly one fault per call");
        }
        if (failOpcode == null && (rc != null || count != null || cci != null)) {
            throw usage((rc != null ? "--rc" : count != null ? "--count" : "--cci") + " goes with --fail-opcode");
        }
        ObjectNode body = DaemonClient.object();
        if (mediaDisabled) {
            return body.put("fault", "media-disabled");
        }
        if (corruptStaging) {
            return body.put("fault", "corrupt-staging");
        }
        if (latePart) {
            return body.put("fault", "late-part");
        }
        if (activationFail != null) {
            if (!activationFail.equals("rollback") && !activationFail.equals("cold-reset")) {
                throw usage("--activation-fail takes rollback or cold-reset, not '" + activationFail + "'");
            }
            return body.put("fault", "activation-fail").put("mode", activationFail);
        }
        Opcode opcode;
        try {
            opcode = Opcode.parse(failOpcode);
        } catch (IllegalArgumentException e) {
            throw usage("--fail-opcode: '" + failOpcode + "' is not a 16-bit hex opcode (e.g. 0201h)");
        }
        if (rc == null) {
            throw usage("--fail-opcode needs --rc CODE");
        }
        ReturnCode code;
        try {
            code = ReturnCode.parse(rc);
        } catch (IllegalArgumentException e) {
            code = null;
        }
        if (code == null || !FaultSet.injectable(code)) {
            throw usage("--rc must be " + FaultSet.FIRST_INJECTABLE.hex() + ".." + FaultSet.LAST_INJECTABLE.hex()
                    + ", not '" + rc + "'");
        }
        int n = count == null ? 1 : count;
        if (n < 1) {
            throw usage("--count must be at least 1, not " + n);
        }
        String on = cci == null ? "any" : cci;
        if (!on.equals("mailbox") && !on.equals("mctp") && !on.equals("any")) {
            throw usage("--cci takes mailbox, mctp or any, not '" + on + "'");
        }
        return body.put("fault", "fail-opcode").put("opcode", opcode.toString()).put("rc", code.hex())
                .put("count", n).put("cci", on);
    }
}
