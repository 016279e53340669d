package io.cxlkit.device;

import io.cxlkit.device.capacity.PartitionCommands;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.clock.DeviceClock;
import io.cxlkit.device.command.CommandTable;
import io.cxlkit.device.command.OperationRunner;
import io.cxlkit.device.command.Outcome;
import io.cxlkit.device.fw.FirmwareCommands;
import io.cxlkit.device.fw.VerificationLogRing;
import io.cxlkit.device.label.LabelCommands;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
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
 * The handlers of every command but the firmware ones, which it hands to {@link FirmwareCommands}.
 * Called under the device lock by the dispatcher, after its checks.
 */
final class DeviceCommands implements CommandTable.Handlers {

    static final int DEFAULT_RESPONSE_LIMIT = 10;
    static final int MIN_RESPONSE_LIMIT = 8;
    static final int MAX_RESPONSE_LIMIT = 10;

    private final DeviceConfig config;
    /** The persisted serial, which wins over the configured one (device-behaviour.md §6). */
    private final long serial;
    private final DeviceClock clock;
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
    private CommandTable table;
    private int responseLimit = DEFAULT_RESPONSE_LIMIT;
    private boolean timestampSet;
    private long timestampAtSet;
    private long nanoTimeAtSet;

    DeviceCommands(DeviceConfig config, long serial, DeviceClock clock, OperationRunner runner,
                   FirmwareCommands firmware, VerificationLogRing verificationLog, PartitionCommands partitions,
                   LabelCommands labels) {
        this.config = config;
        this.partitions = partitions;
        this.labels = labels;
        this.serial = serial;
        this.clock = clock;
        this.runner = runner;
        this.firmware = firmware;
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
        timestampSet = false;
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
    public Outcome getTimestamp(Cci cci, ByteBuffer in, int maxOut) {
        long ts = timestampSet ? timestampAtSet + (clock.nanoTime() - nanoTimeAtSet) : 0;
        return Outcome.Done.success(new Timestamp(ts).encode());
    }

    @Override
    public Outcome setTimestamp(Cci cci, ByteBuffer in, int maxOut) {
        timestampAtSet = Timestamp.decode(in).nanos();
        nanoTimeAtSet = clock.nanoTime();
        timestampSet = true;
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

    @Override
    public Outcome identifyMemoryDevice(Cci cci, ByteBuffer in, int maxOut) {
        long unit = IdentifyMemoryDevice.CAPACITY_UNIT;
        int logSize = config.eventLogSize();
        return Outcome.Done.success(new IdentifyMemoryDevice(firmware.fwInfo().revision(firmware.fwInfo().activeSlot()),
                config.totalCapacity() / unit, config.volatileCapacity() / unit, config.persistentCapacity() / unit,
                config.partitionAlignment() / unit, logSize, logSize, logSize, logSize, config.lsaSize(),
                0, 0, 0, 0, 0).encode());
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
}
