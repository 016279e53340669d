package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Hex;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Get Log Capabilities / Clear Log, partitions and the Label Storage Area, pinned to r3.1 Tables
 * 8-89 to 8-91 and 8-128 to 8-132.
 */
class CapacityPayloadsTest {

    private static final String CEL_UUID_BYTES = "0D A9 C0 B5 BF 41 4B 78 8F 79 96 B1 62 3B 3F 17";

    @Test
    void sizes() {
        assertThat(LogIdRequest.SIZE).isEqualTo(0x10);
        assertThat(LogCapabilities.SIZE).isEqualTo(4);
        assertThat(PartitionInfo.SIZE).isEqualTo(0x20);
        assertThat(SetPartitionInfoRequest.SIZE).isEqualTo(9);
        assertThat(SetPartitionInfoRequest.LINUX_SIZE).isEqualTo(0x0A);
        assertThat(GetLsaRequest.SIZE).isEqualTo(8);
        assertThat(SetLsaRequest.HEADER_SIZE).isEqualTo(8);
    }

    // ------------------------------------------------------------------ logs

    @Test
    void logIdRequest() {
        var r = new LogIdRequest(LogIds.CEL_UUID);
        assertThat(Hex.of(r.encode())).isEqualTo(CEL_UUID_BYTES);
        assertThat(LogIdRequest.decode(ByteBuffer.wrap(bytes(CEL_UUID_BYTES)))).isEqualTo(r);
        var other = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        assertThat(Hex.of(new LogIdRequest(other).encode())).isEqualTo("00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF");
        assertThatThrownBy(() -> LogIdRequest.decode(ByteBuffer.wrap(new byte[0x0F])))
                .isInstanceOf(MalformedPayloadException.class).hasMessage("Log UUID input needs 16 bytes, got 15");
    }

    @Test
    void logCapabilitiesOfTheCel() {
        var cel = new LogCapabilities(false, false, false, true);
        assertThat(cel.flags()).isEqualTo(0x00000008);
        assertThat(Hex.of(cel.encode())).isEqualTo("08 00 00 00");
        assertThat(LogCapabilities.decode(ByteBuffer.wrap(bytes("08 00 00 00")))).isEqualTo(cel);
    }

    @Test
    void logCapabilitiesNamedBits() {
        assertThat(new LogCapabilities(true, false, false, false).encode()).isEqualTo(bytes("01 00 00 00"));
        assertThat(new LogCapabilities(false, true, false, false).encode()).isEqualTo(bytes("02 00 00 00"));
        assertThat(new LogCapabilities(false, false, true, false).encode()).isEqualTo(bytes("04 00 00 00"));
        assertThat(LogCapabilities.decode(ByteBuffer.wrap(bytes("FF FF FF FF"))))
                .isEqualTo(new LogCapabilities(true, true, true, true));
        assertThat(Hex.of(new LogCapabilities(true, true, true, true).encode())).isEqualTo("0F 00 00 00");
        assertThatThrownBy(() -> LogCapabilities.decode(ByteBuffer.wrap(new byte[3])))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Get Log Capabilities output needs 4 bytes, got 3");
    }

    // ------------------------------------------------------------------ partitions

    @Test
    void partitionInfo() {
        var p = new PartitionInfo(1, 3, 2, 2);
        byte[] wire = bytes("""
                01 00 00 00 00 00 00 00     # 00h active volatile
                03 00 00 00 00 00 00 00     # 08h active persistent
                02 00 00 00 00 00 00 00     # 10h next volatile
                02 00 00 00 00 00 00 00     # 18h next persistent
                """);
        assertThat(Hex.of(p.encode())).isEqualTo(Hex.of(wire));
        assertThat(PartitionInfo.decode(ByteBuffer.wrap(wire))).isEqualTo(p);
        var extreme = new PartitionInfo(-1L, Long.MIN_VALUE, 0, Long.MAX_VALUE);
        assertThat(PartitionInfo.decode(ByteBuffer.wrap(extreme.encode()))).isEqualTo(extreme);
        assertThatThrownBy(() -> PartitionInfo.decode(ByteBuffer.wrap(new byte[0x1F])))
                .isInstanceOf(MalformedPayloadException.class).hasMessage("Get Partition Info output needs 32 bytes, got 31");
    }

    @Test
    void setPartitionInfo() {
        var r = new SetPartitionInfoRequest(4, true);
        byte[] wire = bytes("04 00 00 00 00 00 00 00 | 01");
        assertThat(Hex.of(r.encode())).isEqualTo(Hex.of(wire));
        assertThat(SetPartitionInfoRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(r);
    }

    @Test
    void setPartitionInfoAcceptsLinuxsTenthByteAndIgnoresReservedFlags() {
        ByteBuffer ten = ByteBuffer.wrap(bytes("00 00 00 10 00 00 00 00 | FE | FF"));
        assertThat(SetPartitionInfoRequest.decode(ten)).isEqualTo(new SetPartitionInfoRequest(0x10000000L, false));
        assertThat(ten.hasRemaining()).isFalse();
    }

    @Test
    void setPartitionInfoOfAnotherLengthIsMalformed() {
        ByteBuffer eight = ByteBuffer.wrap(new byte[8]);
        assertThatThrownBy(() -> SetPartitionInfoRequest.decode(eight))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Set Partition Info input is 9 or 10 bytes, got 8");
        assertThat(eight.position()).isZero();
        assertThatThrownBy(() -> SetPartitionInfoRequest.decode(ByteBuffer.wrap(new byte[11])))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Set Partition Info input is 9 or 10 bytes, got 11");
    }

    // ------------------------------------------------------------------ LSA

    @Test
    void getLsa() {
        var r = new GetLsaRequest(0x100, 0x400);
        byte[] wire = bytes("00 01 00 00 | 00 04 00 00");
        assertThat(Hex.of(r.encode())).isEqualTo(Hex.of(wire));
        assertThat(GetLsaRequest.decode(ByteBuffer.wrap(wire))).isEqualTo(r);
        var max = new GetLsaRequest(0xFFFFFFFFL, 0x80000000L);
        assertThat(Hex.of(max.encode())).isEqualTo("FF FF FF FF 00 00 00 80");
        assertThat(GetLsaRequest.decode(ByteBuffer.wrap(max.encode()))).isEqualTo(max);
        assertThatThrownBy(() -> new GetLsaRequest(1L << 32, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GetLsaRequest.decode(ByteBuffer.wrap(new byte[7])))
                .isInstanceOf(MalformedPayloadException.class).hasMessage("Get LSA input needs 8 bytes, got 7");
    }

    @Test
    void setLsa() {
        var r = new SetLsaRequest(0x10, ByteBuffer.wrap(bytes("AA BB CC")));
        assertThat(r.size()).isEqualTo(11);
        assertThat(Hex.of(r.encode())).isEqualTo("10 00 00 00 00 00 00 00 AA BB CC");
        ByteBuffer in = ByteBuffer.wrap(bytes("10 00 00 00 | FF FF FF FF | AA BB CC"));
        SetLsaRequest back = SetLsaRequest.decode(in);
        assertThat(back).isEqualTo(r);
        assertThat(in.hasRemaining()).isFalse();
        assertThat(back.data().isReadOnly()).isTrue();
        assertThat(back.dataLength()).isEqualTo(3);
    }

    @Test
    void setLsaWithNoData() {
        var r = SetLsaRequest.decode(ByteBuffer.wrap(bytes("FF FF FF FF 00 00 00 00")));
        assertThat(r.offset()).isEqualTo(0xFFFFFFFFL);
        assertThat(r.dataLength()).isZero();
        assertThat(r.encode()).hasSize(8);
    }

    @Test
    void setLsaShorterThanItsHeaderIsMalformed() {
        assertThatThrownBy(() -> SetLsaRequest.decode(ByteBuffer.wrap(new byte[7])))
                .isInstanceOf(MalformedPayloadException.class).hasMessage("Set LSA input needs 8 bytes, got 7");
    }
}
