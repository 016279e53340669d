package io.cxlkit.protocol;

import java.util.Optional;

/**
 * The commands cxlkit knows, with their opcodes and spec names (CXL r3.1 Table 8-37).
 * The device's command table and the host's client both name commands through this enum;
 * the rules a device applies to each (interfaces, length, effects) live in the device's table.
 */
public enum CommandId {
    IDENTIFY(0x0001, "Identify"),
    BACKGROUND_OPERATION_STATUS(0x0002, "Background Operation Status"),
    GET_RESPONSE_MESSAGE_LIMIT(0x0003, "Get Response Message Limit"),
    SET_RESPONSE_MESSAGE_LIMIT(0x0004, "Set Response Message Limit"),
    REQUEST_ABORT_BACKGROUND_OPERATION(0x0005, "Request Abort Background Operation"),
    GET_FW_INFO(0x0200, "Get FW Info"),
    TRANSFER_FW(0x0201, "Transfer FW"),
    ACTIVATE_FW(0x0202, "Activate FW"),
    GET_TIMESTAMP(0x0300, "Get Timestamp"),
    SET_TIMESTAMP(0x0301, "Set Timestamp"),
    GET_SUPPORTED_LOGS(0x0400, "Get Supported Logs"),
    GET_LOG(0x0401, "Get Log"),
    GET_SUPPORTED_LOGS_SUB_LIST(0x0405, "Get Supported Logs Sub-List"),
    IDENTIFY_MEMORY_DEVICE(0x4000, "Identify Memory Device");

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
