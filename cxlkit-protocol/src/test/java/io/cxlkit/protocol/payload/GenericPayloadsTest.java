package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Hex;
import io.cxlkit.protocol.Opcode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Identify, Background Operation Status, Response Message Limit and Timestamp, pinned to reference.md §4. */
class GenericPayloadsTest {

    @Test
    void sizesMatchTheSpecTable() {
        assertThat(Identify.SIZE).isEqualTo(0x12);
        assertThat(BackgroundOperationStatus.SIZE).isEqualTo(8);
        assertThat(ResponseMessageLimit.SIZE).isEqualTo(1);
        assertThat(Timestamp.SIZE).isEqualTo(8);
    }

    @Test
    void identify() {
        Identify id = new Identify(0x1E98, 0x0D93, 0x8086, 0x1234, 0x0123456789ABCDEFL, 10,
                Identify.COMPONENT_TYPE_TYPE3);
        byte[] wire = bytes("""
                98 1E        # 00h vendor
                93 0D        # 02h device
                86 80        # 04h subsystem vendor
                34 12        # 06h subsystem
                EF CD AB 89 67 45 23 01   # 08h serial
                0A           # 10h max message size n
                03           # 11h component type
                """);
        assertThat(wire).hasSize(0x12);
        assertThat(Hex.of(id.encode())).isEqualTo(Hex.of(wire));
        assertThat(Identify.decode(ByteBuffer.wrap(wire))).isEqualTo(id);
    }

    @Test
    void identifyComponentTypes() {
        assertThat(Identify.COMPONENT_TYPE_SWITCH).isZero();
        assertThat(Identify.COMPONENT_TYPE_TYPE3).isEqualTo(3);
        assertThat(Identify.COMPONENT_TYPE_GFD).isEqualTo(4);
    }

    @Test
    void identifySerialIsUnsigned() {
        Identify id = new Identify(0xFFFF, 0, 0, 0, -1L, 0xFF, 0xFF);
        byte[] wire = bytes("FF FF 00 00 00 00 00 00 FF FF FF FF FF FF FF FF FF FF");
        assertThat(Hex.of(id.encode())).isEqualTo(Hex.of(wire));
        assertThat(Identify.decode(ByteBuffer.wrap(wire))).isEqualTo(id);
    }

    @Test
    void identifyRejectsFieldsThatDoNotFit() {
        assertThatThrownBy(() -> new Identify(0x10000, 0, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Identify(0, -1, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Identify(0, 0, 0, 0, 0, 256, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Identify(0, 0, 0, 0, 0, 0, 256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backgroundOperationInProgress() {
        var s = new BackgroundOperationStatus(true, 42, Opcode.of(0x0201), 0, 0);
        // byte 0 = 42 << 1 | 1 = 55h
        byte[] wire = bytes("55 00 | 01 02 | 00 00 | 00 00");
        assertThat(Hex.of(s.encode())).isEqualTo(Hex.of(wire));
        assertThat(BackgroundOperationStatus.decode(ByteBuffer.wrap(wire))).isEqualTo(s);
    }

    @Test
    void backgroundOperationFinished() {
        var s = new BackgroundOperationStatus(false, 100, Opcode.of(0x0202), 0x000C, 0xBEEF);
        // byte 0 = 100 << 1 = C8h
        byte[] wire = bytes("C8 00 | 02 02 | 0C 00 | EF BE");
        assertThat(Hex.of(s.encode())).isEqualTo(Hex.of(wire));
        assertThat(BackgroundOperationStatus.decode(ByteBuffer.wrap(wire))).isEqualTo(s);
    }

    @Test
    void backgroundOperationIgnoresTheReservedByte() {
        assertThat(BackgroundOperationStatus.decode(ByteBuffer.wrap(bytes("55 FF 01 02 00 00 00 00"))))
                .isEqualTo(new BackgroundOperationStatus(true, 42, Opcode.of(0x0201), 0, 0));
    }

    @Test
    void backgroundOperationPercentageAbove100IsMalformed() {
        // bits 7:1 = 101
        assertThatThrownBy(() -> BackgroundOperationStatus.decode(ByteBuffer.wrap(bytes("CA 00 00 00 00 00 00 00"))))
                .isInstanceOf(MalformedPayloadException.class);
        assertThatThrownBy(() -> new BackgroundOperationStatus(false, 101, Opcode.of(0), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void responseMessageLimit() {
        assertThat(new ResponseMessageLimit(10).encode()).containsExactly(0x0A);
        assertThat(ResponseMessageLimit.decode(ByteBuffer.wrap(bytes("14")))).isEqualTo(new ResponseMessageLimit(20));
        // any byte is representable: the device answers bad exponents itself
        assertThat(ResponseMessageLimit.decode(ByteBuffer.wrap(bytes("FF")))).isEqualTo(new ResponseMessageLimit(255));
        assertThatThrownBy(() -> new ResponseMessageLimit(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timestamp() {
        var t = new Timestamp(0x17F0A1B2C3D4E5F6L);
        byte[] wire = bytes("F6 E5 D4 C3 B2 A1 F0 17");
        assertThat(Hex.of(t.encode())).isEqualTo(Hex.of(wire));
        assertThat(Timestamp.decode(ByteBuffer.wrap(wire))).isEqualTo(t);
        assertThat(Timestamp.decode(ByteBuffer.wrap(bytes("FF FF FF FF FF FF FF FF")))).isEqualTo(new Timestamp(-1L));
    }

    @Test
    void decodeReadsAtThePositionLittleEndianWhateverTheBufferOrderAndAdvances() {
        byte[] wire = bytes("AA BB | 98 1E 93 0D 86 80 34 12 EF CD AB 89 67 45 23 01 0A 03 | CC");
        ByteBuffer in = ByteBuffer.wrap(wire).order(ByteOrder.BIG_ENDIAN);
        in.position(2);
        Identify id = Identify.decode(in);
        assertThat(id.vendorId()).isEqualTo(0x1E98);
        assertThat(id.serialNumber()).isEqualTo(0x0123456789ABCDEFL);
        assertThat(in.position()).isEqualTo(2 + Identify.SIZE);
        assertThat(in.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
    }

    @Test
    void encodeWritesAtThePositionLittleEndianWhateverTheBufferOrderAndAdvances() {
        ByteBuffer out = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
        out.put((byte) 0x77);
        new Timestamp(0x0102030405060708L).encodeTo(out);
        assertThat(out.position()).isEqualTo(9);
        assertThat(Hex.of(out.array())).isEqualTo(Hex.of(bytes("77 08 07 06 05 04 03 02 01 00 00 00")));
    }
}
