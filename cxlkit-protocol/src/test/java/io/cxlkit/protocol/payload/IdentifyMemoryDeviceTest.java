package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Hex;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Identify Memory Device (4000h) output, pinned to reference.md §4. */
class IdentifyMemoryDeviceTest {

    private static final String VECTOR = """
            42 57 46 57 20 56 45 52 53 49 4F 4E 20 30 00 00   # 00h FW revision "BWFW VERSION 0"
            10 00 00 00 00 00 00 00                           # 10h total capacity 16 x 256 MiB
            0C 00 00 00 00 00 00 00                           # 18h volatile only
            04 00 00 00 00 00 00 00                           # 20h persistent only
            01 00 00 00 00 00 00 00                           # 28h partition alignment
            20 00                                             # 30h info event log size
            21 00                                             # 32h warning
            22 00                                             # 34h failure
            23 00                                             # 36h fatal
            00 00 02 00                                       # 38h LSA size 128 KiB
            56 34 12                                          # 3Ch poison list max media error records
            CD AB                                             # 3Fh inject poison limit
            01                                                # 41h poison handling capabilities
            03                                                # 42h QoS telemetry capabilities
            34 12                                             # 43h dynamic capacity event log size
            """;

    private static final IdentifyMemoryDevice ID = new IdentifyMemoryDevice("BWFW VERSION 0", 0x10, 0x0C, 0x04,
            0x01, 0x20, 0x21, 0x22, 0x23, 0x20000, 0x123456, 0xABCD, 0x01, 0x03, 0x1234);

    @Test
    void constants() {
        assertThat(IdentifyMemoryDevice.SIZE).isEqualTo(0x45);
        assertThat(IdentifyMemoryDevice.CAPACITY_UNIT).isEqualTo(256L * 1024 * 1024);
    }

    @Test
    void encodesToTheSpecLayout() {
        byte[] wire = bytes(VECTOR);
        assertThat(wire).hasSize(0x45);
        assertThat(Hex.of(ID.encode())).isEqualTo(Hex.of(wire));
    }

    @Test
    void decodesTheSpecLayout() {
        IdentifyMemoryDevice id = IdentifyMemoryDevice.decode(ByteBuffer.wrap(bytes(VECTOR)));
        assertThat(id).isEqualTo(ID);
        assertThat(id.totalCapacity() * IdentifyMemoryDevice.CAPACITY_UNIT).isEqualTo(4L << 30);
    }

    @Test
    void extremeValuesSurvive() {
        var id = new IdentifyMemoryDevice("0123456789ABCDEF", -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0,
                0xFFFF, 0, 0xFFFF, 0, 0xFFFFFFFFL, 0xFFFFFF, 0xFFFF, 0xFF, 0xFF, 0xFFFF);
        byte[] wire = bytes("""
                30 31 32 33 34 35 36 37 38 39 41 42 43 44 45 46
                FF FF FF FF FF FF FF FF
                00 00 00 00 00 00 00 80
                FF FF FF FF FF FF FF 7F
                00 00 00 00 00 00 00 00
                FF FF 00 00 FF FF 00 00
                FF FF FF FF
                FF FF FF
                FF FF
                FF
                FF
                FF FF
                """);
        assertThat(Hex.of(id.encode())).isEqualTo(Hex.of(wire));
        assertThat(IdentifyMemoryDevice.decode(ByteBuffer.wrap(wire))).isEqualTo(id);
    }

    @Test
    void rejectsFieldsThatDoNotFit() {
        assertThatThrownBy(() -> new IdentifyMemoryDevice("0123456789ABCDEF0", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentifyMemoryDevice("", 0, 0, 0, 0, 0x10000, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentifyMemoryDevice("", 0, 0, 0, 0, 0, 0, 0, 0, 1L << 32, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentifyMemoryDevice("", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1000000, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentifyMemoryDevice("", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x100, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentifyMemoryDevice("", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonAsciiRevisionIsMalformed() {
        byte[] wire = bytes(VECTOR);
        wire[0] = (byte) 0x80;
        assertThatThrownBy(() -> IdentifyMemoryDevice.decode(ByteBuffer.wrap(wire)))
                .isInstanceOf(MalformedPayloadException.class);
    }
}
