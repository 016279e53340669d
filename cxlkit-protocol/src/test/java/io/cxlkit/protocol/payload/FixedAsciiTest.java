package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Hex;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FixedAsciiTest {

    @Test
    void encodePadsWithNulAndAdvances() {
        ByteBuffer out = ByteBuffer.allocate(8);
        out.put((byte) 0xEE);
        FixedAscii.encode("AB", out, 4);
        assertThat(out.position()).isEqualTo(5);
        assertThat(Hex.of(out.array())).isEqualTo("EE 41 42 00 00 00 00 00");
    }

    @Test
    void aFullWidthTextHasNoTerminator() {
        ByteBuffer out = ByteBuffer.allocate(4);
        FixedAscii.encode("ABCD", out, 4);
        assertThat(Hex.of(out.array())).isEqualTo("41 42 43 44");
        assertThat(FixedAscii.decode(ByteBuffer.wrap(out.array()), 4)).isEqualTo("ABCD");
    }

    @Test
    void decodeStopsAtTheFirstNulAndAdvancesByTheWidth() {
        ByteBuffer in = ByteBuffer.wrap(bytes("41 00 42 43 | 44"));
        assertThat(FixedAscii.decode(in, 4)).isEqualTo("A");
        assertThat(in.position()).isEqualTo(4);
        assertThat(FixedAscii.decode(ByteBuffer.wrap(bytes("00 00")), 2)).isEmpty();
    }

    @Test
    void encodeRejectsWhatDecodeCouldNotGiveBack() {
        ByteBuffer out = ByteBuffer.allocate(16);
        assertThatThrownBy(() -> FixedAscii.encode("ABCDE", out, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FixedAscii.encode("é", out, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FixedAscii.encode("A\0B", out, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(out.position()).isZero();
        assertThatThrownBy(() -> FixedAscii.encode("A", ByteBuffer.allocate(3), 4))
                .isInstanceOf(BufferOverflowException.class);
    }

    @Test
    void decodeRejectsNonAsciiAndShortInput() {
        assertThatThrownBy(() -> FixedAscii.decode(ByteBuffer.wrap(bytes("41 FF 00 00")), 4))
                .isInstanceOf(MalformedPayloadException.class);
        assertThatThrownBy(() -> FixedAscii.decode(ByteBuffer.wrap(bytes("41 42 43")), 4))
                .isInstanceOf(MalformedPayloadException.class);
        // bytes after the NUL are not text
        assertThat(FixedAscii.decode(ByteBuffer.wrap(bytes("41 00 FF FF")), 4)).isEqualTo("A");
    }
}
