package io.cxlkit.protocol;

import static io.cxlkit.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Whole CCI messages, pinned to reference.md §2. */
class CciMessageTest {

    @Test
    void requestWithoutPayload() {
        CciMessage m = CciMessage.request(3, Opcode.of(0x0200), new byte[0]);
        byte[] wire = bytes("00 03 00 | 00 02 | 00 00 00 | 00 00 | 00 00");
        assertThat(Hex.of(m.encode())).isEqualTo(Hex.of(wire));
        assertThat(CciMessage.decode(wire)).isEqualTo(m);
    }

    @Test
    void requestWithPayload() {
        CciMessage m = CciMessage.request(0xFF, Opcode.of(0x0202), bytes("01 02"));
        byte[] wire = bytes("00 FF 00 | 02 02 | 02 00 00 | 00 00 | 00 00 | 01 02");
        assertThat(Hex.of(m.encode())).isEqualTo(Hex.of(wire));
        assertThat(m.encodedLength()).isEqualTo(14);
        assertThat(CciMessage.decode(wire)).isEqualTo(m);
    }

    @Test
    void responseWithPayload() {
        CciMessage m = CciMessage.response(7, Opcode.of(0x0003), 0, bytes("0A"));
        byte[] wire = bytes("01 07 00 | 03 00 | 01 00 00 | 00 00 | 00 00 | 0A");
        assertThat(Hex.of(m.encode())).isEqualTo(Hex.of(wire));
        assertThat(CciMessage.decode(wire)).isEqualTo(m);
    }

    @Test
    void backgroundResponseSetsBo() {
        CciMessage m = CciMessage.response(9, Opcode.of(0x0201), 0x0001, new byte[0]);
        byte[] wire = bytes("01 09 00 | 01 02 | 00 00 80 | 01 00 | 00 00");
        assertThat(Hex.of(m.encode())).isEqualTo(Hex.of(wire));
        assertThat(CciMessage.decode(wire)).isEqualTo(m);
    }

    @Test
    void aPayloadLengthUsingBit20() {
        byte[] payload = new byte[0x100000];
        payload[0] = 0x11;
        payload[payload.length - 1] = 0x22;
        CciMessage m = CciMessage.request(0x10, Opcode.of(0x0201), payload);
        byte[] wire = m.encode();
        assertThat(wire).hasSize(12 + 0x100000);
        assertThat(Hex.of(Arrays.copyOf(wire, 13))).isEqualTo("00 10 00 01 02 00 00 10 00 00 00 00 11");
        assertThat(wire[wire.length - 1]).isEqualTo((byte) 0x22);
        assertThat(CciMessage.decode(wire)).isEqualTo(m);
    }

    @Test
    void theHeaderLengthMustMatchThePayload() {
        assertThatThrownBy(() -> CciMessage.decode(bytes("00 01 00 00 02 02 00 00 00 00 00 00 | 01")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CciMessage.decode(bytes("00 01 00 00 02 00 00 00 00 00 00 00 | 01")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CciMessage(CciHeader.request(1, Opcode.of(1), 2), new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalityComparesPayloadContents() {
        CciMessage a = CciMessage.request(1, Opcode.of(0x0301), bytes("01 02 03 04 05 06 07 08"));
        CciMessage b = CciMessage.request(1, Opcode.of(0x0301), bytes("01 02 03 04 05 06 07 08"));
        CciMessage c = CciMessage.request(1, Opcode.of(0x0301), bytes("01 02 03 04 05 06 07 09"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a.payloadBuffer().isReadOnly()).isTrue();
    }
}
