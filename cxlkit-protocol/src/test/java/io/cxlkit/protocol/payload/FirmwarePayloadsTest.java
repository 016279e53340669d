package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static io.cxlkit.protocol.Hex.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Hex;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Get FW Info and Activate FW, pinned to reference.md §4. Transfer FW has its own test. */
class FirmwarePayloadsTest {

    private static final String FW_INFO_VECTOR = """
            02                                                # 00h slots supported
            11                                                # 01h slot info: active 1, staged 2
            01                                                # 02h online activation supported
            00 00 00 00 00 00 00 00 00 00 00 00 00            # 03h..0Fh reserved
            42 57 46 57 20 56 45 52 53 49 4F 4E 20 30 00 00   # 10h slot 1 "BWFW VERSION 0"
            42 57 46 57 20 56 45 52 53 49 4F 4E 20 31 00 00   # 20h slot 2 "BWFW VERSION 1"
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # 30h slot 3 empty
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # 40h slot 4 empty
            """;

    private static final FwInfo FW_INFO = new FwInfo(2, 1, 2, true,
            List.of("BWFW VERSION 0", "BWFW VERSION 1", "", ""));

    @Test
    void sizesMatchTheSpecTable() {
        assertThat(FwInfo.SIZE).isEqualTo(0x50);
        assertThat(ActivateFwRequest.SIZE).isEqualTo(2);
    }

    @Test
    void fwInfoEncodesToTheSpecLayout() {
        byte[] wire = bytes(FW_INFO_VECTOR);
        assertThat(wire).hasSize(0x50);
        assertThat(Hex.of(FW_INFO.encode())).isEqualTo(Hex.of(wire));
    }

    @Test
    void fwInfoDecodesTheSpecLayout() {
        FwInfo info = FwInfo.decode(ByteBuffer.wrap(bytes(FW_INFO_VECTOR)));
        assertThat(info).isEqualTo(FW_INFO);
        assertThat(info.activeSlot()).isEqualTo(1);
        assertThat(info.stagedSlot()).isEqualTo(2);
        assertThat(info.revision(1)).isEqualTo("BWFW VERSION 0");
        assertThat(info.revision(2)).isEqualTo("BWFW VERSION 1");
        assertThat(info.revision(3)).isEmpty();
        assertThat(info.revision(4)).isEmpty();
    }

    @Test
    void fwInfoSlotInfoBitFields() {
        // 4 slots, active 3 (bits 2:0 = 011), staged 4 (bits 5:3 = 100): 00 100 011 = 23h; no online activation
        FwInfo info = new FwInfo(4, 3, 4, false, List.of("a", "b", "c", "0123456789ABCDEF"));
        byte[] wire = bytes("04 23 00" + zeros(13)
                + "61" + zeros(15) + "62" + zeros(15) + "63" + zeros(15)
                + "30 31 32 33 34 35 36 37 38 39 41 42 43 44 45 46");
        assertThat(Hex.of(info.encode())).isEqualTo(Hex.of(wire));
        assertThat(FwInfo.decode(ByteBuffer.wrap(wire))).isEqualTo(info);
    }

    @Test
    void fwInfoIgnoresReservedBitsAndBytesAndTextAfterTheNul() {
        byte[] wire = bytes(FW_INFO_VECTOR);
        wire[0x01] |= (byte) 0xC0;           // slot info bits 7:6
        wire[0x02] |= (byte) 0xFE;           // capabilities bits 7:1
        for (int i = 0x03; i < 0x10; i++) {
            wire[i] = (byte) 0xFF;           // reserved bytes
        }
        wire[0x1F] = (byte) 0x99;            // after slot 1's NUL
        assertThat(FwInfo.decode(ByteBuffer.wrap(wire))).isEqualTo(FW_INFO);
    }

    @Test
    void fwInfoWithNonAsciiRevisionIsMalformed() {
        byte[] wire = bytes(FW_INFO_VECTOR);
        wire[0x20] = (byte) 0xC3;
        assertThatThrownBy(() -> FwInfo.decode(ByteBuffer.wrap(wire))).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void fwInfoRejectsWhatItCannotEncode() {
        assertThatThrownBy(() -> new FwInfo(2, 1, 0, false, List.of("", "", "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FwInfo(2, 1, 0, false, List.of("0123456789ABCDEFG", "", "", "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FwInfo(2, 1, 0, false, List.of("révision", "", "", "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FwInfo(2, 8, 0, false, List.of("", "", "", "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FwInfo(2, 0, 8, false, List.of("", "", "", "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FwInfo(256, 0, 0, false, List.of("", "", "", "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FW_INFO.revision(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FW_INFO.revision(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fwInfoRevisionListIsImmutable() {
        var revisions = new java.util.ArrayList<>(List.of("a", "", "", ""));
        FwInfo info = new FwInfo(2, 1, 0, false, revisions);
        revisions.set(0, "changed");
        assertThat(info.revision(1)).isEqualTo("a");
        assertThatThrownBy(() -> info.slotRevisions().set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void activateFw() {
        assertThat(Hex.of(ActivateFwRequest.onNextReset(2).encode())).isEqualTo("01 02");
        assertThat(Hex.of(ActivateFwRequest.online(3).encode())).isEqualTo("00 03");
        assertThat(ActivateFwRequest.decode(ByteBuffer.wrap(bytes("01 02"))))
                .isEqualTo(new ActivateFwRequest(1, 2))
                .isEqualTo(ActivateFwRequest.of(ActivateFwAction.ON_NEXT_RESET, 2));
    }

    @Test
    void activateFwKeepsUndefinedActionsRaw() {
        ActivateFwRequest r = ActivateFwRequest.decode(ByteBuffer.wrap(bytes("07 09")));
        assertThat(r.action()).isEqualTo(7);
        assertThat(r.slot()).isEqualTo(9);
        assertThat(r.knownAction()).isEmpty();
        assertThat(ActivateFwRequest.online(1).knownAction()).contains(ActivateFwAction.ONLINE);
        assertThatThrownBy(() -> new ActivateFwRequest(256, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void actionEnumsCarryTheSpecValues() {
        assertThat(TransferFwAction.FULL.value()).isEqualTo(0);
        assertThat(TransferFwAction.INITIATE.value()).isEqualTo(1);
        assertThat(TransferFwAction.CONTINUE.value()).isEqualTo(2);
        assertThat(TransferFwAction.END.value()).isEqualTo(3);
        assertThat(TransferFwAction.ABORT.value()).isEqualTo(4);
        for (TransferFwAction a : TransferFwAction.values()) {
            assertThat(TransferFwAction.fromValue(a.value())).contains(a);
        }
        assertThat(TransferFwAction.fromValue(5)).isEmpty();
        assertThat(TransferFwAction.fromValue(-1)).isEmpty();
        assertThat(ActivateFwAction.ONLINE.value()).isEqualTo(0);
        assertThat(ActivateFwAction.ON_NEXT_RESET.value()).isEqualTo(1);
        assertThat(ActivateFwAction.fromValue(1)).contains(ActivateFwAction.ON_NEXT_RESET);
        assertThat(ActivateFwAction.fromValue(2)).isEmpty();
    }
}
