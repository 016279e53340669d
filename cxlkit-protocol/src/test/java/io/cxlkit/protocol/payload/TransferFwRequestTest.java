package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static io.cxlkit.protocol.Hex.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Hex;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** Transfer FW (0201h) input, pinned to reference.md §4. */
class TransferFwRequestTest {

    @Test
    void constants() {
        assertThat(TransferFwRequest.HEADER_SIZE).isEqualTo(0x80);
        assertThat(TransferFwRequest.OFFSET_UNIT).isEqualTo(128);
    }

    @Test
    void fullPart() {
        var r = TransferFwRequest.full(2, ByteBuffer.wrap(bytes("DE AD BE EF")));
        byte[] wire = bytes("00 02 | 00 00 | 00 00 00 00" + zeros(0x78) + "DE AD BE EF");
        assertThat(wire).hasSize(0x84);
        assertThat(Hex.of(r.encode())).isEqualTo(Hex.of(wire));
        assertThat(TransferFwRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(r);
    }

    @Test
    void aHeaderEncodedInPlaceLeavesTheDataBehindIt() {
        byte[] input = bytes("FF".repeat(0x80) + "33 44");
        TransferFwRequest.encodeHeaderInPlace(TransferFwAction.END, 3, 0x0102, input);
        byte[] wire = bytes("03 03 | 00 00 | 02 01 00 00" + zeros(0x78) + "33 44");
        assertThat(Hex.of(input)).isEqualTo(Hex.of(wire));
        assertThatThrownBy(() -> TransferFwRequest.encodeHeaderInPlace(TransferFwAction.END, 3, 0, new byte[0x7F]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void initiateAndContinueParts() {
        var init = TransferFwRequest.initiate(0, ByteBuffer.wrap(bytes("11 22")));
        assertThat(Hex.of(init.encode())).isEqualTo(Hex.of(bytes("01 00 00 00 00 00 00 00" + zeros(0x78) + "11 22")));
        // offset 0102h units = byte 8100h
        var cont = TransferFwRequest.continuePart(0x0102, ByteBuffer.wrap(bytes("33")));
        byte[] wire = bytes("02 00 | 00 00 | 02 01 00 00" + zeros(0x78) + "33");
        assertThat(Hex.of(cont.encode())).isEqualTo(Hex.of(wire));
        TransferFwRequest back = TransferFwRequest.decode(ByteBuffer.wrap(wire));
        assertThat(back).isEqualTo(cont);
        assertThat(back.byteOffset()).isEqualTo(0x8100);
        assertThat(back.knownAction()).contains(TransferFwAction.CONTINUE);
    }

    @Test
    void endPartWithAnUnsignedOffset() {
        var end = TransferFwRequest.end(3, 0x89ABCDEFL, ByteBuffer.wrap(bytes("44 55 66")));
        byte[] wire = bytes("03 03 | 00 00 | EF CD AB 89" + zeros(0x78) + "44 55 66");
        assertThat(Hex.of(end.encode())).isEqualTo(Hex.of(wire));
        TransferFwRequest back = TransferFwRequest.decode(ByteBuffer.wrap(wire));
        assertThat(back.offsetUnits()).isEqualTo(0x89ABCDEFL);
        assertThat(back.byteOffset()).isEqualTo(0x89ABCDEFL * 128);
        assertThat(back.slot()).isEqualTo(3);
        assertThat(back.dataLength()).isEqualTo(3);
    }

    @Test
    void abortIsTheHeaderOnly() {
        var abort = TransferFwRequest.abort();
        assertThat(Hex.of(abort.encode())).isEqualTo(Hex.of(bytes("04" + zeros(0x7F))));
        assertThat(abort.size()).isEqualTo(0x80);
        assertThat(abort.dataLength()).isZero();
        assertThat(TransferFwRequest.decode(ByteBuffer.wrap(abort.encode()))).isEqualTo(abort);
    }

    @Test
    void undefinedActionsAreRepresentable() {
        byte[] wire = bytes("05 00 00 00 00 00 00 00" + zeros(0x78));
        TransferFwRequest r = TransferFwRequest.decode(ByteBuffer.wrap(wire));
        assertThat(r.action()).isEqualTo(5);
        assertThat(r.knownAction()).isEmpty();
        assertThat(Hex.of(new TransferFwRequest(0xFF, 0, 0, ByteBuffer.allocate(0)).encode()))
                .isEqualTo(Hex.of(bytes("FF" + zeros(0x7F))));
    }

    @Test
    void reservedHeaderBytesAreIgnored() {
        byte[] wire = bytes("02 00 FF FF 01 00 00 00" + "FF".repeat(0x78) + "AB");
        assertThat(TransferFwRequest.decode(ByteBuffer.wrap(wire)))
                .isEqualTo(TransferFwRequest.continuePart(1, ByteBuffer.wrap(bytes("AB"))));
    }

    @Test
    void decodeTakesTheRestAsAReadOnlyViewAndConsumesTheInput() {
        byte[] wire = bytes("77 77 | 02 00 00 00 04 00 00 00" + zeros(0x78) + "01 02 03 04 05");
        ByteBuffer in = ByteBuffer.wrap(wire);
        in.position(2);
        TransferFwRequest r = TransferFwRequest.decode(in);
        assertThat(in.position()).isEqualTo(in.limit());
        ByteBuffer data = r.data();
        assertThat(data.isReadOnly()).isTrue();
        assertThat(data.position()).isZero();
        assertThat(data.remaining()).isEqualTo(5);
        assertThat(data.get(0)).isEqualTo((byte) 1);
        assertThatThrownBy(() -> data.put(0, (byte) 9)).isInstanceOf(ReadOnlyBufferException.class);
        // a view, not a copy: a change to the source shows through
        wire[2 + 0x80] = (byte) 0x99;
        assertThat(r.data().get(0)).isEqualTo((byte) 0x99);
    }

    @Test
    void decodeStopsAtTheLimit() {
        byte[] wire = bytes("00 01 00 00 00 00 00 00" + zeros(0x78) + "0A 0B | 0C 0D");
        ByteBuffer in = ByteBuffer.wrap(wire).limit(0x82);
        TransferFwRequest r = TransferFwRequest.decode(in);
        assertThat(Hex.of(bytesOf(r.data()))).isEqualTo("0A 0B");
    }

    @Test
    void readingTheDataDoesNotDisturbTheRequest() {
        var r = TransferFwRequest.full(1, ByteBuffer.wrap(bytes("01 02 03")));
        r.data().get(new byte[3]);
        assertThat(r.dataLength()).isEqualTo(3);
        assertThat(r.data().remaining()).isEqualTo(3);
    }

    @Test
    void theRequestDoesNotFollowTheCallersBufferPosition() {
        ByteBuffer src = ByteBuffer.wrap(bytes("01 02 03 04"));
        src.position(1);
        var r = TransferFwRequest.full(1, src);
        src.position(4);
        assertThat(Hex.of(bytesOf(r.data()))).isEqualTo("02 03 04");
    }

    @Test
    void encodeDoesNotConsumeTheData() {
        ByteBuffer src = ByteBuffer.wrap(bytes("01 02 03 04"));
        var r = TransferFwRequest.full(1, src);
        r.encode();
        r.encode();
        assertThat(src.position()).isZero();
        ByteBuffer out = ByteBuffer.allocate(0x90);
        out.position(4);
        r.encodeTo(out);
        assertThat(out.position()).isEqualTo(4 + 0x84);
    }

    @Test
    void equalityComparesDataContents() {
        var a = TransferFwRequest.end(2, 5, ByteBuffer.wrap(bytes("01 02 03")));
        var b = TransferFwRequest.end(2, 5, ByteBuffer.wrap(bytes("FF 01 02 03")).position(1));
        var c = TransferFwRequest.end(2, 5, ByteBuffer.wrap(bytes("01 02 04")));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a.toString()).contains("END").contains("3 data bytes");
    }

    @Test
    void rejectsFieldsThatDoNotFit() {
        ByteBuffer none = ByteBuffer.allocate(0);
        assertThatThrownBy(() -> new TransferFwRequest(256, 0, 0, none)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferFwRequest(0, 256, 0, none)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferFwRequest(0, 0, 1L << 32, none)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferFwRequest(0, 0, -1, none)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferFwRequest(0, 0, 0, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aShortHeaderIsMalformed() {
        assertThatThrownBy(() -> TransferFwRequest.decode(ByteBuffer.allocate(0x7F)))
                .isInstanceOf(MalformedPayloadException.class);
    }

    static byte[] bytesOf(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
