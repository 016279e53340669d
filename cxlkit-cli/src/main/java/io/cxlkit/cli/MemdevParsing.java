package io.cxlkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.json.MemdevView.CxlkitView;
import io.cxlkit.host.json.MemdevView.FirmwareView;
import io.cxlkit.host.json.MemdevView.ResetView;
import io.cxlkit.host.json.MemdevView.UploadView;
import io.cxlkit.protocol.payload.FwInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Memdev objects from the control API back into {@link MemdevView}s: the exact inverse of
 * {@link io.cxlkit.host.json.MemdevJson}'s plain rendering (cli.md "JSON", wire.md §3), so the
 * CLI can print them again in any mode ({@code -u}, with or without {@code firmware} and
 * {@code cxlkit}). Keys MemdevJson leaves out come back as their defaults: no size is 0, no
 * {@code staged_slot} is 0, no {@code slot_N_version} is an empty slot, no
 * {@code remaining_size} is 0.
 *
 * <p>Anything that is not such an object is an {@link IllegalArgumentException} naming the key.
 */
public final class MemdevParsing {
    private MemdevParsing() {
    }

    /** An array of memdev objects, as {@code GET /v1/memdevs} answers. */
    public static List<MemdevView> list(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("expected an array of memdev objects");
        }
        List<MemdevView> out = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            out.add(memdev(n));
        }
        return out;
    }

    /** One memdev object. */
    public static MemdevView memdev(JsonNode o) {
        requireObject(o, "memdev object");
        MemdevView v = new MemdevView(text(o, "memdev"), optLong(o, "pmem_size", 0), optLong(o, "ram_size", 0),
                longValue(o, "serial"), text(o, "host"), optText(o, "firmware_version"), Optional.empty(),
                Optional.empty());
        if (o.has("firmware")) {
            v = v.withFirmware(firmware(o.get("firmware")));
        }
        if (o.has("cxlkit")) {
            v = v.withCxlkit(cxlkit(o.get("cxlkit")));
        }
        return v;
    }

    /** The {@code firmware} object. */
    public static FirmwareView firmware(JsonNode o) {
        requireObject(o, "firmware object");
        List<String> revisions = new ArrayList<>(FwInfo.SLOT_COUNT);
        for (int slot = 1; slot <= FwInfo.SLOT_COUNT; slot++) {
            revisions.add(optText(o, "slot_" + slot + "_version").orElse(""));
        }
        return new FirmwareView(intValue(o, "num_slots"), intValue(o, "active_slot"),
                o.has("staged_slot") ? intValue(o, "staged_slot") : 0, bool(o, "online_activate_capable"),
                revisions, bool(o, "fw_update_in_progress"), optLong(o, "remaining_size", 0));
    }

    /** The {@code cxlkit} object. */
    public static CxlkitView cxlkit(JsonNode o) {
        requireObject(o, "cxlkit object");
        JsonNode faults = o.get("faults");
        if (faults == null || !faults.isArray()) {
            throw new IllegalArgumentException("cxlkit.faults must be an array of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode f : faults) {
            if (!f.isTextual()) {
                throw new IllegalArgumentException("cxlkit.faults must be an array of strings");
            }
            list.add(f.asText());
        }
        CxlkitView c = new CxlkitView(longValue(o, "fw_max_size"), text(o, "fw_verify"),
                longValue(o, "security_version_floor"), list, upload(o.get("upload")));
        return o.has("reset") ? c.withReset(reset(o.get("reset"))) : c;
    }

    /** The {@code cxlkit.reset} object of a reset's answer. */
    public static ResetView reset(JsonNode o) {
        requireObject(o, "cxlkit.reset object");
        return new ResetView(intValue(o, "staged_slot"), text(o, "reason"));
    }

    /** The {@code cxlkit.upload} object. */
    public static UploadView upload(JsonNode o) {
        requireObject(o, "cxlkit.upload object");
        return new UploadView(text(o, "status"), optText(o, "error"), optText(o, "reason"), optText(o, "opcode"),
                optText(o, "return_code"), optText(o, "return_code_name"), longValue(o, "bytes_sent"),
                longValue(o, "parts_sent"), optInstant(o, "started"), optInstant(o, "finished"));
    }

    private static void requireObject(JsonNode o, String what) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("expected a " + what);
        }
    }

    private static String text(JsonNode o, String key) {
        JsonNode n = o.get(key);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("'" + key + "' must be a string");
        }
        return n.asText();
    }

    private static Optional<String> optText(JsonNode o, String key) {
        return o.has(key) ? Optional.of(text(o, key)) : Optional.empty();
    }

    private static long longValue(JsonNode o, String key) {
        JsonNode n = o.get(key);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IllegalArgumentException("'" + key + "' must be a 64-bit integer");
        }
        return n.asLong();
    }

    private static long optLong(JsonNode o, String key, long absent) {
        return o.has(key) ? longValue(o, key) : absent;
    }

    private static int intValue(JsonNode o, String key) {
        JsonNode n = o.get(key);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("'" + key + "' must be a 32-bit integer");
        }
        return n.asInt();
    }

    private static boolean bool(JsonNode o, String key) {
        JsonNode n = o.get(key);
        if (n == null || !n.isBoolean()) {
            throw new IllegalArgumentException("'" + key + "' must be true or false");
        }
        return n.asBoolean();
    }

    private static Optional<Instant> optInstant(JsonNode o, String key) {
        if (!o.has(key)) {
            return Optional.empty();
        }
        String t = text(o, key);
        try {
            return Optional.of(Instant.parse(t));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + key + "' must be an ISO-8601 UTC time, not '" + t + "'");
        }
    }
}
