package io.cxlkit.host.json;

import io.cxlkit.host.json.MemdevView.CxlkitView;
import io.cxlkit.host.json.MemdevView.FirmwareView;
import io.cxlkit.host.json.MemdevView.ResetView;
import io.cxlkit.host.json.MemdevView.UploadView;
import io.cxlkit.protocol.payload.FwInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Memdev views as ndctl's {@code cxl list} prints them (cli.md "JSON"): the key order and
 * presence rules of ndctl's {@code util_cxl_memdev_to_json} and its firmware object, the plain and
 * human ({@code -u}) number formats of ndctl's {@code util_json_object_size} /
 * {@code util_json_object_hex}, and the array-or-bare-object choice of
 * {@code util_display_json_array}.
 *
 * <p>Memdev keys: {@code memdev}, [{@code pmem_size}], [{@code ram_size}], {@code serial},
 * {@code host}, [{@code firmware_version}], [{@code firmware}], [{@code cxlkit}].
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
        return JsonC.document(display(views.stream()
                .map(v -> object(v, human, withFirmware, withCxlkit)).toList(), human));
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
        JsonC.ObjBuilder o = JsonC.object().put("memdev", v.name());
        if (v.pmemSize() != 0) {
            o.put("pmem_size", size(v.pmemSize(), human));
        }
        if (v.ramSize() != 0) {
            o.put("ram_size", size(v.ramSize(), human));
        }
        o.put("serial", hex(v.serial(), human));
        o.put("host", v.host());
        v.firmwareVersion().ifPresent(fw -> o.put("firmware_version", fw));
        if (withFirmware) {
            v.firmware().ifPresent(fw -> o.put("firmware", firmware(fw, human)));
        }
        if (withCxlkit) {
            v.cxlkit().ifPresent(c -> o.put("cxlkit", cxlkit(c)));
        }
        return o.build();
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
