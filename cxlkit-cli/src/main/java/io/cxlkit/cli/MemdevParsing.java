package io.cxlkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import io.cxlkit.host.json.MemdevView.ActivePartitions;
import io.cxlkit.host.json.MemdevView.CxlkitView;
import io.cxlkit.host.json.MemdevView.FirmwareView;
import io.cxlkit.host.json.MemdevView.MediaError;
import io.cxlkit.host.json.MemdevView.PartitionView;
import io.cxlkit.host.json.MemdevView.ResetView;
import io.cxlkit.host.json.MemdevView.UploadView;
import io.cxlkit.protocol.payload.AlertConfig;
import io.cxlkit.protocol.payload.AlertWarning;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.HealthInfo;
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
 * {@code remaining_size} is 0. The {@code health}, {@code alert_config} and {@code partition_info}
 * objects come back as the payloads they print from: each key's value maps back to the bits it came
 * from (a {@code media_*} key true to its Media Status, none true to FFh; -95 to FFh life used or
 * FFFFh temperature; unsigned temperatures to their 16 bits), so they print again byte for byte.
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
        if (o.has("health")) {
            v = v.withHealth(health(o.get("health")));
        }
        if (o.has("alert_config")) {
            v = v.withAlertConfig(alertConfig(o.get("alert_config")));
        }
        if (o.has("partition_info")) {
            v = v.withPartitionInfo(partitionInfo(o.get("partition_info")));
        }
        if (o.has("media_errors")) {
            v = v.withMediaErrors(mediaErrors(o.get("media_errors")));
        }
        return v;
    }

    /**
     * The {@code media_errors} array: each entry's flags byte comes back from its {@code flags} words
     * ({@code More,} bit 0, {@code Overflow,} bit 1, {@code Scanning,} bit 2; an empty string, the
     * Restart Ack bit alone) and its overflow timestamp from {@code overflow_t}; {@code Reserved}
     * comes back as source 100b, which prints the same.
     */
    public static List<MediaError> mediaErrors(JsonNode a) {
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("'media_errors' must be an array");
        }
        List<MediaError> out = new ArrayList<>(a.size());
        for (JsonNode e : a) {
            requireObject(e, "media_errors entry");
            int source = MemdevJson.MEDIA_ERROR_SOURCES.indexOf(text(e, "source"));
            if (source < 0) {
                throw new IllegalArgumentException("'source' must be one of " + MemdevJson.MEDIA_ERROR_SOURCES);
            }
            int flags = 0;
            if (e.has("flags")) {
                String words = text(e, "flags");
                flags = (words.contains("More,") ? 1 : 0) | (words.contains("Overflow,") ? 2 : 0)
                        | (words.contains("Scanning,") ? 4 : 0);
                flags = flags == 0 ? 8 : flags; // a non-zero byte with no word: Restart Ack
            }
            if (e.has("overflow_t") != ((flags & 2) != 0)) {
                throw new IllegalArgumentException("'overflow_t' goes with the Overflow flag, and only with it");
            }
            out.add(new MediaError(longValue(e, "offset"), longValue(e, "length"), source, flags,
                    optLong(e, "overflow_t", 0)));
        }
        return out;
    }

    /** The {@code health} object. */
    public static HealthInfo health(JsonNode o) {
        requireObject(o, "health object");
        int status = (bool(o, "maintenance_needed") ? HealthInfo.MAINTENANCE_NEEDED : 0)
                | (bool(o, "performance_degraded") ? HealthInfo.PERFORMANCE_DEGRADED : 0)
                | (bool(o, "hw_replacement_needed") ? HealthInfo.HW_REPLACEMENT_NEEDED : 0);
        int media = 0xFF;
        for (int i = MemdevJson.MEDIA_STATUS_KEYS.size() - 1; i >= 0; i--) {
            if (bool(o, MemdevJson.MEDIA_STATUS_KEYS.get(i))) {
                media = i;
            }
        }
        HealthInfo.AdditionalStatus ext = new HealthInfo.AdditionalStatus(word(o, "ext_life_used", 4),
                word(o, "ext_temperature", 4), word(o, "ext_corrected_volatile", 2) != 0,
                word(o, "ext_corrected_persistent", 2) != 0);
        int lifeUsed = notImplementedOr(o, "life_used_percent", MemdevJson.LIFE_USED_NOT_IMPLEMENTED);
        int temperature = notImplementedOr(o, "temperature", MemdevJson.TEMPERATURE_NOT_IMPLEMENTED);
        return new HealthInfo(status, media, ext, lifeUsed, (short) temperature, u32(o, "dirty_shutdowns"),
                u32(o, "volatile_errors"), u32(o, "pmem_errors"));
    }

    /** The {@code alert_config} object. */
    public static AlertConfig alertConfig(JsonNode o) {
        requireObject(o, "alert_config object");
        int valid = 0;
        int writable = 0;
        for (AlertWarning w : AlertWarning.values()) {
            String stem = MemdevJson.ALERT_KEYS.get(w.ordinal());
            valid |= bool(o, stem + "_prog_warn_threshold_valid") ? w.bit() : 0;
            writable |= bool(o, stem + "_prog_warn_threshold_writable") ? w.bit() : 0;
        }
        return new AlertConfig(valid, writable, bits(o, "life_used_crit_alert_threshold", 8),
                bits(o, "life_used_prog_warn_threshold", 8),
                (short) bits(o, "dev_over_temperature_crit_alert_threshold", 16),
                (short) bits(o, "dev_under_temperature_crit_alert_threshold", 16),
                (short) bits(o, "dev_over_temperature_prog_warn_threshold", 16),
                (short) bits(o, "dev_under_temperature_prog_warn_threshold", 16),
                bits(o, "corrected_volatile_mem_err_prog_warn_threshold", 16),
                bits(o, "corrected_pmem_err_prog_warn_threshold", 16));
    }

    /** The {@code partition_info} object. */
    public static PartitionView partitionInfo(JsonNode o) {
        requireObject(o, "partition_info object");
        Optional<ActivePartitions> active = Optional.empty();
        if (o.has("active_volatile_size")) {
            active = Optional.of(new ActivePartitions(longValue(o, "active_volatile_size"),
                    longValue(o, "active_persistent_size"), longValue(o, "next_volatile_size"),
                    longValue(o, "next_persistent_size")));
        }
        return new PartitionView(longValue(o, "total_size"), longValue(o, "volatile_only_size"),
                longValue(o, "persistent_only_size"), longValue(o, "partition_alignment_size"), active);
    }

    /** The index of a status word ({@code normal}, {@code warning}, ...) among the first {@code n}. */
    private static int word(JsonNode o, String key, int n) {
        int i = MemdevJson.EXT_STATUS_WORDS.subList(0, n).indexOf(text(o, key));
        if (i < 0) {
            throw new IllegalArgumentException("'" + key + "' must be one of " + MemdevJson.EXT_STATUS_WORDS.subList(0, n));
        }
        return i;
    }

    /** An integer of at most {@code bits} unsigned bits. */
    private static int bits(JsonNode o, String key, int bits) {
        long v = longValue(o, key);
        if (v < 0 || v >= 1L << bits) {
            throw new IllegalArgumentException("'" + key + "' must be 0.." + ((1L << bits) - 1));
        }
        return (int) v;
    }

    private static long u32(JsonNode o, String key) {
        long v = longValue(o, key);
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("'" + key + "' must be 0..4294967295");
        }
        return v;
    }

    /** Life used or the temperature: {@value MemdevJson#NOT_IMPLEMENTED} back to {@code raw}, else 0..{@code raw}. */
    private static int notImplementedOr(JsonNode o, String key, int raw) {
        long v = longValue(o, key);
        if (v == MemdevJson.NOT_IMPLEMENTED) {
            return raw;
        }
        if (v < 0 || v >= raw) {
            throw new IllegalArgumentException("'" + key + "' must be 0.." + (raw - 1) + " or "
                    + MemdevJson.NOT_IMPLEMENTED);
        }
        return (int) v;
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
