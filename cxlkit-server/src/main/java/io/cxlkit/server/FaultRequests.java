package io.cxlkit.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.server.api.ApiException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Parses the body of {@code POST /v1/memdevs/{name}/faults} into a change of the device's fault
 * set (device-behaviour.md §8):
 * <pre>
 * {"fault":"media-disabled"}
 * {"fault":"fail-opcode","opcode":"0201h","rc":"0006h","count":1,"cci":"any"}
 * {"fault":"activation-fail","mode":"rollback"|"cold-reset"}
 * {"fault":"corrupt-staging"}
 * {"fault":"late-part"}
 * </pre>
 */
public final class FaultRequests {
    private FaultRequests() {
    }

    public static Consumer<FaultSet> parse(JsonNode body) throws ApiException {
        String fault = text(body, "fault");
        switch (fault) {
            case "media-disabled":
                return FaultSet::setMediaDisabled;
            case "corrupt-staging":
                return FaultSet::setCorruptStaging;
            case "late-part":
                return FaultSet::setLatePart;
            case "activation-fail": {
                FaultSet.ActivationFailure mode;
                try {
                    mode = FaultSet.ActivationFailure.fromLabel(text(body, "mode"));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(e.getMessage());
                }
                return f -> f.setActivationFailure(mode);
            }
            case "fail-opcode": {
                Opcode opcode;
                ReturnCode rc;
                try {
                    opcode = Opcode.parse(text(body, "opcode"));
                    rc = ReturnCode.parse(text(body, "rc"));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("fail-opcode: " + e.getMessage());
                }
                JsonNode countNode = body.path("count");
                int count = countNode.isMissingNode() ? 1 : countNode.isInt() ? countNode.asInt() : -1;
                String cciText = body.path("cci").asText("any");
                Optional<Cci> cci;
                try {
                    cci = cciText.equals("any") ? Optional.empty() : Optional.of(Cci.fromLabel(cciText));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("fail-opcode: cci must be mailbox, mctp or any");
                }
                FaultSet.FailOpcode spec;
                try {
                    spec = new FaultSet.FailOpcode(opcode, rc, count, cci);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(e.getMessage());
                }
                return f -> f.addFailOpcode(spec);
            }
            default:
                throw ApiException.badRequest("unknown fault '" + fault
                        + "' (media-disabled, fail-opcode, activation-fail, corrupt-staging, late-part)");
        }
    }

    private static String text(JsonNode body, String field) throws ApiException {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual()) {
            throw ApiException.badRequest("'" + field + "' (a string) is required");
        }
        return n.asText();
    }
}
