package io.cxlkit.protocol.frame;

import static io.cxlkit.protocol.frame.FrameBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.Opcode;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameEncoderTest {

    private static final CciMessage GET_FW_INFO = CciMessage.request(5, Opcode.of(0x0200), new byte[0]);

    @Test
    void getFwInfoRequestIsByteExact() {
        byte[] expected = hex(
                "0e 00 00 00"        // L = 14: EID + type + 12-byte header
                + " 08"              // EID 8
                + " 08"              // MCTP type 08h CXL CCI
                + " 00"              // category 0 = request
                + " 05"              // tag 5
                + " 00"              // reserved
                + " 00 02"           // opcode 0200h: command 00h, command set 02h
                + " 00 00 00"        // payload length 0, BO clear
                + " 00 00"           // return code
                + " 00 00");         // vendor status
        assertThat(expected).hasSize(18);
        assertThat(FrameEncoder.encode(8, GET_FW_INFO)).containsExactly(expected);
        assertThat(FrameEncoder.frameSize(GET_FW_INFO)).isEqualTo(18);

        FrameDecoder decoder = FrameDecoder.forRequests(eid -> eid == 8 ? 256 : EndpointLimits.NO_ENDPOINT);
        assertThat(FrameBytes.decode(decoder, expected)).containsExactly(new FrameEvent.Frame(8, GET_FW_INFO));
        assertThat(decoder.isIdle()).isTrue();
    }

    @Test
    void responseWithBackgroundAndLargePayloadIsByteExact() {
        // 70000 = 0x11170 payload bytes: length bits 20:16 = 1 land in byte 7 next to BO.
        byte[] payload = FrameBytes.payload(70000);
        CciMessage msg = CciMessage.response(0xFF, Opcode.of(0x0202), 0x0001, payload);
        byte[] frame = FrameEncoder.encode(0x2A, msg);
        byte[] head = hex("7e 11 01 00  2a 08  01 ff 00 02 02 70 11 81 01 00 00 00");
        assertThat(frame).hasSize(18 + 70000);
        assertThat(java.util.Arrays.copyOf(frame, 18)).containsExactly(head);
        assertThat(java.util.Arrays.copyOfRange(frame, 18, frame.length)).containsExactly(payload);

        assertThat(FrameBytes.decode(FrameDecoder.forResponses(), frame))
                .containsExactly(new FrameEvent.Frame(0x2A, msg));
    }

    @Test
    void otherMessageTypeIsWrittenAsGiven() {
        byte[] frame = FrameEncoder.encode(9, MctpMessageType.CXL_FM_API, GET_FW_INFO);
        assertThat(frame[4]).isEqualTo((byte) 9);
        assertThat(frame[5]).isEqualTo((byte) 0x07);
    }

    @Test
    void encodeToWritesAtThePositionWhateverTheByteOrder() {
        CciMessage msg = CciMessage.request(1, Opcode.of(0x0201), FrameBytes.payload(300));
        ByteBuffer out = ByteBuffer.allocate(1000).order(ByteOrder.BIG_ENDIAN);
        out.position(7);
        FrameEncoder.encodeTo(8, msg, out);
        assertThat(out.position()).isEqualTo(7 + FrameEncoder.frameSize(msg));
        assertThat(out.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        byte[] written = java.util.Arrays.copyOfRange(out.array(), 7, out.position());
        assertThat(written).containsExactly(FrameEncoder.encode(8, msg));
        assertThat(written).startsWith(hex("3a 01 00 00 08 08")); // L = 314 = 013Ah
    }

    @Test
    void encodeToATooSmallBufferWritesNothing() {
        CciMessage msg = CciMessage.request(1, Opcode.of(0x0201), FrameBytes.payload(10));
        ByteBuffer out = ByteBuffer.allocate(27);
        assertThatThrownBy(() -> FrameEncoder.encodeTo(8, msg, out)).isInstanceOf(BufferOverflowException.class);
        assertThat(out.position()).isZero();
        assertThat(out.array()).containsOnly(0);

        ByteBuffer small = ByteBuffer.allocate(17);
        assertThatThrownBy(() -> FrameEncoder.encodeHeadTo(8, msg.header(), small))
                .isInstanceOf(BufferOverflowException.class);
        assertThat(small.position()).isZero();
    }

    @Test
    void headPlusPayloadEqualsTheWholeFrame() {
        CciMessage msg = CciMessage.response(3, Opcode.of(0x0401), 0, FrameBytes.payload(500));
        ByteBuffer head = ByteBuffer.allocate(FrameFormat.HEAD_SIZE);
        FrameEncoder.encodeHeadTo(12, msg.header(), head);
        assertThat(head.hasRemaining()).isFalse();
        assertThat(FrameBytes.concat(head.array(), msg.payload())).containsExactly(FrameEncoder.encode(12, msg));
    }

    @Test
    void eidAndTypeMustBeBytes() {
        for (int bad : List.of(-1, 256)) {
            assertThatThrownBy(() -> FrameEncoder.encode(bad, GET_FW_INFO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> FrameEncoder.encode(8, bad, GET_FW_INFO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(FrameEncoder.encode(255, GET_FW_INFO)[4]).isEqualTo((byte) 0xFF);
        assertThatThrownBy(() -> FrameEncoder.encode(8, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void formatConstantsMatchWireMd() {
        assertThat(FrameFormat.HEAD_SIZE).isEqualTo(18);
        assertThat(FrameFormat.MIN_LENGTH).isEqualTo(14);
        assertThat(FrameFormat.MAX_LENGTH).isEqualTo(2 + 12 + (1 << 21) - 1).isEqualTo(2_097_165);
        assertThat(MctpMessageType.CXL_CCI).isEqualTo(0x08);
        assertThat(MctpMessageType.CXL_FM_API).isEqualTo(0x07);
        assertThat(CciHeader.MAX_PAYLOAD_LENGTH).isEqualTo(FrameFormat.MAX_LENGTH - 14);
    }
}
