package io.cxlkit.host.json;

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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Memdev views as ndctl's {@code cxl list} prints them (cli.md "JSON"): the key order and
 * presence rules of ndctl's {@code util_cxl_memdev_to_json} and its firmware object, the plain and
 * human ({@code -u}) number formats of ndctl's {@code util_json_object_size} /
 * {@code util_json_object_hex}, and the array-or-bare-object choice of
 * {@code util_display_json_array}.
 *
 * <p>Memdev keys: {@code memdev}, [{@code pmem_size}], [{@code ram_size}], [{@code health}],
 * [{@code alert_config}], {@code serial}, {@code host}, [{@code firmware_version}],
 * [{@code partition_info}], [{@code firmware}], [{@code media_errors}], [{@code cxlkit}]
 * (memdev-commands.md §15.1; ndctl's
 * {@code *_qos_class}, {@code numa_node} and {@code state} never appear).
 *
 * <p>Numbers ndctl creates with {@code json_object_new_int64} (sizes, serial) print as signed
 * 64-bit decimals in plain mode, exactly as ndctl would print them.
 */
public final class MemdevJson {
    private MemdevJson() {
    }

    /** Below this many bytes a human size still prints as a plain integer (ndctl: 5000 KiB). */
    public static final long HUMAN_SIZE_MIN = 5000L * 1024;
    /** From this many bytes a human size prints in GiB / GB rather than MiB / MB (ndctl: 2 GiB). */
    public static final long HUMAN_GIB_MIN = 2L << 30;

    /** How {@code started} / {@code finished} print: ISO-8601 UTC, always with milliseconds. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * The optional objects of a memdev object: ndctl's {@code -H}, {@code -A}, {@code -I},
     * {@code -F} and {@code -L}, and cxlkit's {@code --cxlkit}. Each prints where the view has it and
     * the caller asks for it. {@link #key()} is its JSON key, which is also the control API's
     * {@code include=} word for all but {@code cxlkit}.
     */
    public enum Include {
        HEALTH("health"), ALERT_CONFIG("alert_config"), PARTITION_INFO("partition_info"), FIRMWARE("firmware"),
        MEDIA_ERRORS("media_errors"), CXLKIT("cxlkit");

        private final String key;

        Include(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** The set of {@code firmware} and {@code cxlkit} as the older boolean flags say. */
        static Set<Include> of(boolean withFirmware, boolean withCxlkit) {
            Set<Include> s = EnumSet.noneOf(Include.class);
            if (withFirmware) {
                s.add(FIRMWARE);
            }
            if (withCxlkit) {
                s.add(CXLKIT);
            }
            return s;
        }
    }

    /**
     * The document {@code cxlkit list} prints, trailing newline included; the firmware object is
     * included whenever a view has one.
     */
    public static String list(List<MemdevView> views, boolean human, boolean withCxlkit) {
        return list(views, human, true, withCxlkit);
    }

    /**
     * The document {@code cxlkit list} prints, trailing newline included.
     *
     * @param human        {@code -u}: human sizes and hex serials, and a single memdev unwrapped
     * @param withFirmware {@code -F}: include the {@code firmware} object where the view has one
     * @param withCxlkit   {@code --cxlkit}: include the {@code cxlkit} object where the view has one
     */
    public static String list(List<MemdevView> views, boolean human, boolean withFirmware, boolean withCxlkit) {
        return list(views, human, Include.of(withFirmware, withCxlkit));
    }

    /**
     * The document {@code cxlkit list} prints, trailing newline included.
     *
     * @param human   {@code -u}: human sizes and hex serials, and a single memdev unwrapped
     * @param include the optional objects to print where a view has them
     */
    public static String list(List<MemdevView> views, boolean human, Set<Include> include) {
        return JsonC.document(display(views.stream().map(v -> object(v, human, include)).toList(), human));
    }

    /**
     * The top-level value for a list of objects, as ndctl's {@code util_display_json_array}
     * chooses it: in human mode exactly one object prints bare; otherwise an array. (ndctl prints
     * nothing at all for an empty list in human mode; cli.md asks for the empty array, so that
     * is what this returns.)
     */
    public static JsonC.Value display(List<? extends JsonC.Value> objects, boolean human) {
        if (human && objects.size() == 1) {
            return objects.get(0);
        }
        return JsonC.array(objects);
    }

    /** One memdev object. */
    public static JsonC.Obj object(MemdevView v, boolean human, boolean withFirmware, boolean withCxlkit) {
        return object(v, human, Include.of(withFirmware, withCxlkit));
    }

    /** One memdev object with the optional objects of {@code include} that the view has, in ndctl's order. */
    public static JsonC.Obj object(MemdevView v, boolean human, Set<Include> include) {
        JsonC.ObjBuilder o = JsonC.object().put("memdev", v.name());
        if (v.pmemSize() != 0) {
            o.put("pmem_size", size(v.pmemSize(), human));
        }
        if (v.ramSize() != 0) {
            o.put("ram_size", size(v.ramSize(), human));
        }
        if (include.contains(Include.HEALTH)) {
            v.health().ifPresent(h -> o.put("health", health(h)));
        }
        if (include.contains(Include.ALERT_CONFIG)) {
            v.alertConfig().ifPresent(a -> o.put("alert_config", alertConfig(a)));
        }
        o.put("serial", hex(v.serial(), human));
        o.put("host", v.host());
        v.firmwareVersion().ifPresent(fw -> o.put("firmware_version", fw));
        if (include.contains(Include.PARTITION_INFO)) {
            v.partitionInfo().ifPresent(p -> o.put("partition_info", partitionInfo(p, human)));
        }
        if (include.contains(Include.FIRMWARE)) {
            v.firmware().ifPresent(fw -> o.put("firmware", firmware(fw, human)));
        }
        if (include.contains(Include.MEDIA_ERRORS) && !v.mediaErrors().isEmpty()) {
            o.put("media_errors", mediaErrors(v.mediaErrors(), human));
        }
        if (include.contains(Include.CXLKIT)) {
            v.cxlkit().ifPresent(c -> o.put("cxlkit", cxlkit(c)));
        }
        return o.build();
    }

    /** What libcxl returns for a Life Used of FFh or a temperature of FFFFh ("not implemented"): -EOPNOTSUPP. */
    public static final int NOT_IMPLEMENTED = -95;
    /** The Life Used ndctl takes as "not implemented". */
    public static final int LIFE_USED_NOT_IMPLEMENTED = 0xFF;
    /** The temperature ndctl takes as "not implemented": FFFFh, not r3.1's 7FFFh (memdev-commands.md §16). */
    public static final int TEMPERATURE_NOT_IMPLEMENTED = 0xFFFF;

    /** The names ndctl gives Media Status 00h..09h, as {@code media_*} keys, in that order. */
    public static final List<String> MEDIA_STATUS_KEYS = List.of("media_normal", "media_not_ready",
            "media_persistence_lost", "media_data_lost", "media_powerloss_persistence_loss",
            "media_shutdown_persistence_loss", "media_persistence_loss_imminent", "media_powerloss_data_loss",
            "media_shutdown_data_loss", "media_data_loss_imminent");

    /** The {@code ext_life_used} / {@code ext_temperature} words for 00b..11b. */
    public static final List<String> EXT_STATUS_WORDS = List.of("normal", "warning", "critical", "unknown");

    /**
     * The {@code health} object as ndctl's {@code util_cxl_memdev_health_to_json} prints it through
     * libcxl's getters: every key always; Health Status bits 0-2 (bit 3 has no key); one
     * {@code media_*} key true for Media Status 00h..09h (all false for any other value); the
     * Additional Status fields as words; Life Used and the temperature as their raw unsigned bits
     * (-5 °C prints 65531), FFh and FFFFh as {@value #NOT_IMPLEMENTED}; the counts as unsigned
     * 32-bit numbers. The same in human mode: it has no size.
     */
    public static JsonC.Obj health(HealthInfo h) {
        JsonC.ObjBuilder o = JsonC.object()
                .put("maintenance_needed", (h.healthStatus() & HealthInfo.MAINTENANCE_NEEDED) != 0)
                .put("performance_degraded", (h.healthStatus() & HealthInfo.PERFORMANCE_DEGRADED) != 0)
                .put("hw_replacement_needed", (h.healthStatus() & HealthInfo.HW_REPLACEMENT_NEEDED) != 0);
        for (int i = 0; i < MEDIA_STATUS_KEYS.size(); i++) {
            o.put(MEDIA_STATUS_KEYS.get(i), h.mediaStatus() == i);
        }
        HealthInfo.AdditionalStatus ext = h.additionalStatus();
        o.put("ext_life_used", EXT_STATUS_WORDS.get(ext.lifeUsed()))
                .put("ext_temperature", EXT_STATUS_WORDS.get(ext.temperature()))
                .put("ext_corrected_volatile", ext.correctedVolatileWarning() ? "warning" : "normal")
                .put("ext_corrected_persistent", ext.correctedPersistentWarning() ? "warning" : "normal");
        int lifeUsed = h.lifeUsed() & 0xFF;
        int temperature = h.temperature() & 0xFFFF;
        o.put("life_used_percent", lifeUsed == LIFE_USED_NOT_IMPLEMENTED ? NOT_IMPLEMENTED : lifeUsed)
                .put("temperature", temperature == TEMPERATURE_NOT_IMPLEMENTED ? NOT_IMPLEMENTED : temperature)
                .put("dirty_shutdowns", h.dirtyShutdownCount())
                .put("volatile_errors", h.correctedVolatileErrorCount())
                .put("pmem_errors", h.correctedPersistentErrorCount());
        return o.build();
    }

    /**
     * The {@code alert_config} object as ndctl's {@code util_cxl_memdev_alert_config_to_json} prints
     * it: the five {@code *_valid} flags (Valid Alerts), the five {@code *_writable} flags
     * (Programmable Alerts), then the eight thresholds, the temperatures as unsigned 16-bit numbers.
     */
    public static JsonC.Obj alertConfig(AlertConfig a) {
        JsonC.ObjBuilder o = JsonC.object();
        for (AlertWarning w : AlertWarning.values()) {
            o.put(ALERT_KEYS.get(w.ordinal()) + "_prog_warn_threshold_valid", a.valid(w));
        }
        for (AlertWarning w : AlertWarning.values()) {
            o.put(ALERT_KEYS.get(w.ordinal()) + "_prog_warn_threshold_writable", a.programmable(w));
        }
        return o.put("life_used_crit_alert_threshold", a.lifeUsedCritical() & 0xFF)
                .put("life_used_prog_warn_threshold", a.lifeUsedWarning() & 0xFF)
                .put("dev_over_temperature_crit_alert_threshold", a.overTemperatureCritical() & 0xFFFF)
                .put("dev_under_temperature_crit_alert_threshold", a.underTemperatureCritical() & 0xFFFF)
                .put("dev_over_temperature_prog_warn_threshold", a.overTemperatureWarning() & 0xFFFF)
                .put("dev_under_temperature_prog_warn_threshold", a.underTemperatureWarning() & 0xFFFF)
                .put("corrected_volatile_mem_err_prog_warn_threshold", a.correctedVolatileWarning() & 0xFFFF)
                .put("corrected_pmem_err_prog_warn_threshold", a.correctedPersistentWarning() & 0xFFFF)
                .build();
    }

    /** The key stems of the five programmable warnings, in {@link AlertWarning} order. */
    public static final List<String> ALERT_KEYS = List.of("life_used", "dev_over_temperature",
            "dev_under_temperature", "corrected_volatile_mem_err", "corrected_pmem_err");

    /**
     * The {@code partition_info} object: {@code total_size}, {@code volatile_only_size},
     * {@code persistent_only_size}, {@code partition_alignment_size}, then, when the view has them,
     * {@code active_volatile_size}, {@code active_persistent_size}, {@code next_volatile_size},
     * {@code next_persistent_size}; all size fields.
     */
    public static JsonC.Obj partitionInfo(PartitionView p, boolean human) {
        JsonC.ObjBuilder o = JsonC.object()
                .put("total_size", size(p.totalSize(), human))
                .put("volatile_only_size", size(p.volatileOnlySize(), human))
                .put("persistent_only_size", size(p.persistentOnlySize(), human))
                .put("partition_alignment_size", size(p.alignmentSize(), human));
        if (p.active().isPresent()) {
            ActivePartitions a = p.active().get();
            o.put("active_volatile_size", size(a.activeVolatileSize(), human))
                    .put("active_persistent_size", size(a.activePersistentSize(), human))
                    .put("next_volatile_size", size(a.nextVolatileSize(), human))
                    .put("next_persistent_size", size(a.nextPersistentSize(), human));
        }
        return o.build();
    }

    /** The {@code source} words for Error Source codes 000b..111b, as libcxl names them. */
    public static final List<String> MEDIA_ERROR_SOURCES = List.of("Unknown", "External", "Internal", "Injected",
            "Reserved", "Reserved", "Reserved", "Vendor Specific");

    /**
     * The {@code media_errors} array (memdev-commands.md §15.1): per record {@code offset} (a hex
     * field), {@code length} in bytes (a size field), {@code source}; {@code flags} only when its
     * output's flags byte is not zero: {@code "More,"}, {@code "Scanning,"}, {@code "Overflow,"}
     * for bits 0, 2, 1, concatenated in that order with each trailing comma kept (Restart Ack alone
     * gives {@code ""}); {@code overflow_t} (a hex field) only with Overflow.
     */
    public static JsonC.Value mediaErrors(List<MediaError> errors, boolean human) {
        List<JsonC.Value> out = new ArrayList<>(errors.size());
        for (MediaError e : errors) {
            JsonC.ObjBuilder o = JsonC.object()
                    .put("offset", hex(e.offset(), human))
                    .put("length", size(e.length(), human))
                    .put("source", MEDIA_ERROR_SOURCES.get(e.source()));
            if (e.flags() != 0) {
                o.put("flags", ((e.flags() & 1) != 0 ? "More," : "") + ((e.flags() & 4) != 0 ? "Scanning," : "")
                        + ((e.flags() & 2) != 0 ? "Overflow," : ""));
            }
            if ((e.flags() & 2) != 0) {
                o.put("overflow_t", hex(e.overflowTimestamp(), human));
            }
            out.add(o.build());
        }
        return JsonC.array(out);
    }

    /**
     * The {@code firmware} object: ndctl's keys only (cli.md "JSON"). How an upload ends is in the
     * {@code cxlkit} object's {@code upload}, which only {@code --cxlkit} and the control API show.
     */
    public static JsonC.Obj firmware(FirmwareView fw, boolean human) {
        JsonC.ObjBuilder o = JsonC.object()
                .put("num_slots", fw.numSlots())
                .put("active_slot", fw.activeSlot());
        if (fw.stagedSlot() >= 1 && fw.stagedSlot() <= fw.numSlots()) {
            o.put("staged_slot", fw.stagedSlot());
        }
        o.put("online_activate_capable", fw.onlineActivateCapable());
        // as ndctl: every non-empty revision field of the four, whatever num_slots says
        for (int slot = 1; slot <= FwInfo.SLOT_COUNT; slot++) {
            String revision = fw.slotRevision(slot);
            if (!revision.isEmpty()) {
                o.put("slot_" + slot + "_version", revision);
            }
        }
        o.put("fw_update_in_progress", fw.updateInProgress());
        if (fw.updateInProgress()) {
            o.put("remaining_size", size(fw.remainingSize(), human));
        }
        return o.build();
    }

    /**
     * The {@code cxlkit} object: {@code fw_max_size}, {@code fw_verify},
     * {@code security_version_floor}, {@code faults}, {@code upload}, [{@code reset}]. Its numbers
     * are plain integers in human mode too: it is cxlkit's own machine-oriented extension, not an
     * ndctl size field.
     */
    public static JsonC.Obj cxlkit(CxlkitView c) {
        JsonC.ObjBuilder o = JsonC.object()
                .put("fw_max_size", c.fwMaxSize())
                .put("fw_verify", c.fwVerify())
                .put("security_version_floor", c.securityVersionFloor())
                .put("faults", JsonC.strings(c.faults()))
                .put("upload", upload(c.upload()));
        c.reset().ifPresent(r -> o.put("reset", reset(r)));
        return o.build();
    }

    /** The {@code cxlkit.reset} object: {@code staged_slot}, {@code reason}. */
    public static JsonC.Obj reset(ResetView r) {
        return JsonC.object().put("staged_slot", r.stagedSlot()).put("reason", r.reason()).build();
    }

    /** The {@code cxlkit.upload} object; see {@link UploadView} for the types and presence rules. */
    public static JsonC.Obj upload(UploadView u) {
        JsonC.ObjBuilder o = JsonC.object().put("status", u.status());
        u.error().ifPresent(e -> o.put("error", e));
        u.reason().ifPresent(r -> o.put("reason", r));
        u.opcode().ifPresent(op -> o.put("opcode", op));
        u.returnCode().ifPresent(rc -> o.put("return_code", rc));
        u.returnCodeName().ifPresent(n -> o.put("return_code_name", n));
        o.put("bytes_sent", u.bytesSent());
        o.put("parts_sent", u.partsSent());
        u.started().ifPresent(t -> o.put("started", timestamp(t)));
        u.finished().ifPresent(t -> o.put("finished", timestamp(t)));
        return o.build();
    }

    /** An instant as the {@code cxlkit.upload} timestamps print it, e.g. {@code 2024-05-01T12:00:00.000Z}. */
    public static String timestamp(Instant t) {
        return TIMESTAMP.format(t);
    }

    /**
     * A size field, as ndctl's {@code util_json_object_size}: plain mode a signed 64-bit integer;
     * human mode {@link #humanSize}.
     */
    public static JsonC.Value size(long bytes, boolean human) {
        return human ? humanSize(bytes) : JsonC.integer(bytes);
    }

    /**
     * A size in human form, as ndctl's {@code display_size} (adapted from mdadm): {@code bytes}
     * is unsigned; below 5000 KiB it stays an integer; below 2 GiB it is a string
     * {@code "M.mm MiB (N.nn MB)"}, otherwise {@code "G.gg GiB (H.hh GB)"} (no TiB), each figure
     * rounded half up to hundredths. The arithmetic is ndctl's unsigned 64-bit arithmetic,
     * including its wrap-around of {@code bytes * 200} above about 92 PB.
     */
    public static JsonC.Value humanSize(long bytes) {
        if (Long.compareUnsigned(bytes, HUMAN_SIZE_MIN) < 0) {
            return JsonC.integer(bytes);
        }
        String text;
        if (Long.compareUnsigned(bytes, HUMAN_GIB_MIN) < 0) {
            long centiMiB = (bytes * 200 / (1L << 20) + 1) / 2;
            long centiMB = (bytes / (1_000_000L / 200) + 1) / 2;
            text = hundredths(centiMiB) + " MiB (" + hundredths(centiMB) + " MB)";
        } else {
            long centiGiB = Long.divideUnsigned(Long.divideUnsigned(bytes * 200, 1L << 30) + 1, 2);
            long centiGB = Long.divideUnsigned(Long.divideUnsigned(bytes, 1_000_000_000L / 200) + 1, 2);
            text = hundredths(centiGiB) + " GiB (" + hundredths(centiGB) + " GB)";
        }
        return JsonC.str(text);
    }

    private static String hundredths(long centi) {
        return String.format(Locale.ROOT, "%d.%02d", centi / 100, centi % 100);
    }

    /**
     * A hex field, as ndctl's {@code util_json_object_hex}: plain mode a signed 64-bit integer;
     * human mode a string as C's {@code "%#llx"} prints it: {@code "0"} for zero, else
     * {@code 0x} and lower-case hex digits of the unsigned value.
     */
    public static JsonC.Value hex(long value, boolean human) {
        if (!human) {
            return JsonC.integer(value);
        }
        return JsonC.str(value == 0 ? "0" : "0x" + Long.toHexString(value));
    }
}
