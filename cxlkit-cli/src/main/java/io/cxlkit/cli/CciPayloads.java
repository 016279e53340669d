package io.cxlkit.cli;

import io.cxlkit.host.json.JsonC;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.fwpkg.VerificationCheck;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.MalformedPayloadException;
import io.cxlkit.protocol.payload.ResponseMessageLimit;
import io.cxlkit.protocol.payload.SupportedLogEntry;
import io.cxlkit.protocol.payload.SupportedLogs;
import io.cxlkit.protocol.payload.Timestamp;
import io.cxlkit.protocol.payload.VerificationLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Output payloads decoded field by field for {@code cxlkit cci}, keys in snake_case in the order
 * of the payload layout. Counts, sizes and numbers are JSON integers (64-bit fields unsigned);
 * opcodes and return codes are strings as the docs write them ({@code "0201h"}); PCI ids are four
 * lower-case hex digits as lspci prints them; UUIDs are strings; log data is lower-case hex, and
 * cxlkit's own Verification Log is decoded besides.
 * Each decoder throws {@link io.cxlkit.protocol.payload.MalformedPayloadException} on short input.
 */
final class CciPayloads {
    private CciPayloads() {
    }

    static JsonC.Obj identify(ByteBuffer b) {
        Identify i = Identify.decode(b);
        return JsonC.object()
                .put("vendor_id", pciId(i.vendorId()))
                .put("device_id", pciId(i.deviceId()))
                .put("subsystem_vendor_id", pciId(i.subsystemVendorId()))
                .put("subsystem_id", pciId(i.subsystemId()))
                .put("serial_number", JsonC.unsignedInteger(i.serialNumber()))
                .put("max_message_size_exponent", i.maxMessageSizeExponent())
                .put("component_type", i.componentType())
                .build();
    }

    static JsonC.Obj backgroundOperationStatus(ByteBuffer b) {
        BackgroundOperationStatus s = BackgroundOperationStatus.decode(b);
        return JsonC.object()
                .put("in_progress", s.inProgress())
                .put("percent_complete", s.percentComplete())
                .put("opcode", s.opcode().toString())
                .put("return_code", ReturnCode.hex(s.returnCode()))
                .put("return_code_name", ReturnCode.nameOf(s.returnCode()))
                .put("vendor_status", s.vendorStatus())
                .build();
    }

    static JsonC.Obj responseMessageLimit(ByteBuffer b) {
        return JsonC.object().put("response_message_limit", ResponseMessageLimit.decode(b).exponent()).build();
    }

    static JsonC.Obj fwInfo(ByteBuffer b) {
        FwInfo f = FwInfo.decode(b);
        JsonC.ObjBuilder o = JsonC.object()
                .put("slots_supported", f.slotsSupported())
                .put("active_slot", f.activeSlot())
                .put("staged_slot", f.stagedSlot())
                .put("online_activation_supported", f.onlineActivationSupported());
        for (int slot = 1; slot <= FwInfo.SLOT_COUNT; slot++) {
            o.put("slot_" + slot + "_revision", f.revision(slot));
        }
        return o.build();
    }

    static JsonC.Obj timestamp(ByteBuffer b) {
        return JsonC.object().put("timestamp", JsonC.unsignedInteger(Timestamp.decode(b).nanos())).build();
    }

    static JsonC.Obj supportedLogs(ByteBuffer b) {
        SupportedLogs logs = SupportedLogs.decode(b);
        List<JsonC.Value> entries = new ArrayList<>();
        for (SupportedLogEntry e : logs.entries()) {
            entries.add(JsonC.object().put("log_id", e.logId().toString()).put("log_size", e.logSize()).build());
        }
        return JsonC.object()
                .put("number_of_entries", logs.entries().size())
                .put("entries", JsonC.array(entries))
                .build();
    }

    static JsonC.Obj log(ByteBuffer b) {
        byte[] data = new byte[b.remaining()];
        b.get(data);
        return JsonC.object().put("data", Hex.encode(data)).build();
    }

    /**
     * Bytes {@code offset} onwards of cxlkit's Verification Log (docs/verification-log.md):
     * {@code data} as any log, then what the window holds whole, decoded: {@code header} when it
     * starts at 0, and {@code records}, each record that lies entirely in it. Bytes that do not
     * decode are left in {@code data} alone.
     */
    static JsonC.Obj verificationLog(ByteBuffer b, long offset) {
        byte[] data = new byte[b.remaining()];
        b.get(data);
        JsonC.ObjBuilder o = JsonC.object().put("data", Hex.encode(data));
        ByteBuffer window = ByteBuffer.wrap(data);
        try {
            if (offset == 0 && data.length >= VerificationLog.HEADER_SIZE) {
                VerificationLog.Header h = VerificationLog.Header.decode(window.duplicate());
                o.put("header", JsonC.object().put("records_held", h.recordsHeld()).put("capacity", h.capacity())
                        .put("newest_sequence", h.newestSequence()).build());
            }
            // records start at 10h + k * C0h: skip to the first such boundary at or after the offset
            long skip = Math.floorMod(VerificationLog.HEADER_SIZE - offset, (long) VerificationLog.RECORD_SIZE);
            if (offset < VerificationLog.HEADER_SIZE) {
                skip = VerificationLog.HEADER_SIZE - offset;
            }
            List<JsonC.Value> records = new ArrayList<>();
            if (skip <= data.length) {
                window.position((int) skip);
                while (window.remaining() >= VerificationLog.RECORD_SIZE) {
                    records.add(verificationRecord(VerificationLog.Record.decode(window)));
                }
            }
            o.put("records", JsonC.array(records));
        } catch (MalformedPayloadException e) {
            // not what this layout says: the hex is all there is
        }
        return o.build();
    }

    /** One Verification Log record, its fields in layout order; details only where the record has them. */
    private static JsonC.Obj verificationRecord(VerificationLog.Record r) {
        JsonC.ObjBuilder o = JsonC.object()
                .put("sequence", r.sequence())
                .put("operation", r.knownOperation().map(VerificationLog.Operation::label)
                        .orElse(String.format("%02Xh", r.operation())))
                .put("slot", r.slot())
                .put("check", r.knownCheck().map(VerificationCheck::label).orElse(String.format("%04Xh", r.check())))
                .put("timestamp", JsonC.unsignedInteger(r.timestampNanos()));
        r.securityVersions().ifPresent(v -> o.put("security_version", v.securityVersion())
                .put("security_version_floor", v.floor()));
        r.keyId().ifPresent(k -> o.put("key_id", k));
        r.digests().ifPresent(d -> o.put("expected_sha256", Hex.encode(d.expected()))
                .put("found_sha256", Hex.encode(d.found())));
        return o.put("reason", r.reason()).build();
    }

    static JsonC.Obj identifyMemoryDevice(ByteBuffer b) {
        IdentifyMemoryDevice i = IdentifyMemoryDevice.decode(b);
        return JsonC.object()
                .put("fw_revision", i.fwRevision())
                .put("total_capacity", JsonC.unsignedInteger(i.totalCapacity()))
                .put("volatile_only_capacity", JsonC.unsignedInteger(i.volatileOnlyCapacity()))
                .put("persistent_only_capacity", JsonC.unsignedInteger(i.persistentOnlyCapacity()))
                .put("partition_alignment", JsonC.unsignedInteger(i.partitionAlignment()))
                .put("info_event_log_size", i.infoEventLogSize())
                .put("warning_event_log_size", i.warningEventLogSize())
                .put("failure_event_log_size", i.failureEventLogSize())
                .put("fatal_event_log_size", i.fatalEventLogSize())
                .put("lsa_size", i.lsaSize())
                .put("poison_list_max_media_error_records", i.poisonListMaxMediaErrorRecords())
                .put("inject_poison_limit", i.injectPoisonLimit())
                .put("poison_handling_capabilities", i.poisonHandlingCapabilities())
                .put("qos_telemetry_capabilities", i.qosTelemetryCapabilities())
                .put("dynamic_capacity_event_log_size", i.dynamicCapacityEventLogSize())
                .build();
    }

    /** A command with no output payload: {@code {}}; unexpected bytes are kept as hex. */
    static JsonC.Value none(ByteBuffer b) {
        return b.hasRemaining() ? raw(b) : JsonC.object().build();
    }

    /** Any payload as lower-case hex. */
    static JsonC.Value raw(ByteBuffer b) {
        byte[] data = new byte[b.remaining()];
        b.get(data);
        return JsonC.str(Hex.encode(data));
    }

    private static String pciId(int id) {
        return String.format("%04x", id);
    }
}
