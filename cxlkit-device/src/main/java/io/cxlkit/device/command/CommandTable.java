package io.cxlkit.device.command;

import static io.cxlkit.protocol.CelEffect.BACKGROUND_OPERATION;
import static io.cxlkit.protocol.CelEffect.CONFIG_CHANGE_AFTER_COLD_RESET;
import static io.cxlkit.protocol.CelEffect.IMMEDIATE_CONFIG_CHANGE;
import static io.cxlkit.protocol.CelEffect.IMMEDIATE_LOG_CHANGE;
import static io.cxlkit.protocol.CelEffect.IMMEDIATE_DATA_CHANGE;
import static io.cxlkit.protocol.CelEffect.IMMEDIATE_POLICY_CHANGE;
import static io.cxlkit.protocol.CelEffect.REQUEST_ABORT_SUPPORTED;
import static io.cxlkit.protocol.CelEffect.RESET_BITS_VALID;
import static io.cxlkit.protocol.CelEffect.SECURITY_STATE_CHANGE;

import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CelEffects;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.CelEntry;
import io.cxlkit.protocol.payload.ClearEventRecordsRequest;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.ScanMediaRequest;
import io.cxlkit.protocol.payload.EventInterruptPolicy;
import io.cxlkit.protocol.payload.GetEventRecordsRequest;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.LogIdRequest;
import io.cxlkit.protocol.payload.ResponseMessageLimit;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import io.cxlkit.protocol.payload.ShutdownState;
import io.cxlkit.protocol.payload.GetLsaRequest;
import io.cxlkit.protocol.payload.SetLsaRequest;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import io.cxlkit.protocol.payload.SupportedLogsSubListRequest;
import io.cxlkit.protocol.payload.Timestamp;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one declaration of every command a device supports (device-behaviour.md §1; the event, log
 * capability and health rows: docs/events-and-health.md; sanitize: docs/sanitize.md): interfaces,
 * input length rule, CEL effects and handler. The dispatcher's checks and each CCI's Command
 * Effects Log are derived from it.
 */
public final class CommandTable {

    /** The handlers a device provides, one per command. */
    public interface Handlers {
        Outcome identify(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome backgroundOperationStatus(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getResponseMessageLimit(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome setResponseMessageLimit(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome requestAbort(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getEventRecords(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome clearEventRecords(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getEventInterruptPolicy(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome setEventInterruptPolicy(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getFwInfo(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome transferFw(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome activateFw(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getTimestamp(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome setTimestamp(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getSupportedLogs(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getLog(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getLogCapabilities(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome clearLog(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getSupportedLogsSubList(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome identifyMemoryDevice(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getHealthInfo(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getAlertConfiguration(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome setAlertConfiguration(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getShutdownState(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome setShutdownState(Cci cci, java.nio.ByteBuffer in, int maxOut);
        // capacity and labels (memdev-commands.md §5, §6)

        Outcome getPartitionInfo(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome setPartitionInfo(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getLsa(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome setLsa(Cci cci, java.nio.ByteBuffer in, int maxOut);
        // media and poison (memdev-commands.md §8)

        Outcome getPoisonList(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome injectPoison(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome clearPoison(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getScanMediaCapabilities(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome scanMedia(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getScanMediaResults(Cci cci, java.nio.ByteBuffer in, int maxOut);

        // sanitize and security state (memdev-commands.md §9)

        Outcome sanitize(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome secureErase(Cci cci, java.nio.ByteBuffer in, int maxOut);

        Outcome getSecurityState(Cci cci, java.nio.ByteBuffer in, int maxOut);
    }

    private static final Set<Cci> MCTP_ONLY = Collections.unmodifiableSet(EnumSet.of(Cci.MCTP));
    private static final Set<Cci> MAILBOX_ONLY = Collections.unmodifiableSet(EnumSet.of(Cci.MAILBOX));
    private static final Set<Cci> BOTH = Collections.unmodifiableSet(EnumSet.allOf(Cci.class));

    /** Transfer FW: staged firmware activates on a cold reset only; a part can be aborted (0341h). */
    public static final CelEffects TRANSFER_FW_EFFECTS = CelEffects.of(CONFIG_CHANGE_AFTER_COLD_RESET,
            BACKGROUND_OPERATION, REQUEST_ABORT_SUPPORTED, RESET_BITS_VALID);
    /** Activate FW: online activation changes the configuration now and is not abortable (0243h). */
    public static final CelEffects ACTIVATE_FW_EFFECTS = CelEffects.of(CONFIG_CHANGE_AFTER_COLD_RESET,
            IMMEDIATE_CONFIG_CHANGE, BACKGROUND_OPERATION, RESET_BITS_VALID);
    /** Clear Event Records, Clear Log: an immediate log change (0010h). */
    public static final CelEffects LOG_CHANGE_EFFECTS = CelEffects.of(IMMEDIATE_LOG_CHANGE);
    /**
     * Set Timestamp, Set Event Interrupt Policy, Set Alert Configuration, Set Shutdown State: an
     * immediate policy change (0008h).
     */
    public static final CelEffects POLICY_CHANGE_EFFECTS = CelEffects.of(IMMEDIATE_POLICY_CHANGE);
    /**
     * Set Partition Info: configuration after a cold reset or now, data now (media zeroed), bits
     * 10/11 valid (0207h; memdev-commands.md §16: not r3.1's 0E07h, only cold reset is modelled).
     */
    public static final CelEffects SET_PARTITION_INFO_EFFECTS = CelEffects.of(CONFIG_CHANGE_AFTER_COLD_RESET,
            IMMEDIATE_CONFIG_CHANGE, IMMEDIATE_DATA_CHANGE, RESET_BITS_VALID);
    /** Set LSA: an immediate configuration and data change (0006h). */
    public static final CelEffects SET_LSA_EFFECTS = CelEffects.of(IMMEDIATE_CONFIG_CHANGE, IMMEDIATE_DATA_CHANGE);
    /** Inject Poison, Clear Poison: an immediate data change (0004h). */
    public static final CelEffects POISON_EFFECTS = CelEffects.of(IMMEDIATE_DATA_CHANGE);
    /** Scan Media: a background operation that can be aborted (0140h). */
    public static final CelEffects SCAN_MEDIA_EFFECTS = CelEffects.of(BACKGROUND_OPERATION, REQUEST_ABORT_SUPPORTED);

    /**
     * Sanitize: data and security state change now, a background operation that can be aborted
     * (0164h, memdev-commands.md §1).
     */
    public static final CelEffects SANITIZE_EFFECTS = CelEffects.of(IMMEDIATE_DATA_CHANGE, SECURITY_STATE_CHANGE,
            BACKGROUND_OPERATION, REQUEST_ABORT_SUPPORTED);
    /** Secure Erase: data and security state change now (0024h); not a background command. */
    public static final CelEffects SECURE_ERASE_EFFECTS = CelEffects.of(IMMEDIATE_DATA_CHANGE, SECURITY_STATE_CHANGE);

    private final Map<Opcode, CommandSpec> byOpcode;

    private CommandTable(List<CommandSpec> specs) {
        Map<Opcode, CommandSpec> m = new TreeMap<>();
        for (CommandSpec s : specs) {
            m.put(s.opcode(), s);
        }
        this.byOpcode = Collections.unmodifiableMap(m);
    }

    public static CommandTable of(Handlers h) {
        return new CommandTable(List.of(
                spec(CommandId.IDENTIFY, MCTP_ONLY, LengthRule.exactly(0), CelEffects.NONE, h::identify),
                spec(CommandId.BACKGROUND_OPERATION_STATUS, MCTP_ONLY, LengthRule.exactly(0), CelEffects.NONE,
                        h::backgroundOperationStatus),
                spec(CommandId.GET_RESPONSE_MESSAGE_LIMIT, MCTP_ONLY, LengthRule.exactly(0), CelEffects.NONE,
                        h::getResponseMessageLimit),
                spec(CommandId.SET_RESPONSE_MESSAGE_LIMIT, MCTP_ONLY, LengthRule.exactly(ResponseMessageLimit.SIZE),
                        CelEffects.NONE, h::setResponseMessageLimit),
                spec(CommandId.REQUEST_ABORT_BACKGROUND_OPERATION, BOTH, LengthRule.exactly(0), CelEffects.NONE,
                        h::requestAbort),
                // events (docs/events-and-health.md)
                spec(CommandId.GET_EVENT_RECORDS, BOTH, LengthRule.exactly(GetEventRecordsRequest.SIZE),
                        CelEffects.NONE, h::getEventRecords),
                spec(CommandId.CLEAR_EVENT_RECORDS, BOTH, LengthRule.counted(ClearEventRecordsRequest.HEADER_SIZE,
                        0x02, 2), LOG_CHANGE_EFFECTS, h::clearEventRecords),
                spec(CommandId.GET_EVENT_INTERRUPT_POLICY, MAILBOX_ONLY, LengthRule.exactly(0), CelEffects.NONE,
                        h::getEventInterruptPolicy),
                spec(CommandId.SET_EVENT_INTERRUPT_POLICY, MAILBOX_ONLY,
                        LengthRule.between(EventInterruptPolicy.MIN_SIZE, EventInterruptPolicy.SIZE),
                        POLICY_CHANGE_EFFECTS, h::setEventInterruptPolicy),
                spec(CommandId.GET_FW_INFO, BOTH, LengthRule.exactly(0), CelEffects.NONE, h::getFwInfo),
                spec(CommandId.TRANSFER_FW, BOTH, LengthRule.atLeast(TransferFwRequest.HEADER_SIZE),
                        TRANSFER_FW_EFFECTS, h::transferFw),
                spec(CommandId.ACTIVATE_FW, BOTH, LengthRule.exactly(ActivateFwRequest.SIZE), ACTIVATE_FW_EFFECTS,
                        h::activateFw),
                spec(CommandId.GET_TIMESTAMP, BOTH, LengthRule.exactly(0), CelEffects.NONE, h::getTimestamp),
                spec(CommandId.SET_TIMESTAMP, BOTH, LengthRule.exactly(Timestamp.SIZE), POLICY_CHANGE_EFFECTS,
                        h::setTimestamp),
                spec(CommandId.GET_SUPPORTED_LOGS, BOTH, LengthRule.exactly(0), CelEffects.NONE, h::getSupportedLogs),
                spec(CommandId.GET_LOG, BOTH, LengthRule.exactly(GetLogRequest.SIZE), CelEffects.NONE, h::getLog),
                spec(CommandId.GET_LOG_CAPABILITIES, BOTH, LengthRule.exactly(LogIdRequest.SIZE), CelEffects.NONE,
                        h::getLogCapabilities),
                spec(CommandId.CLEAR_LOG, BOTH, LengthRule.exactly(LogIdRequest.SIZE), LOG_CHANGE_EFFECTS,
                        h::clearLog),
                spec(CommandId.GET_SUPPORTED_LOGS_SUB_LIST, MCTP_ONLY,
                        LengthRule.exactly(SupportedLogsSubListRequest.SIZE), CelEffects.NONE,
                        h::getSupportedLogsSubList),
                spec(CommandId.IDENTIFY_MEMORY_DEVICE, BOTH, LengthRule.exactly(0), CelEffects.NONE,
                        h::identifyMemoryDevice),
                // health, alerts, shutdown state (docs/events-and-health.md)
                spec(CommandId.GET_HEALTH_INFO, BOTH, LengthRule.exactly(0), CelEffects.NONE, h::getHealthInfo),
                spec(CommandId.GET_ALERT_CONFIGURATION, BOTH, LengthRule.exactly(0), CelEffects.NONE,
                        h::getAlertConfiguration),
                spec(CommandId.SET_ALERT_CONFIGURATION, BOTH, LengthRule.exactly(SetAlertConfigRequest.SIZE),
                        POLICY_CHANGE_EFFECTS, h::setAlertConfiguration),
                spec(CommandId.GET_SHUTDOWN_STATE, BOTH, LengthRule.exactly(0), CelEffects.NONE, h::getShutdownState),
                spec(CommandId.SET_SHUTDOWN_STATE, MAILBOX_ONLY, LengthRule.exactly(ShutdownState.SIZE),
                        POLICY_CHANGE_EFFECTS, h::setShutdownState),
                // capacity and labels (memdev-commands.md §1, §5, §6)
                spec(CommandId.GET_PARTITION_INFO, BOTH, LengthRule.exactly(0), CelEffects.NONE, h::getPartitionInfo),
                spec(CommandId.SET_PARTITION_INFO, BOTH,
                        LengthRule.between(SetPartitionInfoRequest.SIZE, SetPartitionInfoRequest.LINUX_SIZE),
                        SET_PARTITION_INFO_EFFECTS, h::setPartitionInfo),
                spec(CommandId.GET_LSA, BOTH, LengthRule.exactly(GetLsaRequest.SIZE), CelEffects.NONE, h::getLsa),
                spec(CommandId.SET_LSA, BOTH, LengthRule.atLeast(SetLsaRequest.HEADER_SIZE), SET_LSA_EFFECTS,
                        h::setLsa),
                // media and poison (memdev-commands.md §1, §8): Inject Poison on the mailbox only
                spec(CommandId.GET_POISON_LIST, BOTH, LengthRule.exactly(GetPoisonListRequest.SIZE), CelEffects.NONE,
                        h::getPoisonList),
                spec(CommandId.INJECT_POISON, MAILBOX_ONLY, LengthRule.exactly(InjectPoisonRequest.SIZE),
                        POISON_EFFECTS, h::injectPoison),
                spec(CommandId.CLEAR_POISON, BOTH, LengthRule.exactly(ClearPoisonRequest.SIZE), POISON_EFFECTS,
                        h::clearPoison),
                spec(CommandId.GET_SCAN_MEDIA_CAPABILITIES, BOTH, LengthRule.exactly(DpaRange.SIZE), CelEffects.NONE,
                        h::getScanMediaCapabilities),
                spec(CommandId.SCAN_MEDIA, BOTH, LengthRule.exactly(ScanMediaRequest.SIZE), SCAN_MEDIA_EFFECTS,
                        h::scanMedia),
                spec(CommandId.GET_SCAN_MEDIA_RESULTS, BOTH, LengthRule.exactly(0), CelEffects.NONE,
                        h::getScanMediaResults),
                // sanitize and security state (memdev-commands.md §1, §9)
                spec(CommandId.SANITIZE, BOTH, LengthRule.exactly(0), SANITIZE_EFFECTS, h::sanitize),
                spec(CommandId.SECURE_ERASE, BOTH, LengthRule.exactly(0), SECURE_ERASE_EFFECTS, h::secureErase),
                spec(CommandId.GET_SECURITY_STATE, BOTH, LengthRule.exactly(0), CelEffects.NONE,
                        h::getSecurityState)));
    }

    private static CommandSpec spec(CommandId id, Set<Cci> ccis, LengthRule len, CelEffects fx, Handler h) {
        return new CommandSpec(id, ccis, len, fx, h);
    }

    public Optional<CommandSpec> lookup(Opcode opcode) {
        return Optional.ofNullable(byOpcode.get(opcode));
    }

    /** Every command, in ascending opcode order. */
    public List<CommandSpec> all() {
        return List.copyOf(byOpcode.values());
    }

    /** The Command Effects Log of one CCI: its commands in ascending opcode order. */
    public List<CelEntry> commandEffectsLog(Cci cci) {
        return byOpcode.values().stream()
                .filter(s -> s.offeredOn(cci))
                .map(s -> new CelEntry(s.opcode(), s.effects()))
                .toList();
    }

    /** The CEL as the bytes Get Log returns. */
    public byte[] commandEffectsLogBytes(Cci cci) {
        List<CelEntry> cel = commandEffectsLog(cci);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(cel.size() * CelEntry.SIZE);
        cel.forEach(e -> e.encodeTo(b));
        return b.array();
    }
}
