package io.cxlkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * (device-behaviour.md §8; the health faults and the one-shot corrected-error of
 * docs/events-and-health.md; the one-shot media-error of memdev-commands.md §12). Exactly one fault
 * per call, every value checked before anything is contacted (a corrected-error or media-error DPA
 * outside a device is that device's refusal: exit 1). Prints each changed memdev's faults, {@code {"memdev":"mem0","faults":[...]}}, as
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

    @Option(names = "--count", paramLabel = "N",
            description = "how many commands --fail-opcode fails, or errors --corrected-error adds (default 1)")
    Long count;

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

    @Option(names = "--life-used", paramLabel = "N", description = "Life Used reads N percent (0..100)")
    Integer lifeUsed;

    @Option(names = "--temperature", paramLabel = "C", description = "Device Temperature reads C (-32768..32767)")
    Integer temperature;

    @Option(names = "--health-status", paramLabel = "LIST",
            description = "Health Status bits that read set: maintenance, performance, replacement, capacity "
                    + "(comma-separated; replaces an earlier one)")
    String healthStatus;

    @Option(names = "--media-status", paramLabel = "NAME", completionCandidates = CompletionChoices.MediaStatuses.class,
            description = "Media Status reads NAME: normal, not-ready, persistence-lost, data-lost, "
                    + "powerloss-persistence-loss, shutdown-persistence-loss, persistence-loss-imminent, "
                    + "powerloss-data-loss, shutdown-data-loss or data-loss-imminent")
    String mediaStatus;

    @Option(names = "--gpf-fail", description = "a graceful power-off leaves the shutdown state dirty")
    boolean gpfFail;

    @Option(names = "--corrected-error", paramLabel = "DPA",
            description = "one-shot: --count corrected errors in the partition holding DPA (decimal or 0x-hex)")
    String correctedError;

    @Option(names = "--media-error", paramLabel = "DPA",
            description = "one-shot: poison --length bytes from DPA (decimal or 0x-hex, 64-byte aligned) with source "
                    + "Internal; lines already poisoned keep their source")
    String mediaError;

    @Option(names = "--length", paramLabel = "BYTES",
            description = "how many bytes --media-error poisons: a multiple of 64 (default 64)")
    Long length;

    /** The unit of poison: one 64-byte line. */
    static final int LINE = 64;

    @Override
    protected int execute() throws Exception {
        if (clear && (faultCount() > 0 || rc != null || count != null || cci != null || length != null)) {
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
        n += lifeUsed != null ? 1 : 0;
        n += temperature != null ? 1 : 0;
        n += healthStatus != null ? 1 : 0;
        n += mediaStatus != null ? 1 : 0;
        n += gpfFail ? 1 : 0;
        n += correctedError != null ? 1 : 0;
        n += mediaError != null ? 1 : 0;
        return n;
    }

    /** The request body of the one fault given; every value checked here (usage errors). */
    ObjectNode fault() {
        if (faultCount() != 1) {
            throw usage(faultCount() == 0
                    ? "give one fault: --media-disabled, --fail-opcode, --activation-fail, --corrupt-staging, "
                            + "--late-part, --life-used, --temperature, --health-status, --media-status, --gpf-fail, "
                            + "--corrected-error, --media-error, or --clear"
                    : "give exactly one fault per call");
        }
        if (failOpcode == null && (rc != null || cci != null)) {
            throw usage((rc != null ? "--rc" : "--cci") + " goes with --fail-opcode");
        }
        if (failOpcode == null && correctedError == null && count != null) {
            throw usage("--count goes with --fail-opcode or --corrected-error");
        }
        if (mediaError == null && length != null) {
            throw usage("--length goes with --media-error");
        }
        ObjectNode body = DaemonClient.object();
        if (mediaError != null) {
            long dpa;
            try {
                dpa = FaultSet.parseDpa(mediaError);
            } catch (IllegalArgumentException e) {
                throw usage("--media-error: " + e.getMessage());
            }
            if (dpa % LINE != 0) {
                throw usage("--media-error: DPA 0x" + Long.toHexString(dpa) + " is not 64-byte aligned");
            }
            long bytes = length == null ? LINE : length;
            if (bytes < LINE || bytes % LINE != 0) {
                throw usage("--length must be a positive multiple of 64 bytes, not " + bytes);
            }
            return body.put("fault", "media-error").put("dpa", dpa).put("length", bytes);
        }
        if (mediaDisabled) {
            return body.put("fault", "media-disabled");
        }
        if (gpfFail) {
            return body.put("fault", "gpf-fail");
        }
        if (lifeUsed != null) {
            if (lifeUsed < FaultSet.MIN_LIFE_USED || lifeUsed > FaultSet.MAX_LIFE_USED) {
                throw usage("--life-used must be 0..100, not " + lifeUsed);
            }
            return body.put("fault", "life-used").put("percent", lifeUsed);
        }
        if (temperature != null) {
            if (temperature < FaultSet.MIN_TEMPERATURE || temperature > FaultSet.MAX_TEMPERATURE) {
                throw usage("--temperature must be -32768..32767, not " + temperature);
            }
            return body.put("fault", "temperature").put("celsius", temperature);
        }
        if (healthStatus != null) {
            java.util.Set<FaultSet.HealthCondition> conditions;
            try {
                conditions = FaultSet.HealthCondition.parseList(healthStatus);
            } catch (IllegalArgumentException e) {
                throw usage("--health-status takes a comma-separated list of maintenance, performance, replacement "
                        + "and capacity, not '" + healthStatus + "'");
            }
            ArrayNode list = body.put("fault", "health-status").putArray("conditions");
            conditions.forEach(c -> list.add(c.label()));
            return body;
        }
        if (mediaStatus != null) {
            try {
                FaultSet.MediaStatus.fromLabel(mediaStatus);
            } catch (IllegalArgumentException e) {
                throw usage("--" + e.getMessage());
            }
            return body.put("fault", "media-status").put("status", mediaStatus);
        }
        if (correctedError != null) {
            long dpa;
            try {
                dpa = FaultSet.parseDpa(correctedError);
            } catch (IllegalArgumentException e) {
                throw usage("--corrected-error: " + e.getMessage());
            }
            long n = count == null ? 1 : count;
            if (n < 1 || n > 0xFFFF_FFFFL) {
                throw usage("--count must be 1..4294967295 for --corrected-error, not " + n);
            }
            return body.put("fault", "corrected-error").put("dpa", dpa).put("count", n);
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
        long n = count == null ? 1 : count;
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw usage("--count must be 1.." + Integer.MAX_VALUE + " for --fail-opcode, not " + n);
        }
        String on = cci == null ? "any" : cci;
        if (!on.equals("mailbox") && !on.equals("mctp") && !on.equals("any")) {
            throw usage("--cci takes mailbox, mctp or any, not '" + on + "'");
        }
        return body.put("fault", "fail-opcode").put("opcode", opcode.toString()).put("rc", code.hex())
                .put("count", (int) n).put("cci", on);
    }
}
