package io.cxlkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Opcodes and spec names: r3.1 Tables 8-37 and 8-126. */
class CommandIdTest {

    @Test
    void opcodesAreUnique() {
        assertThat(Arrays.stream(CommandId.values()).map(CommandId::opcode)).doesNotHaveDuplicates();
        for (CommandId id : CommandId.values()) {
            assertThat(CommandId.of(id.opcode())).contains(id);
        }
    }

    @Test
    void memoryDeviceCommands() {
        assertThat(CommandId.GET_EVENT_RECORDS.opcode()).isEqualTo(Opcode.of(0x0100));
        assertThat(CommandId.SET_EVENT_INTERRUPT_POLICY.opcode()).isEqualTo(Opcode.of(0x0103));
        assertThat(CommandId.GET_LOG_CAPABILITIES.opcode()).isEqualTo(Opcode.of(0x0402));
        assertThat(CommandId.CLEAR_LOG.opcode()).isEqualTo(Opcode.of(0x0403));
        assertThat(CommandId.SET_PARTITION_INFO.opcode()).isEqualTo(Opcode.of(0x4101));
        assertThat(CommandId.SET_LSA.opcode()).isEqualTo(Opcode.of(0x4103));
        assertThat(CommandId.SET_SHUTDOWN_STATE.opcode()).isEqualTo(Opcode.of(0x4204));
        assertThat(CommandId.GET_SCAN_MEDIA_RESULTS.opcode()).isEqualTo(Opcode.of(0x4305));
        assertThat(CommandId.GET_SECURITY_STATE.opcode()).isEqualTo(Opcode.of(0x4500));
        assertThat(CommandId.nameOf(Opcode.of(0x0101))).isEqualTo("Clear Event Records");
        assertThat(CommandId.nameOf(Opcode.of(0x4201))).isEqualTo("Get Alert Configuration");
        assertThat(CommandId.nameOf(Opcode.of(0x4102))).isEqualTo("Get LSA");
        assertThat(CommandId.nameOf(Opcode.of(0x4401))).isEqualTo("Secure Erase");
    }

    @Test
    void opcodesOutsideTheSetKeepTheirHexForm() {
        assertThat(CommandId.of(Opcode.of(0x0104))).isEmpty();
        assertThat(CommandId.nameOf(Opcode.of(0x4501))).isEqualTo("4501h");
    }
}
