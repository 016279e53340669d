package io.cxlkit.device;

import io.cxlkit.device.capacity.PartitionCommands;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.clock.DeviceTimestamp;
import io.cxlkit.device.command.CommandTable;
import io.cxlkit.device.command.OperationRunner;
import io.cxlkit.device.event.EventCommands;
import io.cxlkit.device.command.Outcome;
import io.cxlkit.device.fw.FirmwareCommands;
import io.cxlkit.device.fw.VerificationLogRing;
import io.cxlkit.device.health.HealthCommands;
import io.cxlkit.device.label.LabelCommands;
import io.cxlkit.device.sanitize.SanitizeCommands;
import io.cxlkit.device.media.MediaCommands;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.LogCapabilities;
import io.cxlkit.protocol.payload.LogIdRequest;
import io.cxlkit.protocol.payload.LogIds;
import io.cxlkit.protocol.payload.ResponseMessageLimit;
import io.cxlkit.protocol.payload.SupportedLogEntry;
import io.cxlkit.protocol.payload.SupportedLogs;
import io.cxlkit.protocol.payload.SupportedLogsSubList;
import io.cxlkit.protocol.payload.SupportedLogsSubListRequest;
import io.cxlkit.protocol.payload.Timestamp;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The handlers of every command, handing the firmware ones to {@link FirmwareCommands}, the event
 * ones to {@link EventCommands}, the health ones to {@link HealthCommands} and the sanitize ones to
 * {@link SanitizeCommands}. Called under the
 * device lock by the dispatcher, after its checks.
 */
final class DeviceCommands implements CommandTable.Handlers {

    static final int DEFAULT_RESPONSE_LIMIT = 10;
    static final int MIN_RESPONSE_LIMIT = 8;
    static final int MAX_RESPONSE_LIMIT = 10;
    /** The capabilities of every log here: persistent across a cold reset, nothing else (00000008h). */
    static final LogCapabilities KEPT_LOG = new LogCapabilities(false, false, false, true);
    /** Identify Memory Device 41h bit 0: persistent-partition poison persists (memdev-commands.md §8.1). */
    static final int POISON_PERSISTS = 0x01;

    private final DeviceConfig config;
    /** The persisted serial, which wins over the configured one (device-behaviour.md §6). */
    private final long serial;
    private final OperationRunner runner;
    private final FirmwareCommands firmware;
    /**
     * The logs Get Supported Logs lists and Get Log reads, in that order, each as its whole bytes
     * on a CCI. The Verification Log is cxlkit's own (docs/verification-log.md): device-behaviour.md
     * §1 has the CEL alone, and the README says why it is not.
     */
    private final Map<UUID, Function<Cci, byte[]>> logs;
    private final PartitionCommands partitions;
    private final LabelCommands labels;
    private final SanitizeCommands sanitize;
    private final MediaCommands media;
    private CommandTable table;
    private final DeviceTimestamp timestamp;
    private final EventCommands events;
    private final HealthCommands health;
    private int responseLimit = DEFAULT_RESPONSE_LIMIT;

    DeviceCommands(DeviceConfig config, long serial, DeviceTimestamp timestamp, OperationRunner runner,
                   FirmwareCommands firmware, VerificationLogRing verificationLog, EventCommands events,
                   HealthCommands health, PartitionCommands partitions, LabelCommands labels, MediaCommands media,
                   SanitizeCommands sanitize) {
        this.config = config;
        this.media = media;
        this.sanitize = sanitize;
        this.partitions = partitions;
        this.labels = labels;
        this.serial = serial;
        this.timestamp = timestamp;
        this.runner = runner;
        this.firmware = firmware;
        this.events = events;
        this.health = health;
        Map<UUID, Function<Cci, byte[]>> logs = new LinkedHashMap<>();
        logs.put(LogIds.CEL_UUID, cci -> table.commandEffectsLogBytes(cci));
        logs.put(LogIds.VERIFICATION_LOG_UUID, cci -> verificationLog.bytes());
        this.logs = Collections.unmodifiableMap(logs);
    }

    void setTable(CommandTable table) {
        this.table = table;
    }

    /** The MCTP CCI's response message limit, 2^n bytes. */
    int responseLimitBytes() {
        return 1 << responseLimit;
    }

    /** What a cold reset clears here: the timestamp and the response message limit. */
    void coldReset() {
        responseLimit = DEFAULT_RESPONSE_LIMIT;
        timestamp.clear();
    }

    @Override
    public Outcome identify(Cci cci, ByteBuffer in, int maxOut) {
        return Outcome.Done.success(new Identify(config.vendorId(), config.deviceId(), config.subsystemVendorId(),
                config.subsystemId(), serial, config.mctpMessageSizeExponent(),
                Identify.COMPONENT_TYPE_TYPE3).encode());
    }

    @Override
    public Outcome backgroundOperationStatus(Cci cci, ByteBuffer in, int maxOut) {
        return Outcome.Done.success(runner.statusFor(cci).encode());
    }

    @Override
    public Outcome getResponseMessageLimit(Cci cci, ByteBuffer in, int maxOut) {
        return Outcome.Done.success(new ResponseMessageLimit(responseLimit).encode());
    }

    @Override
    public Outcome setResponseMessageLimit(Cci cci, ByteBuffer in, int maxOut) {
        int n = in.get(in.position()) & 0xFF;
        if (n < MIN_RESPONSE_LIMIT || n > MAX_RESPONSE_LIMIT) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        responseLimit = n;
        return Outcome.Done.success(new ResponseMessageLimit(n).encode());
    }

    @Override
    public Outcome requestAbort(Cci cci, ByteBuffer in, int maxOut) {
        return runner.requestAbort(cci);
    }

    @Override
    public Outcome getFwInfo(Cci cci, ByteBuffer in, int maxOut) {
        return firmware.getFwInfo(cci, in, maxOut);
    }

    @Override
    public Outcome transferFw(Cci cci, ByteBuffer in, int maxOut) {
        return firmware.transferFw(cci, in, maxOut);
    }

    @Override
    public Outcome activateFw(Cci cci, ByteBuffer in, int maxOut) {
        return firmware.activateFw(cci, in, maxOut);
    }

    @Override
    public Outcome getEventRecords(Cci cci, ByteBuffer in, int maxOut) {
        return events.getEventRecords(in, maxOut);
    }

    @Override
    public Outcome clearEventRecords(Cci cci, ByteBuffer in, int maxOut) {
        return events.clearEventRecords(in);
    }

    @Override
    public Outcome getEventInterruptPolicy(Cci cci, ByteBuffer in, int maxOut) {
        return events.getEventInterruptPolicy();
    }

    @Override
    public Outcome setEventInterruptPolicy(Cci cci, ByteBuffer in, int maxOut) {
        return events.setEventInterruptPolicy(in);
    }

    @Override
    public Outcome getTimestamp(Cci cci, ByteBuffer in, int maxOut) {
        return Outcome.Done.success(new Timestamp(timestamp.now()).encode());
    }

    @Override
    public Outcome setTimestamp(Cci cci, ByteBuffer in, int maxOut) {
        timestamp.set(Timestamp.decode(in).nanos());
        return Outcome.done(ReturnCode.SUCCESS);
    }

    private List<SupportedLogEntry> supportedLogs(Cci cci) {
        return logs.entrySet().stream()
                .map(log -> new SupportedLogEntry(log.getKey(), log.getValue().apply(cci).length)).toList();
    }

    @Override
    public Outcome getSupportedLogs(Cci cci, ByteBuffer in, int maxOut) {
        return Outcome.Done.success(new SupportedLogs(supportedLogs(cci)).encode());
    }

    @Override
    public Outcome getSupportedLogsSubList(Cci cci, ByteBuffer in, int maxOut) {
        SupportedLogsSubListRequest req = SupportedLogsSubListRequest.decode(in);
        List<SupportedLogEntry> all = supportedLogs(cci);
        if (req.startIndex() > all.size()) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        int fit = (maxOut - SupportedLogsSubList.HEADER_SIZE) / SupportedLogEntry.ENTRY_SIZE;
        int end = Math.min(all.size(), req.startIndex() + Math.min(req.maxEntries(), fit));
        List<SupportedLogEntry> slice = all.subList(req.startIndex(), Math.max(req.startIndex(), end));
        return Outcome.Done.success(new SupportedLogsSubList(all.size(), req.startIndex(), slice).encode());
    }

    @Override
    public Outcome getLog(Cci cci, ByteBuffer in, int maxOut) {
        GetLogRequest req = GetLogRequest.decode(in);
        Function<Cci, byte[]> log = logs.get(req.logId());
        if (log == null) {
            return Outcome.done(ReturnCode.INVALID_LOG);
        }
        byte[] bytes = log.apply(cci);
        if (req.length() > maxOut || req.offset() > bytes.length || req.offset() + req.length() > bytes.length) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        byte[] out = new byte[(int) req.length()];
        System.arraycopy(bytes, (int) req.offset(), out, 0, out.length);
        return Outcome.Done.success(out);
    }

    /**
     * Get Log Capabilities (0402h): unknown UUID 0017h. Every log the device keeps (the CEL and the
     * Verification Log) survives a cold reset and cannot be cleared or populated: 00000008h.
     */
    @Override
    public Outcome getLogCapabilities(Cci cci, ByteBuffer in, int maxOut) {
        if (!logs.containsKey(LogIdRequest.decode(in).logId())) {
            return Outcome.done(ReturnCode.INVALID_LOG);
        }
        return Outcome.Done.success(KEPT_LOG.encode());
    }

    /** Clear Log (0403h): unknown UUID 0017h; a log without Clear Log Supported (all of them): 0002h. */
    @Override
    public Outcome clearLog(Cci cci, ByteBuffer in, int maxOut) {
        if (!logs.containsKey(LogIdRequest.decode(in).logId())) {
            return Outcome.done(ReturnCode.INVALID_LOG);
        }
        return Outcome.done(ReturnCode.INVALID_INPUT); // no log here has Clear Log Supported (KEPT_LOG)
    }

    @Override
    public Outcome identifyMemoryDevice(Cci cci, ByteBuffer in, int maxOut) {
        long unit = IdentifyMemoryDevice.CAPACITY_UNIT;
        int logSize = config.eventLogSize();
        return Outcome.Done.success(new IdentifyMemoryDevice(firmware.fwInfo().revision(firmware.fwInfo().activeSlot()),
                config.totalCapacity() / unit, config.volatileCapacity() / unit, config.persistentCapacity() / unit,
                config.partitionAlignment() / unit, logSize, logSize, logSize, logSize, config.lsaSize(),
                config.poisonMaxRecords(), config.injectPoisonLimit(), POISON_PERSISTS, 0, 0).encode());
    }

    // ---- capacity and labels (memdev-commands.md §5, §6) ----

    @Override
    public Outcome getPartitionInfo(Cci cci, ByteBuffer in, int maxOut) {
        return partitions.getPartitionInfo(cci, in, maxOut);
    }

    @Override
    public Outcome setPartitionInfo(Cci cci, ByteBuffer in, int maxOut) {
        return partitions.setPartitionInfo(cci, in, maxOut);
    }

    @Override
    public Outcome getLsa(Cci cci, ByteBuffer in, int maxOut) {
        return labels.getLsa(cci, in, maxOut);
    }

    @Override
    public Outcome setLsa(Cci cci, ByteBuffer in, int maxOut) {
        return labels.setLsa(cci, in, maxOut);
    }

    @Override
    public Outcome getHealthInfo(Cci cci, ByteBuffer in, int maxOut) {
        return health.getHealthInfo();
    }

    @Override
    public Outcome getAlertConfiguration(Cci cci, ByteBuffer in, int maxOut) {
        return health.getAlertConfiguration();
    }

    @Override
    public Outcome setAlertConfiguration(Cci cci, ByteBuffer in, int maxOut) {
        return health.setAlertConfiguration(in);
    }

    @Override
    public Outcome getShutdownState(Cci cci, ByteBuffer in, int maxOut) {
        return health.getShutdownState();
    }

    @Override
    public Outcome setShutdownState(Cci cci, ByteBuffer in, int maxOut) {
        return health.setShutdownState(in);
    }

    // ---- media and poison (memdev-commands.md §8) ----

    @Override
    public Outcome getPoisonList(Cci cci, ByteBuffer in, int maxOut) {
        return media.getPoisonList(cci, in, maxOut);
    }

    @Override
    public Outcome injectPoison(Cci cci, ByteBuffer in, int maxOut) {
        return media.injectPoison(cci, in, maxOut);
    }

    @Override
    public Outcome clearPoison(Cci cci, ByteBuffer in, int maxOut) {
        return media.clearPoison(cci, in, maxOut);
    }

    @Override
    public Outcome getScanMediaCapabilities(Cci cci, ByteBuffer in, int maxOut) {
        return media.getScanMediaCapabilities(cci, in, maxOut);
    }

    @Override
    public Outcome scanMedia(Cci cci, ByteBuffer in, int maxOut) {
        return media.scanMedia(cci, in, maxOut);
    }

    @Override
    public Outcome getScanMediaResults(Cci cci, ByteBuffer in, int maxOut) {
        return media.getScanMediaResults(cci, in, maxOut);
    }

    // ---- sanitize and security state (memdev-commands.md §9) ----

    @Override
    public Outcome sanitize(Cci cci, ByteBuffer in, int maxOut) {
        return sanitize.sanitize(cci, in, maxOut);
    }

    @Override
    public Outcome secureErase(Cci cci, ByteBuffer in, int maxOut) {
        return sanitize.secureErase(cci, in, maxOut);
    }

    @Override
    public Outcome getSecurityState(Cci cci, ByteBuffer in, int maxOut) {
        return sanitize.getSecurityState(cci, in, maxOut);
    }
}
