package io.cxlkit.protocol;

import static io.cxlkit.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The 12-byte CCI message header, pinned to reference.md §2. */
class CciHeaderTest {

    @Test
    void sizeAndLimits() {
        assertThat(CciHeader.SIZE).isEqualTo(12);
        assertThat(CciHeader.MAX_PAYLOAD_LENGTH).isEqualTo(0x1FFFFF);
    }

    @Test
    void requestWithA21BitPayloadLength() {
        CciHeader h = CciHeader.request(0x5A, Opcode.of(0x0201), 0x1ABCDE);
        byte[] wire = bytes("""
                00        # 0 category: request
                5A        # 1 tag
                00        # 2 reserved
                01 02     # 3 opcode: command 01h, command set 02h
                DE BC     # 5 payload length 15:0
                1A        # 7 payload length 20:16 = 1Ah, BO clear
                00 00     # 8 return code
                00 00     # 10 vendor status
                """);
        assertThat(Hex.of(h.encode())).isEqualTo(Hex.of(wire));
        CciHeader back = CciHeader.decode(wire);
        assertThat(back).isEqualTo(h);
        assertThat(back.isRequest()).isTrue();
        assertThat(back.payloadLength()).isEqualTo(0x1ABCDE);
    }

    @Test
    void backgroundResponseWithBit20OfTheLength() {
        CciHeader h = new CciHeader(CciHeader.CATEGORY_RESPONSE, 0x5A, Opcode.of(0x0201), 0x100000, true,
                0x0001, 0xABCD);
        byte[] wire = bytes("""
                01        # 0 category: response
                5A        # 1 tag
                00        # 2 reserved
                01 02     # 3 opcode 0201h
                00 00     # 5 payload length 15:0
                90        # 7 bit 7 BO, bits 4:0 = 10h (length bit 20)
                01 00     # 8 return code 0001h
                CD AB     # 10 vendor status
                """);
        assertThat(Hex.of(h.encode())).isEqualTo(Hex.of(wire));
        CciHeader back = CciHeader.decode(wire);
        assertThat(back).isEqualTo(h);
        assertThat(back.background()).isTrue();
        assertThat(back.payloadLength()).isEqualTo(1 << 20);
    }

    @Test
    void responseFactorySetsBoExactlyForBackgroundCommandStarted() {
        assertThat(CciHeader.response(1, Opcode.of(0x0201), 0, 0x0001).background()).isTrue();
        assertThat(CciHeader.response(1, Opcode.of(0x0201), 0, 0x0000).background()).isFalse();
        assertThat(CciHeader.response(1, Opcode.of(0x0201), 0, 0x0006).background()).isFalse();
    }

    @Test
    void reservedBitsAreIgnoredWhenDecodingAndWrittenAsZero() {
        byte[] wire = bytes("F1 07 FF 00 02 50 00 E0 00 00 00 00");
        CciHeader h = CciHeader.decode(wire);
        assertThat(h).isEqualTo(new CciHeader(1, 7, Opcode.of(0x0200), 0x50, true, 0, 0));
        assertThat(Hex.of(h.encode())).isEqualTo("01 07 00 00 02 50 00 80 00 00 00 00");
    }

    @Test
    void decodeReadsLittleEndianAtThePositionAndAdvances() {
        ByteBuffer in = ByteBuffer.wrap(bytes("EE | 01 5A 00 01 02 00 00 90 01 00 CD AB | EE"))
                .order(ByteOrder.BIG_ENDIAN);
        in.position(1);
        CciHeader h = CciHeader.decode(in);
        assertThat(h.opcode()).isEqualTo(Opcode.of(0x0201));
        assertThat(h.vendorStatus()).isEqualTo(0xABCD);
        assertThat(in.position()).isEqualTo(13);
    }

    @Test
    void rejectsFieldsThatDoNotFit() {
        Opcode op = Opcode.of(1);
        assertThatThrownBy(() -> new CciHeader(16, 0, op, 0, false, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CciHeader(0, 256, op, 0, false, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CciHeader(0, 0, op, 1 << 21, false, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CciHeader(0, 0, op, 0, false, 0x10000, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CciHeader(0, 0, op, 0, false, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShortHeaderIsRejected() {
        assertThatThrownBy(() -> CciHeader.decode(new byte[11])).isInstanceOf(IllegalArgumentException.class);
    }
}
