package io.cxlkit.protocol;

import java.util.Optional;

/**
 * The commands cxlkit knows, with their opcodes and spec names (CXL r3.1 Tables 8-37, 8-126).
 * The device's command table and the host's client both name commands through this enum;
 * the rules a device applies to each (interfaces, length, effects) live in the device's table.
 */
public enum CommandId {
    IDENTIFY(0x0001, "Identify"),
    BACKGROUND_OPERATION_STATUS(0x0002, "Background Operation Status"),
    GET_RESPONSE_MESSAGE_LIMIT(0x0003, "Get Response Message Limit"),
    SET_RESPONSE_MESSAGE_LIMIT(0x0004, "Set Response Message Limit"),
    REQUEST_ABORT_BACKGROUND_OPERATION(0x0005, "Request Abort Background Operation"),
    GET_EVENT_RECORDS(0x0100, "Get Event Records"),
    CLEAR_EVENT_RECORDS(0x0101, "Clear Event Records"),
    GET_EVENT_INTERRUPT_POLICY(0x0102, "Get Event Interrupt Policy"),
    SET_EVENT_INTERRUPT_POLICY(0x0103, "Set Event Interrupt Policy"),
    GET_FW_INFO(0x0200, "Get FW Info"),
    TRANSFER_FW(0x0201, "Transfer FW"),
    ACTIVATE_FW(0x0202, "Activate FW"),
    GET_TIMESTAMP(0x0300, "Get Timestamp"),
    SET_TIMESTAMP(0x0301, "Set Timestamp"),
    GET_SUPPORTED_LOGS(0x0400, "Get Supported Logs"),
    GET_LOG(0x0401, "Get Log"),
    GET_LOG_CAPABILITIES(0x0402, "Get Log Capabilities"),
    CLEAR_LOG(0x0403, "Clear Log"),
    GET_SUPPORTED_LOGS_SUB_LIST(0x0405, "Get Supported Logs Sub-List"),
    IDENTIFY_MEMORY_DEVICE(0x4000, "Identify Memory Device"),
    GET_PARTITION_INFO(0x4100, "Get Partition Info"),
    SET_PARTITION_INFO(0x4101, "Set Partition Info"),
    GET_LSA(0x4102, "Get LSA"),
    SET_LSA(0x4103, "Set LSA"),
    GET_HEALTH_INFO(0x4200, "Get Health Info"),
    GET_ALERT_CONFIGURATION(0x4201, "Get Alert Configuration"),
    SET_ALERT_CONFIGURATION(0x4202, "Set Alert Configuration"),
    GET_SHUTDOWN_STATE(0x4203, "Get Shutdown State"),
    SET_SHUTDOWN_STATE(0x4204, "Set Shutdown State"),
    GET_POISON_LIST(0x4300, "Get Poison List"),
    INJECT_POISON(0x4301, "Inject Poison"),
    CLEAR_POISON(0x4302, "Clear Poison"),
    GET_SCAN_MEDIA_CAPABILITIES(0x4303, "Get Scan Media Capabilities"),
    SCAN_MEDIA(0x4304, "Scan Media"),
    GET_SCAN_MEDIA_RESULTS(0x4305, "Get Scan Media Results"),
    SANITIZE(0x4400, "Sanitize"),
    SECURE_ERASE(0x4401, "Secure Erase"),
    GET_SECURITY_STATE(0x4500, "Get Security State");

    private final Opcode opcode;
    private final String specName;

    CommandId(int opcode, String specName) {
        this.opcode = Opcode.of(opcode);
        this.specName = specName;
    }

    public Opcode opcode() {
        return opcode;
    }

    public String specName() {
        return specName;
    }

    public static Optional<CommandId> of(Opcode opcode) {
        for (CommandId id : values()) {
            if (id.opcode.equals(opcode)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /** The spec name of an opcode, or its hex form when cxlkit does not know it. */
    public static String nameOf(Opcode opcode) {
        return of(opcode).map(CommandId::specName).orElse(opcode.toString());
    }
}
