package io.cxlkit.host.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.json.MemdevView.CxlkitView;
import io.cxlkit.host.json.MemdevView.FirmwareView;
import io.cxlkit.host.json.MemdevView.UploadView;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The view records: factories from the mailbox payloads, withers and validation. */
class MemdevViewTest {

    @Test
    void firmwareFromGetFwInfoCopiesEveryField() {
        FwInfo info = new FwInfo(4, 2, 3, false, List.of("one", "", "three", "four"));
        FirmwareView fw = FirmwareView.from(info);
        assertThat(fw.numSlots()).isEqualTo(4);
        assertThat(fw.activeSlot()).isEqualTo(2);
        assertThat(fw.stagedSlot()).isEqualTo(3);
        assertThat(fw.onlineActivateCapable()).isFalse();
        assertThat(fw.slotRevisions()).containsExactly("one", "", "three", "four");
        assertThat(fw.slotRevision(3)).isEqualTo("three");
        assertThat(fw.updateInProgress()).isFalse();
        assertThat(fw.remainingSize()).isZero();
    }

    @Test
    void firmwareFromADecodedGetFwInfoPayloadPrintsLikeNdctl() {
        byte[] payload = new byte[FwInfo.SIZE];
        payload[0] = 2;                       // two slots
        payload[1] = (byte) (1 | (2 << 3));   // active 1, staged 2
        payload[2] = 1;                       // online activation
        byte[] rev = "BWFW VERSION 0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(rev, 0, payload, 0x10, rev.length);
        rev = "BWFW VERSION 1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(rev, 0, payload, 0x20, rev.length);
        MemdevView v = MemdevView.of("mem0", 1L << 30, 0, 0, "0000:0d:00.0")
                .withFirmware(FwInfo.decode(ByteBuffer.wrap(payload)));
        assertThat(JsonC.toPlainString(MemdevJson.object(v, false, true, false).get("firmware"))).isEqualTo(
                "{\"num_slots\":2,\"active_slot\":1,\"staged_slot\":2,\"online_activate_capable\":true,"
                        + "\"slot_1_version\":\"BWFW VERSION 0\",\"slot_2_version\":\"BWFW VERSION 1\","
                        + "\"fw_update_in_progress\":false}");
    }

    @Test
    void firmwareVersionComesFromIdentifyMemoryDevicesFwRevision() {
        IdentifyMemoryDevice identify = new IdentifyMemoryDevice("BWFW VERSION 7", 4, 0, 4, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0);
        assertThat(MemdevView.firmwareVersionOf(identify)).isEqualTo("BWFW VERSION 7");
        MemdevView v = MemdevView.of("mem0", 0, 0, 0, "h").withFirmwareVersion(identify);
        assertThat(v.firmwareVersion()).contains("BWFW VERSION 7");
        assertThat(v.withoutFirmwareVersion().firmwareVersion()).isEmpty();
    }

    @Test
    void ofStartsWithNothingOptional() {
        MemdevView v = MemdevView.of("mem2", 1, 2, 3, "0000:0f:00.0");
        assertThat(v.firmwareVersion()).isEmpty();
        assertThat(v.firmware()).isEmpty();
        assertThat(v.cxlkit()).isEmpty();
        assertThat(v.name()).isEqualTo("mem2");
        assertThat(v.pmemSize()).isEqualTo(1);
        assertThat(v.ramSize()).isEqualTo(2);
        assertThat(v.serial()).isEqualTo(3);
        assertThat(v.host()).isEqualTo("0000:0f:00.0");
    }

    @Test
    void withersReplaceOnlyTheirPart() {
        CxlkitView c = new CxlkitView(1024, "none", 0, List.of(), UploadView.IDLE);
        MemdevView v = MemdevView.of("mem0", 1, 0, 0, "h").withFirmwareVersion("x")
                .withFirmware(MemdevJsonTest.FACTORY_FW_INFO).withCxlkit(c);
        assertThat(v.withoutFirmware().firmware()).isEmpty();
        assertThat(v.withoutFirmware().firmwareVersion()).contains("x");
        assertThat(v.withoutFirmware().cxlkit()).contains(c);
        assertThat(v.withoutFirmwareVersion().firmware()).isEqualTo(v.firmware());
    }

    @Test
    void slotRevisionsArePaddedToFourAndCopied() {
        List<String> revisions = new ArrayList<>(List.of("a", "b"));
        FirmwareView fw = new FirmwareView(2, 1, 0, true, revisions, false, 0);
        revisions.set(0, "changed");
        assertThat(fw.slotRevisions()).containsExactly("a", "b", "", "");
        assertThatThrownBy(() -> fw.slotRevisions().set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void firmwareViewRejectsImpossibleValues() {
        assertThatThrownBy(() -> new FirmwareView(2, 1, 0, true, List.of("a", "b", "c", "d", "e"), false, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FirmwareView(-1, 1, 0, true, List.of(), false, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FirmwareView(2, 1, 0, true, List.of(), true, -5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FirmwareView.from(MemdevJsonTest.FACTORY_FW_INFO).slotRevision(5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FirmwareView.from(MemdevJsonTest.FACTORY_FW_INFO).slotRevision(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inProgressKeepsTheSlots() {
        FirmwareView base = FirmwareView.from(MemdevJsonTest.FACTORY_FW_INFO);
        FirmwareView running = base.inProgress(4096);
        assertThat(running.updateInProgress()).isTrue();
        assertThat(running.remainingSize()).isEqualTo(4096);
        assertThat(running.slotRevisions()).isEqualTo(base.slotRevisions());
        assertThat(running).isEqualTo(new FirmwareView(base.numSlots(), base.activeSlot(), base.stagedSlot(),
                base.onlineActivateCapable(), base.slotRevisions(), true, 4096));
    }

    @Test
    void uploadViewChecksOpcodeAndReturnCodeForm() {
        assertThat(UploadView.hex16(0x0201)).isEqualTo("0201h");
        assertThat(UploadView.hex16(0x000A)).isEqualTo("000Ah");
        assertThatThrownBy(() -> UploadView.hex16(0x10000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> upload(Optional.of("201h"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> upload(Optional.empty(), Optional.of("000ah")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> upload(Optional.of("0x0201"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(upload(Optional.of("0201h"), Optional.of("000Ah")).opcode()).contains("0201h");
    }

    @Test
    void uploadViewRejectsNegativeCounters() {
        assertThatThrownBy(() -> new UploadView("idle", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), -1, 0, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cxlkitViewCopiesItsFaults() {
        List<String> faults = new ArrayList<>(List.of("late-part"));
        CxlkitView c = new CxlkitView(1, "package", 0, faults, UploadView.IDLE);
        faults.add("media-disabled");
        assertThat(c.faults()).containsExactly("late-part");
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> MemdevView.of(null, 0, 0, 0, "h")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MemdevView.of("m", 0, 0, 0, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new CxlkitView(1, null, 0, List.of(), UploadView.IDLE))
                .isInstanceOf(NullPointerException.class);
    }

    private static UploadView upload(Optional<String> opcode, Optional<String> rc) {
        return new UploadView("idle", Optional.empty(), Optional.empty(), opcode, rc, Optional.empty(), 0, 0,
                Optional.empty(), Optional.empty());
    }
}
