package io.cxlkit.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.server.api.ApiException;
import io.cxlkit.server.api.Params;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Parses the body of {@code POST /v1/memdevs/{name}/faults} into a change of the device's faults
 * (device-behaviour.md §8, docs/events-and-health.md "Faults"), or a one-shot injection:
 * <pre>
 * {"fault":"media-disabled"}
 * {"fault":"fail-opcode","opcode":"0201h","rc":"0006h","count":1,"cci":"any"}
 * {"fault":"activation-fail","mode":"rollback"|"cold-reset"}
 * {"fault":"corrupt-staging"}
 * {"fault":"late-part"}
 * {"fault":"life-used","percent":80}
 * {"fault":"temperature","celsius":-5}
 * {"fault":"health-status","conditions":["maintenance","capacity"]}
 * {"fault":"media-status","status":"data-lost"}
 * {"fault":"gpf-fail"}
 * {"fault":"corrected-error","dpa":"0x1000","count":3}     (one-shot: not listed, not cleared)
 * {"fault":"media-error","dpa":"0x1000","length":4096}    (one-shot: not listed, not cleared)
 * </pre>
 * Every value is checked here, before the device is touched (400); only a DPA outside the device is
 * the device's to refuse (also 400).
 */
public final class FaultRequests {
    private FaultRequests() {
    }

    /** What one request does to a device. */
    @FunctionalInterface
    public interface FaultChange {
        void applyTo(CxlDevice device) throws ApiException;
    }

    /** The fault kinds, as an unknown one's message lists them. */
    static final String KINDS = "media-disabled, fail-opcode, activation-fail, corrupt-staging, late-part, life-used, "
            + "temperature, health-status, media-status, gpf-fail, corrected-error, media-error";

    public static FaultChange parse(JsonNode body) throws ApiException {
        String fault = text(body, "fault");
        if (fault.equals("media-error")) {
            long dpa = dpa(body, fault);
            long length = body.has("length") ? mediaErrorLength(body.get("length")) : MEDIA_ERROR_LENGTH;
            return device -> {
                try {
                    device.injectMediaError(dpa, length);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(e.getMessage()); // "mem0: media-error of ... is not ..."
                }
            };
        }
        if (fault.equals("corrected-error")) {
            long dpa = dpa(body, fault);
            long count = count(body, 1, 0xFFFF_FFFFL, "corrected-error");
            return device -> {
                try {
                    device.injectCorrectedErrors(dpa, count);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("corrected-error: " + e.getMessage());
                }
            };
        }
        Consumer<FaultSet> change = standing(body, fault);
        return device -> device.withFaults(f -> {
            change.accept(f);
            return null;
        });
    }

    private static Consumer<FaultSet> standing(JsonNode body, String fault) throws ApiException {
        switch (fault) {
            case "media-disabled":
                return FaultSet::setMediaDisabled;
            case "corrupt-staging":
                return FaultSet::setCorruptStaging;
            case "late-part":
                return FaultSet::setLatePart;
            case "gpf-fail":
                return FaultSet::setGpfFail;
            case "life-used": {
                int percent = (int) integer(body, "percent", FaultSet.MIN_LIFE_USED, FaultSet.MAX_LIFE_USED, fault);
                return f -> f.setLifeUsed(percent);
            }
            case "temperature": {
                int celsius = (int) integer(body, "celsius", FaultSet.MIN_TEMPERATURE, FaultSet.MAX_TEMPERATURE, fault);
                return f -> f.setTemperature(celsius);
            }
            case "health-status": {
                JsonNode list = body.get("conditions");
                if (list == null || !list.isArray() || list.isEmpty()) {
                    throw ApiException.badRequest("health-status: 'conditions' (a non-empty list of maintenance, "
                            + "performance, replacement, capacity) is required");
                }
                Set<FaultSet.HealthCondition> conditions = EnumSet.noneOf(FaultSet.HealthCondition.class);
                for (JsonNode n : list) {
                    try {
                        if (!n.isTextual()) {
                            throw new IllegalArgumentException("health-status: 'conditions' holds names, not " + n);
                        }
                        conditions.add(FaultSet.HealthCondition.fromLabel(n.asText()));
                    } catch (IllegalArgumentException e) {
                        throw ApiException.badRequest(e.getMessage());
                    }
                }
                return f -> f.setHealthStatus(conditions);
            }
            case "media-status": {
                FaultSet.MediaStatus status;
                try {
                    status = FaultSet.MediaStatus.fromLabel(text(body, "status"));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(e.getMessage());
                }
                return f -> f.setMediaStatus(status);
            }
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
                throw ApiException.badRequest("unknown fault '" + fault + "' (" + KINDS + ")");
        }
    }

    /** An integer member in {@code min..max}. */
    private static long integer(JsonNode body, String field, long min, long max, String fault) throws ApiException {
        JsonNode n = body.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw ApiException.badRequest(fault + ": '" + field + "' (an integer, " + min + ".." + max
                    + ") is required");
        }
        return n.asLong();
    }

    /** {@code count}: absent means 1. */
    private static long count(JsonNode body, long min, long max, String fault) throws ApiException {
        return body.has("count") ? integer(body, "count", min, max, fault) : 1;
    }

    /** What a media-error poisons without {@code length}: one 64-byte line (memdev-commands.md §12). */
    static final long MEDIA_ERROR_LENGTH = 64;

    /**
     * {@code length} of a media-error: a positive multiple of 64 as a JSON number (whether the range
     * fits the device is the device's to say).
     */
    private static long mediaErrorLength(JsonNode n) throws ApiException {
        if (n.isIntegralNumber() && n.canConvertToLong() && n.asLong() > 0) {
            return n.asLong();
        }
        throw ApiException.badRequest("media-error: 'length' must be a positive multiple of 64, not " + n);
    }

    /**
     * {@code dpa}: a number, or a string in decimal or 0x-prefixed hexadecimal, read by the same
     * parser as the poison and media routes' ({@link Params#unsigned(JsonNode, String, long)}), so
     * every route takes exactly the same DPAs (memdev-commands.md §15).
     */
    private static long dpa(JsonNode body, String fault) throws ApiException {
        if (!body.has("dpa")) {
            throw ApiException.badRequest(fault + ": 'dpa' (a number, or a string in decimal or 0x-prefixed "
                    + "hexadecimal) is required");
        }
        try {
            return Params.unsigned(body, "dpa", 0);
        } catch (ApiException e) {
            throw ApiException.badRequest(fault + ": " + e.getMessage());
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
