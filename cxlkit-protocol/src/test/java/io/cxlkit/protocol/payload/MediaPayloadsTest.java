package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Hex;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Media, poison and security payloads, pinned to r3.1 Tables 8-138 to 8-146 and §8.2.9.9.6.1: Get Poison List,
 * Inject/Clear Poison, Scan Media and its capabilities and results, Get Security State.
 */
class MediaPayloadsTest {

    @Test
    void sizes() {
        assertThat(DpaRange.SIZE).isEqualTo(0x10);
        assertThat(GetPoisonListRequest.SIZE).isEqualTo(0x10);
        assertThat(MediaErrorRecord.SIZE).isEqualTo(0x10);
        assertThat(MediaErrorList.HEADER_SIZE).isEqualTo(0x20);
        assertThat(InjectPoisonRequest.SIZE).isEqualTo(8);
        assertThat(ClearPoisonRequest.SIZE).isEqualTo(0x48);
        assertThat(ScanMediaCapabilities.SIZE).isEqualTo(4);
        assertThat(ScanMediaRequest.SIZE).isEqualTo(0x11);
        assertThat(SecurityState.SIZE).isEqualTo(4);
    }

    // ------------------------------------------------------------------ ranges and requests

    @Test
    void getPoisonListRequest() {
        var v = new GetPoisonListRequest(true, new DpaRange(0x1122334455667740L, 0x8877665544332211L));
        String wire = """
                41 77 66 55 44 33 22 11   # 00h bit 0 restart request, bits 63:6 DPA
                11 22 33 44 55 66 77 88   # 08h length in 64-byte units
                """;
        assertThat(Hex.of(v.encode())).isEqualTo(Hex.of(bytes(wire)));
        assertThat(GetPoisonListRequest.decode(ByteBuffer.wrap(bytes(wire)))).isEqualTo(v);
        // bits 5:1 reserved: ignored
        byte[] reserved = bytes(wire);
        reserved[0] |= 0x3E;
        assertThat(GetPoisonListRequest.decode(ByteBuffer.wrap(reserved))).isEqualTo(v);
        reserved[0] &= (byte) ~1;
        assertThat(GetPoisonListRequest.decode(ByteBuffer.wrap(reserved)))
                .isEqualTo(new GetPoisonListRequest(false, v.range()));
        assertThat(Hex.of(GetPoisonListRequest.of(0x40, 1).encode()))
                .isEqualTo("40 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00");
    }

    @Test
    void dpaRangeIgnoresReservedBitsAndNeedsAlignment() {
        byte[] wire = bytes("7F 00 01 00 00 00 00 00  02 00 00 00 00 00 00 00");
        assertThat(DpaRange.decode(ByteBuffer.wrap(wire))).isEqualTo(new DpaRange(0x10040, 2));
        assertThat(Hex.of(new DpaRange(0x10040, 2).encode())).isEqualTo("40 00 01 00 00 00 00 00 02 00 00 00 00 00 00 00");
        assertThatThrownBy(() -> new DpaRange(0x41, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64-byte aligned");
        assertThatThrownBy(() -> new InjectPoisonRequest(0x20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MediaErrorRecord(0x4, PoisonSource.INTERNAL, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void injectPoison() {
        var v = new InjectPoisonRequest(0xFFFFFFFFFFFFFFC0L);
        assertThat(Hex.of(v.encode())).isEqualTo("C0 FF FF FF FF FF FF FF");
        assertThat(InjectPoisonRequest.decode(ByteBuffer.wrap(bytes("FF FF FF FF FF FF FF FF")))).isEqualTo(v);
        assertThat(InjectPoisonRequest.decode(ByteBuffer.wrap(bytes("80 01 00 00 00 00 00 00"))).dpa())
                .isEqualTo(0x180);
    }

    @Test
    void clearPoison() {
        byte[] data = new byte[64];
        for (int i = 0; i < 64; i++) {
            data[i] = (byte) (0xA0 + i);
        }
        var v = ClearPoisonRequest.of(0x1000, data);
        byte[] wire = v.encode();
        assertThat(wire).hasSize(0x48);
        assertThat(Hex.of(wire)).startsWith("00 10 00 00 00 00 00 00 A0 A1 A2");
        assertThat(wire[0x08]).isEqualTo((byte) 0xA0);
        assertThat(wire[0x47]).isEqualTo((byte) (0xA0 + 63));
        wire[0] |= 0x3F;
        ClearPoisonRequest back = ClearPoisonRequest.decode(ByteBuffer.wrap(wire));
        assertThat(back).isEqualTo(v).hasSameHashCodeAs(v);
        assertThat(back.dpa()).isEqualTo(0x1000);
        assertThat(back.data().isReadOnly()).isTrue();
        assertThat(back.data().remaining()).isEqualTo(64);
        assertThatThrownBy(() -> ClearPoisonRequest.of(0, new byte[63])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64");
    }

    @Test
    void scanMediaRequest() {
        var v = new ScanMediaRequest(new DpaRange(0x40000000L, 0x1000000), true);
        String wire = """
                00 00 00 40 00 00 00 00   # 00h DPA
                00 00 00 01 00 00 00 00   # 08h length
                01                        # 10h bit 0 no event log
                """;
        assertThat(Hex.of(v.encode())).isEqualTo(Hex.of(bytes(wire)));
        assertThat(ScanMediaRequest.decode(ByteBuffer.wrap(bytes(wire)))).isEqualTo(v);
        byte[] reserved = bytes(wire);
        reserved[0x10] = (byte) 0xFE;
        reserved[0] = 0x3F;
        assertThat(ScanMediaRequest.decode(ByteBuffer.wrap(reserved))).isEqualTo(new ScanMediaRequest(v.range(), false));
    }

    @Test
    void scanMediaCapabilities() {
        var v = new ScanMediaCapabilities(0xFEDCBA98L);
        assertThat(Hex.of(v.encode())).isEqualTo("98 BA DC FE");
        assertThat(ScanMediaCapabilities.decode(ByteBuffer.wrap(bytes("98 BA DC FE")))).isEqualTo(v);
        assertThatThrownBy(() -> new ScanMediaCapabilities(1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ media error records and lists

    @Test
    void mediaErrorRecord() {
        var v = new MediaErrorRecord(0x123456789ABCDEC0L, PoisonSource.INJECTED, 0xCAFEBABEL);
        String wire = """
                C3 DE BC 9A 78 56 34 12   # 00h bits 2:0 source 011b injected, bits 63:6 DPA
                BE BA FE CA               # 08h length
                00 00 00 00               # 0Ch reserved
                """;
        assertThat(Hex.of(v.encode())).isEqualTo(Hex.of(bytes(wire)));
        assertThat(MediaErrorRecord.decode(ByteBuffer.wrap(bytes(wire)))).isEqualTo(v);
        byte[] reserved = bytes(wire);
        reserved[0] |= 0x38;
        reserved[0x0C] = (byte) 0xFF;
        reserved[0x0F] = (byte) 0xFF;
        assertThat(MediaErrorRecord.decode(ByteBuffer.wrap(reserved))).isEqualTo(v);
    }

    @Test
    void poisonSources() {
        assertThat(PoisonSource.UNKNOWN.code()).isZero();
        assertThat(PoisonSource.EXTERNAL.code()).isEqualTo(1);
        assertThat(PoisonSource.INTERNAL.code()).isEqualTo(2);
        assertThat(PoisonSource.INJECTED.code()).isEqualTo(3);
        assertThat(PoisonSource.VENDOR_SPECIFIC.code()).isEqualTo(7);
        for (PoisonSource s : PoisonSource.values()) {
            assertThat(PoisonSource.fromCode(s.code())).isSameAs(s);
        }
        for (int reserved = 4; reserved <= 6; reserved++) {
            int code = reserved;
            assertThatThrownBy(() -> PoisonSource.fromCode(code)).isExactlyInstanceOf(MalformedPayloadException.class)
                    .hasMessageContaining("reserved");
            byte[] wire = new byte[16];
            wire[0] = (byte) (0x40 | code);
            ByteBuffer in = ByteBuffer.wrap(wire);
            assertThatThrownBy(() -> MediaErrorRecord.decode(in)).isExactlyInstanceOf(MalformedPayloadException.class);
            assertThat(in.position()).isZero();
        }
    }

    @Test
    void getPoisonListResponse() {
        var v = new GetPoisonListResponse(true, true, true, true, 0x0102030405060708L, List.of(
                new MediaErrorRecord(0x40, PoisonSource.INTERNAL, 3),
                new MediaErrorRecord(0x1000, PoisonSource.INJECTED, 1)));
        String wire = """
                0F                        # 00h more, overflow, scan media in progress, restart ack
                00                        # 01h reserved
                08 07 06 05 04 03 02 01   # 02h overflow timestamp
                02 00                     # 0Ah media error record count
                00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # 0Ch reserved
                42 00 00 00 00 00 00 00  03 00 00 00  00 00 00 00             # 20h record 0: 40h, 010b
                03 10 00 00 00 00 00 00  01 00 00 00  00 00 00 00             # 30h record 1: 1000h, 011b
                """;
        assertThat(v.size()).isEqualTo(0x40);
        assertThat(Hex.of(v.encode())).isEqualTo(Hex.of(bytes(wire)));
        assertThat(GetPoisonListResponse.decode(ByteBuffer.wrap(bytes(wire)))).isEqualTo(v);
        byte[] reserved = bytes(wire);
        reserved[0] |= (byte) 0xF0;
        reserved[1] = (byte) 0xFF;
        reserved[0x0C] = (byte) 0xFF;
        reserved[0x1F] = (byte) 0xFF;
        assertThat(GetPoisonListResponse.decode(ByteBuffer.wrap(reserved))).isEqualTo(v);
        // each flag on its own bit
        assertThat(GetPoisonListResponse.of(true, List.of()).encode()[0]).isEqualTo((byte) 1);
        assertThat(new GetPoisonListResponse(false, true, false, false, 0, List.of()).encode()[0]).isEqualTo((byte) 2);
        assertThat(new GetPoisonListResponse(false, false, true, false, 0, List.of()).encode()[0]).isEqualTo((byte) 4);
        assertThat(new GetPoisonListResponse(false, false, false, true, 0, List.of()).encode()[0]).isEqualTo((byte) 8);
    }

    @Test
    void getPoisonListResponseLengths() {
        byte[] wire = GetPoisonListResponse.of(false, List.of(new MediaErrorRecord(0, PoisonSource.UNKNOWN, 1),
                new MediaErrorRecord(0x40, PoisonSource.EXTERNAL, 1))).encode();
        ByteBuffer shortIn = ByteBuffer.wrap(wire, 0, 0x3F);
        assertThatThrownBy(() -> GetPoisonListResponse.decode(shortIn))
                .isExactlyInstanceOf(MalformedPayloadException.class)
                .hasMessage("Get Poison List output with 2 records needs 64 bytes, got 63");
        assertThat(shortIn.position()).isZero();
        ByteBuffer longer = ByteBuffer.allocate(0x50).put(wire).flip().limit(0x50);
        assertThat(GetPoisonListResponse.decode(longer).records()).hasSize(2);
        assertThat(longer.position()).isEqualTo(0x40);
        assertThat(MediaErrorList.recordsFitting(0x1F)).isZero();
        assertThat(MediaErrorList.recordsFitting(0x20)).isZero();
        assertThat(MediaErrorList.recordsFitting(0x2F)).isZero();
        assertThat(MediaErrorList.recordsFitting(0x30)).isEqualTo(1);
        assertThat(MediaErrorList.recordsFitting(0x100)).isEqualTo(14);
        assertThat(MediaErrorList.recordsFitting(1 << 20)).isEqualTo(0xFFFE);
        assertThat(MediaErrorList.recordsFitting(Integer.MAX_VALUE)).isEqualTo(0xFFFF);
        assertThat(MediaErrorList.sizeFor(3)).isEqualTo(0x50);
    }

    @Test
    void getScanMediaResultsResponse() {
        var v = new GetScanMediaResultsResponse(new DpaRange(0x8000, 0x20), true, true,
                List.of(new MediaErrorRecord(0x4000, PoisonSource.INTERNAL, 2)));
        String wire = """
                00 80 00 00 00 00 00 00   # 00h restart DPA
                20 00 00 00 00 00 00 00   # 08h restart length
                03                        # 10h more, scan stopped prematurely
                00                        # 11h reserved
                01 00                     # 12h media error record count
                00 00 00 00 00 00 00 00 00 00 00 00   # 14h reserved
                02 40 00 00 00 00 00 00  02 00 00 00  00 00 00 00   # 20h record 0: 4000h, 010b
                """;
        assertThat(v.size()).isEqualTo(0x30);
        assertThat(Hex.of(v.encode())).isEqualTo(Hex.of(bytes(wire)));
        assertThat(GetScanMediaResultsResponse.decode(ByteBuffer.wrap(bytes(wire)))).isEqualTo(v);
        byte[] reserved = bytes(wire);
        reserved[0] |= 0x3F;
        reserved[0x10] |= (byte) 0xFC;
        reserved[0x11] = (byte) 0xFF;
        reserved[0x14] = (byte) 0xFF;
        reserved[0x1F] = (byte) 0xFF;
        assertThat(GetScanMediaResultsResponse.decode(ByteBuffer.wrap(reserved))).isEqualTo(v);
        var done = GetScanMediaResultsResponse.of(false, List.of());
        assertThat(Hex.of(done.encode())).isEqualTo(Hex.of(new byte[0x20]));
        assertThat(MediaErrorList.recordsFitting(0x30)).isEqualTo(1);
        ByteBuffer shortIn = ByteBuffer.wrap(bytes(wire), 0, 0x2F);
        assertThatThrownBy(() -> GetScanMediaResultsResponse.decode(shortIn))
                .isExactlyInstanceOf(MalformedPayloadException.class)
                .hasMessage("Get Scan Media Results output with 1 records needs 48 bytes, got 47");
    }

    // ------------------------------------------------------------------ security

    @Test
    void securityState() {
        assertThat(Hex.of(SecurityState.NONE.encode())).isEqualTo("00 00 00 00");
        assertThat(SecurityState.decode(ByteBuffer.wrap(bytes("00 00 00 00")))).isEqualTo(SecurityState.NONE);
        assertThat(Hex.of(new SecurityState(true, false, false, false, false, false).encode())).isEqualTo("01 00 00 00");
        assertThat(Hex.of(new SecurityState(false, true, false, false, false, false).encode())).isEqualTo("02 00 00 00");
        assertThat(Hex.of(new SecurityState(false, false, true, false, false, false).encode())).isEqualTo("04 00 00 00");
        assertThat(Hex.of(new SecurityState(false, false, false, true, false, false).encode())).isEqualTo("08 00 00 00");
        assertThat(Hex.of(new SecurityState(false, false, false, false, true, false).encode())).isEqualTo("10 00 00 00");
        assertThat(Hex.of(new SecurityState(false, false, false, false, false, true).encode())).isEqualTo("20 00 00 00");
        // bits 31:6 reserved: ignored
        assertThat(SecurityState.decode(ByteBuffer.wrap(bytes("C5 FF FF FF"))))
                .isEqualTo(new SecurityState(true, false, true, false, false, false));
    }
}
