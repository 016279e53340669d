package io.cxlkit.host.json;

import io.cxlkit.protocol.payload.AlertConfig;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.PartitionInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the host knows about one memdev, as sysfs is for ndctl: the raw data behind the memdev
 * JSON object. The view carries data only; which keys appear and how they print (plain or
 * human) is decided by {@link MemdevJson}.
 *
 * <p>Sizes and the serial are 64-bit values carried as {@code long} bit patterns (they are
 * unsigned in the kernel and on the wire).
 *
 * @param name            the memdev name, e.g. {@code mem0}
 * @param pmemSize        persistent capacity in bytes (0: the key is left out)
 * @param ramSize         volatile capacity in bytes (0: the key is left out)
 * @param serial          the device serial number
 * @param host            the PCI address of the device, e.g. {@code 0000:0d:00.0}
 * @param firmwareVersion from Identify Memory Device's FW Revision; empty if that command failed
 * @param firmware        from Get FW Info plus whether an upload runs and what is left of it; empty if Get FW
 *                        Info failed
 * @param cxlkit          cxlkit's own extension object (wire.md §3); empty when not known
 * @param health          Get Health Info's output ({@code health}); empty when not asked for or when the
 *                        command failed
 * @param alertConfig     Get Alert Configuration's output ({@code alert_config}); empty likewise
 * @param partitionInfo   Identify Memory Device's capacities and Get Partition Info's
 *                        ({@code partition_info}); empty when not asked for or when Identify Memory Device
 *                        failed
 * @param mediaErrors     the records of every Get Poison List output ({@code media_errors}), in order; empty
 *                        when not asked for, when there are none, or when one of the commands failed
 */
public record MemdevView(String name, long pmemSize, long ramSize, long serial, String host,
                         Optional<String> firmwareVersion, Optional<FirmwareView> firmware,
                         Optional<CxlkitView> cxlkit, Optional<HealthInfo> health,
                         Optional<AlertConfig> alertConfig, Optional<PartitionView> partitionInfo,
                         List<MediaError> mediaErrors) {

    public MemdevView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(firmwareVersion, "firmwareVersion");
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(cxlkit, "cxlkit");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(alertConfig, "alertConfig");
        Objects.requireNonNull(partitionInfo, "partitionInfo");
        mediaErrors = List.copyOf(mediaErrors);
    }

    /** A view without the objects only {@code list -H/-A/-I} (the API's {@code include=}) ask for. */
    public MemdevView(String name, long pmemSize, long ramSize, long serial, String host,
                      Optional<String> firmwareVersion, Optional<FirmwareView> firmware, Optional<CxlkitView> cxlkit) {
        this(name, pmemSize, ramSize, serial, host, firmwareVersion, firmware, cxlkit, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of());
    }

    /** A memdev with no firmware version, firmware object or cxlkit object (yet). */
    public static MemdevView of(String name, long pmemSize, long ramSize, long serial, String host) {
        return new MemdevView(name, pmemSize, ramSize, serial, host, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** The {@code firmware_version} a successful Identify Memory Device gives: its FW Revision. */
    public static String firmwareVersionOf(IdentifyMemoryDevice identify) {
        return identify.fwRevision();
    }

    public MemdevView withFirmwareVersion(String version) {
        return new MemdevView(name, pmemSize, ramSize, serial, host, Optional.of(version), firmware, cxlkit, health,
                alertConfig, partitionInfo, mediaErrors);
    }

    /** Sets {@code firmware_version} from a successful Identify Memory Device. */
    public MemdevView withFirmwareVersion(IdentifyMemoryDevice identify) {
        return withFirmwareVersion(firmwareVersionOf(identify));
    }

    /** Drops {@code firmware_version} (Identify Memory Device failed). */
    public MemdevView withoutFirmwareVersion() {
        return new MemdevView(name, pmemSize, ramSize, serial, host, Optional.empty(), firmware, cxlkit, health,
                alertConfig, partitionInfo, mediaErrors);
    }

    public MemdevView withFirmware(FirmwareView fw) {
        return new MemdevView(name, pmemSize, ramSize, serial, host, firmwareVersion, Optional.of(fw), cxlkit, health,
                alertConfig, partitionInfo, mediaErrors);
    }

    /** Sets the {@code firmware} object from a successful Get FW Info, with no upload running. */
    public MemdevView withFirmware(FwInfo info) {
        return withFirmware(FirmwareView.from(info));
    }

    /** Drops the {@code firmware} object (Get FW Info failed). */
    public MemdevView withoutFirmware() {
        return new MemdevView(name, pmemSize, ramSize, serial, host, firmwareVersion, Optional.empty(), cxlkit,
                health, alertConfig, partitionInfo, mediaErrors);
    }

    public MemdevView withCxlkit(CxlkitView extension) {
        return new MemdevView(name, pmemSize, ramSize, serial, host, firmwareVersion, firmware,
                Optional.of(extension), health, alertConfig, partitionInfo, mediaErrors);
    }

    /** Sets the {@code health} object from a successful Get Health Info. */
    public MemdevView withHealth(HealthInfo h) {
        return new MemdevView(name, pmemSize, ramSize, serial, host, firmwareVersion, firmware, cxlkit,
                Optional.of(h), alertConfig, partitionInfo, mediaErrors);
    }

    /** Sets the {@code alert_config} object from a successful Get Alert Configuration. */
    public MemdevView withAlertConfig(AlertConfig a) {
        return new MemdevView(name, pmemSize, ramSize, serial, host, firmwareVersion, firmware, cxlkit, health,
                Optional.of(a), partitionInfo, mediaErrors);
    }

    public MemdevView withPartitionInfo(PartitionView p) {
        return new MemdevView(name, pmemSize, ramSize, serial, host, firmwareVersion, firmware, cxlkit, health,
                alertConfig, Optional.of(p), mediaErrors);
    }

    /** Sets the {@code media_errors} entries: every record of the given Get Poison List outputs, in order. */
    public MemdevView withMediaErrors(List<MediaError> errors) {
        return new MemdevView(name, pmemSize, ramSize, serial, host, firmwareVersion, firmware, cxlkit, health,
                alertConfig, partitionInfo, errors);
    }

    /**
     * One entry of ndctl's {@code media_errors} array: one media error record with the flags and
     * overflow timestamp of the Get Poison List output that carried it (memdev-commands.md §15.1;
     * libcxl reports each record as a {@code cxl_poison} trace event carrying its output's header).
     *
     * @param offset            the run's DPA
     * @param length            the run's length in bytes
     * @param source            the 3-bit Error Source code (4-6 reserved)
     * @param flags             that output's flags byte (bit 0 More, 1 Overflow, 2 Scan Media in Progress,
     *                          3 Restart Ack)
     * @param overflowTimestamp that output's Overflow Timestamp
     */
    public record MediaError(long offset, long length, int source, int flags, long overflowTimestamp) {

        public MediaError {
            if (source < 0 || source > 7) {
                throw new IllegalArgumentException("a media error source is 3 bits: " + source);
            }
            if (flags < 0 || flags > 0xFF) {
                throw new IllegalArgumentException("a flags byte is 8 bits: " + flags);
            }
        }

        /** Every record of {@code outputs}, in order, each with its output's flags and overflow timestamp. */
        public static List<MediaError> from(List<GetPoisonListResponse> outputs) {
            List<MediaError> out = new ArrayList<>();
            for (GetPoisonListResponse r : outputs) {
                int flags = (r.more() ? 1 : 0) | (r.overflow() ? 2 : 0) | (r.scanMediaInProgress() ? 4 : 0)
                        | (r.restartAck() ? 8 : 0);
                for (MediaErrorRecord rec : r.records()) {
                    out.add(new MediaError(rec.dpa(), rec.length() * DpaRange.LINE, rec.source().code(), flags,
                            r.overflowTimestamp()));
                }
            }
            return out;
        }
    }

    /**
     * The data behind ndctl's {@code partition_info} object, in bytes: Identify Memory Device's
     * Total, Volatile Only, Persistent Only capacities and Partition Alignment, and, only when the
     * alignment is not zero and Get Partition Info succeeded, its active and next capacities (ndctl's
     * {@code util_cxl_memdev_partition_to_json}). Capacities are 64-bit unsigned bit patterns, as the
     * wire's units times 256 MiB wrap in ndctl's arithmetic.
     */
    public record PartitionView(long totalSize, long volatileOnlySize, long persistentOnlySize, long alignmentSize,
                                Optional<ActivePartitions> active) {

        public PartitionView {
            Objects.requireNonNull(active, "active");
        }

        /**
         * From Identify Memory Device and, when its alignment is not zero, Get Partition Info (empty:
         * that command failed, and the active and next sizes are left out, as ndctl does).
         */
        public static PartitionView from(IdentifyMemoryDevice identify, Optional<PartitionInfo> partitions) {
            long unit = IdentifyMemoryDevice.CAPACITY_UNIT;
            Optional<ActivePartitions> active = identify.partitionAlignment() == 0 ? Optional.empty()
                    : partitions.map(p -> new ActivePartitions(p.activeVolatile() * unit, p.activePersistent() * unit,
                    p.nextVolatile() * unit, p.nextPersistent() * unit));
            return new PartitionView(identify.totalCapacity() * unit, identify.volatileOnlyCapacity() * unit,
                    identify.persistentOnlyCapacity() * unit, identify.partitionAlignment() * unit, active);
        }
    }

    /** Get Partition Info's capacities in bytes; the next ones are 0 when no change is pending. */
    public record ActivePartitions(long activeVolatileSize, long activePersistentSize, long nextVolatileSize,
                                   long nextPersistentSize) {
    }

    /**
     * The data behind ndctl's {@code firmware} object: Get FW Info's fields plus what the kernel's
     * firmware loader shows in sysfs (an upload running, the bytes left). Nothing else: the upload's
     * stage and its last error are cxlkit's own information and live in {@link UploadView} (the
     * {@code cxlkit.upload} object), so that ndctl's object carries only ndctl's keys.
     *
     * @param numSlots              FW Slots Supported
     * @param activeSlot            the active slot
     * @param stagedSlot            the slot staged for the next reset; 0 (or out of range) for none
     * @param onlineActivateCapable online activation supported
     * @param slotRevisions         up to {@value FwInfo#SLOT_COUNT} revisions, slot 1 first, "" for an empty
     *                              slot; padded with "" to {@value FwInfo#SLOT_COUNT} entries
     * @param updateInProgress      an upload is running
     * @param remainingSize         bytes of the image not yet acknowledged (shown only while in progress)
     */
    public record FirmwareView(int numSlots, int activeSlot, int stagedSlot, boolean onlineActivateCapable,
                               List<String> slotRevisions, boolean updateInProgress, long remainingSize) {

        public FirmwareView {
            if (numSlots < 0 || activeSlot < 0 || stagedSlot < 0) {
                throw new IllegalArgumentException("slot numbers are never negative: num_slots " + numSlots
                        + ", active " + activeSlot + ", staged " + stagedSlot);
            }
            Objects.requireNonNull(slotRevisions, "slotRevisions");
            if (slotRevisions.size() > FwInfo.SLOT_COUNT) {
                throw new IllegalArgumentException("at most " + FwInfo.SLOT_COUNT + " slot revisions, got "
                        + slotRevisions.size());
            }
            List<String> padded = new ArrayList<>(FwInfo.SLOT_COUNT);
            for (String r : slotRevisions) {
                padded.add(Objects.requireNonNull(r, "slot revision"));
            }
            while (padded.size() < FwInfo.SLOT_COUNT) {
                padded.add("");
            }
            slotRevisions = List.copyOf(padded);
            if (remainingSize < 0) {
                throw new IllegalArgumentException("remaining size is negative: " + remainingSize);
            }
        }

        /** Get FW Info's fields with no upload running. */
        public static FirmwareView from(FwInfo info) {
            return new FirmwareView(info.slotsSupported(), info.activeSlot(), info.stagedSlot(),
                    info.onlineActivationSupported(), info.slotRevisions(), false, 0);
        }

        /** The revision in slot {@code slot} (1..4), "" when empty. */
        public String slotRevision(int slot) {
            if (slot < 1 || slot > FwInfo.SLOT_COUNT) {
                throw new IllegalArgumentException("FW slots are numbered 1.." + FwInfo.SLOT_COUNT + ": " + slot);
            }
            return slotRevisions.get(slot - 1);
        }

        /** The same slots with an upload running and {@code remaining} bytes of it not yet acknowledged. */
        public FirmwareView inProgress(long remaining) {
            return new FirmwareView(numSlots, activeSlot, stagedSlot, onlineActivateCapable, slotRevisions, true,
                    remaining);
        }
    }

    /**
     * cxlkit's extension object (wire.md §3), printed last as {@code "cxlkit"} when asked for.
     *
     * @param fwMaxSize            the largest image the device accepts, bytes
     * @param fwVerify             the verification policy: {@code none}, {@code package} or {@code signed}
     * @param securityVersionFloor the lowest package security version the device accepts
     * @param faults               the injected faults, as the inject command names them
     * @param upload               the host's upload state
     * @param reset                only in the answer to a cold reset that rejected the staged slot: which
     *                             and why
     */
    public record CxlkitView(long fwMaxSize, String fwVerify, long securityVersionFloor, List<String> faults,
                             UploadView upload, Optional<ResetView> reset) {
        public CxlkitView {
            Objects.requireNonNull(fwVerify, "fwVerify");
            faults = List.copyOf(faults);
            Objects.requireNonNull(upload, "upload");
            Objects.requireNonNull(reset, "reset");
        }

        /** With no reset to report: every memdev object but a reset's answer. */
        public CxlkitView(long fwMaxSize, String fwVerify, long securityVersionFloor, List<String> faults,
                          UploadView upload) {
            this(fwMaxSize, fwVerify, securityVersionFloor, faults, upload, Optional.empty());
        }

        /** The same with the outcome of the cold reset this object answers. */
        public CxlkitView withReset(ResetView r) {
            return new CxlkitView(fwMaxSize, fwVerify, securityVersionFloor, faults, upload, Optional.of(r));
        }
    }

    /**
     * The {@code cxlkit.reset} object: a cold reset found the staged slot's package failing
     * verification (docs/verification-log.md), so that slot stays as it is, not active.
     *
     * @param stagedSlot the slot that was staged
     * @param reason     the device's reason, from its Verification Log
     */
    public record ResetView(int stagedSlot, String reason) {
        public ResetView {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The host's upload state, the {@code cxlkit.upload} object.
     *
     * <p>JSON types (MemdevJson prints them in this order; optional ones are left out when empty,
     * as ndctl leaves out what it does not know, never {@code null}):
     * <ul>
     *   <li>{@code status}: string, always: idle, receiving, preparing, transferring, programming;</li>
     *   <li>{@code error}: string {@code <stage>:<error>}, after a failed or cancelled upload;</li>
     *   <li>{@code reason}: string, the device's reason for the answer that failed the upload, from
     *       its Verification Log, e.g. {@code bad magic}; only when the host found one;</li>
     *   <li>{@code opcode}: string, four upper-case hex digits and {@code h} as the docs write
     *       opcodes, e.g. {@code "0201h"}: the command that failed;</li>
     *   <li>{@code return_code}: string in the same form, e.g. {@code "000Ah"};</li>
     *   <li>{@code return_code_name}: string, the spec's name, e.g. {@code "FW Verification Failed"};</li>
     *   <li>{@code bytes_sent}, {@code parts_sent}: integers, always;</li>
     *   <li>{@code started}, {@code finished}: strings, ISO-8601 UTC with milliseconds, always in the
     *       form {@code 2024-05-01T12:00:00.000Z}; left out while unknown (never started, not finished).</li>
     * </ul>
     */
    public record UploadView(String status, Optional<String> error, Optional<String> reason, Optional<String> opcode,
                             Optional<String> returnCode, Optional<String> returnCodeName, long bytesSent,
                             long partsSent, Optional<Instant> started, Optional<Instant> finished) {

        private static final Pattern HEX16 = Pattern.compile("[0-9A-F]{4}h");

        /** Nothing ever uploaded. */
        public static final UploadView IDLE = new UploadView("idle", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, Optional.empty(), Optional.empty());

        public UploadView {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(opcode, "opcode");
            Objects.requireNonNull(returnCode, "returnCode");
            Objects.requireNonNull(returnCodeName, "returnCodeName");
            Objects.requireNonNull(started, "started");
            Objects.requireNonNull(finished, "finished");
            opcode.ifPresent(o -> requireHex16("opcode", o));
            returnCode.ifPresent(rc -> requireHex16("return code", rc));
            if (bytesSent < 0 || partsSent < 0) {
                throw new IllegalArgumentException("negative progress: " + bytesSent + " bytes, " + partsSent
                        + " parts");
            }
        }

        /** A 16-bit value as {@link UploadView} carries opcodes and return codes, e.g. {@code "0201h"}. */
        public static String hex16(int value) {
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("not a 16-bit value: " + value);
            }
            return String.format("%04Xh", value);
        }

        private static void requireHex16(String what, String text) {
            if (!HEX16.matcher(text).matches()) {
                throw new IllegalArgumentException(what + " must be four upper-case hex digits and 'h', e.g. "
                        + "\"0201h\": \"" + text + "\"");
            }
        }
    }
}
