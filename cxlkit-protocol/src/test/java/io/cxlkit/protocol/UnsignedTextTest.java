package io.cxlkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The grammar of a DPA, offset or size as text (memdev-commands.md §15): decimal or 0x hexadecimal. */
class UnsignedTextTest {

    @Test
    void decimalOrHexadecimalAfter0x_leadingZerosAllowed_upTo2To63Minus1() {
        assertThat(UnsignedText.parse("0")).isZero();
        assertThat(UnsignedText.parse("4096")).isEqualTo(4096);
        assertThat(UnsignedText.parse("0x1000")).isEqualTo(4096);
        assertThat(UnsignedText.parse("0X1f")).isEqualTo(31);
        assertThat(UnsignedText.parse("00000000000000000064")).isEqualTo(64);
        assertThat(UnsignedText.parse("0x00000000000000040")).isEqualTo(64);
        assertThat(UnsignedText.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(UnsignedText.parse("0x7fffffffffffffff")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"", "x", "0x", "-1", "+1", "0x-1", "0x+1", "0X+40", " 64", "64 ", "1000h", "1e3",
                "0b101", "9223372036854775808", "0x8000000000000000", "0xffffffffffffffffff", "\u0663"}) {
            assertThatThrownBy(() -> UnsignedText.parse(bad)).as("'%s'", bad).isInstanceOf(NumberFormatException.class);
        }
    }
}
