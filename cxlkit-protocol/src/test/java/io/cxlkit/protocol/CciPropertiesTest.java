package io.cxlkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** decode(encode(x)) == x for CCI headers and messages over their full field ranges. */
class CciPropertiesTest {

    @Property
    void headerRoundTrips(@ForAll @IntRange(max = 0xF) int category, @ForAll @IntRange(max = 0xFF) int tag,
                          @ForAll @IntRange(max = 0xFFFF) int opcode,
                          @ForAll @IntRange(max = CciHeader.MAX_PAYLOAD_LENGTH) int length,
                          @ForAll boolean background, @ForAll @IntRange(max = 0xFFFF) int rc,
                          @ForAll @IntRange(max = 0xFFFF) int vendor) {
        CciHeader h = new CciHeader(category, tag, Opcode.of(opcode), length, background, rc, vendor);
        byte[] wire = h.encode();
        assertThat(wire).hasSize(CciHeader.SIZE);
        assertThat(wire[2]).as("reserved byte").isZero();
        assertThat(wire[7] & 0x60).as("reserved bits 6:5 of byte 7").isZero();
        assertThat(CciHeader.decode(wire)).isEqualTo(h);
        // the 21-bit length is split 16 + 5 bits
        int split = (wire[5] & 0xFF) | (wire[6] & 0xFF) << 8 | (wire[7] & 0x1F) << 16;
        assertThat(split).isEqualTo(length);
    }

    @Property
    void headerDecodingIgnoresReservedBits(@ForAll @Size(12) byte[] wire) {
        CciHeader h = CciHeader.decode(wire);
        byte[] clean = wire.clone();
        clean[0] &= 0x0F;
        clean[2] = 0;
        clean[7] &= (byte) 0x9F;
        assertThat(h.encode()).isEqualTo(clean);
    }

    @Property(tries = 300)
    void messageRoundTrips(@ForAll @IntRange(max = 0xF) int category, @ForAll @IntRange(max = 0xFF) int tag,
                           @ForAll @IntRange(max = 0xFFFF) int opcode, @ForAll boolean background,
                           @ForAll @IntRange(max = 0xFFFF) int rc, @ForAll @IntRange(max = 0xFFFF) int vendor,
                           @ForAll @Size(max = 2000) byte[] payload) {
        CciMessage m = new CciMessage(
                new CciHeader(category, tag, Opcode.of(opcode), payload.length, background, rc, vendor), payload);
        byte[] wire = m.encode();
        assertThat(wire).hasSize(m.encodedLength());
        CciMessage back = CciMessage.decode(wire);
        assertThat(back).isEqualTo(m);
        ByteBuffer buffered = ByteBuffer.allocate(wire.length + 3);
        buffered.position(3);
        m.encodeTo(buffered);
        assertThat(buffered.hasRemaining()).isFalse();
    }
}
