package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.host.json.MemdevView;
import io.cxlkit.protocol.ReturnCode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hints for ambiguous device errors: given only where the host can tell, and always true. */
class DeviceErrorHintsTest {

    /** mem0 with 3 slots, slot 1 active, slot 2 filled, slot 3 empty. */
    private static MemdevView mem0(boolean onlineCapable, List<String> faults, Optional<String> uploadRc) {
        var fw = new MemdevView.FirmwareView(3, 1, 0, onlineCapable, List.of("A", "B", ""), false, 0);
        var upload = new MemdevView.UploadView("idle", uploadRc.map(rc -> "transferring:x"), Optional.empty(),
                uploadRc.map(rc -> "0201h"), uploadRc, uploadRc.map(rc -> ReturnCode.parse(rc).specName()), 0, 0,
                Optional.empty(), Optional.empty());
        return MemdevView.of("mem0", 0, 0, 0, "h").withFirmware(fw)
                .withCxlkit(new MemdevView.CxlkitView(1 << 20, "package", 0, faults, upload));
    }

    private static MemdevView mem0() {
        return mem0(true, List.of(), Optional.empty());
    }

    @Test
    void invalidSlotIsTheActiveSlotAnEmptySlotOrNoSuchSlot() {
        assertThat(DeviceErrorHints.activation(1, false, ReturnCode.INVALID_SLOT, mem0()))
                .contains("slot 1 is already active");
        assertThat(DeviceErrorHints.activation(3, true, ReturnCode.INVALID_SLOT, mem0()))
                .contains("slot 3 is empty; upload a package to it first");
        assertThat(DeviceErrorHints.activation(4, false, ReturnCode.INVALID_SLOT, mem0()))
                .contains("mem0 has 3 slots (1..3)");
        assertThat(DeviceErrorHints.activation(0, false, ReturnCode.INVALID_SLOT, mem0()))
                .contains("mem0 has 3 slots (1..3)");
    }

    @Test
    void anInvalidSlotAnswerForAUsableSlotGetsNoHint() {
        // slot 2 exists, is filled and not active: only an injected fault answers 000Bh for it
        assertThat(DeviceErrorHints.activation(2, false, ReturnCode.INVALID_SLOT, mem0())).isEmpty();
    }

    @Test
    void invalidInputForOnlineIsADeviceThatCannotActivateOnline() {
        assertThat(DeviceErrorHints.activation(2, true, ReturnCode.INVALID_INPUT, mem0(false, List.of(),
                Optional.empty()))).contains("mem0 cannot activate online; leave out --online to activate on the "
                + "next cold reset");
        assertThat(DeviceErrorHints.activation(2, true, ReturnCode.INVALID_INPUT, mem0())).isEmpty();
        assertThat(DeviceErrorHints.activation(2, false, ReturnCode.INVALID_INPUT, mem0(false, List.of(),
                Optional.empty()))).isEmpty();
    }

    @Test
    void codesAnInjectedFaultCouldHaveSentGetNoGuess() {
        assertThat(DeviceErrorHints.activation(2, true, ReturnCode.BUSY, mem0())).isEmpty();
        assertThat(DeviceErrorHints.upload(mem0(true, List.of(), Optional.of("0008h")))).isEmpty();
        assertThat(DeviceErrorHints.upload(mem0(true, List.of(), Optional.of("0006h")))).isEmpty();
    }

    @Test
    void mediaDisabledNamesTheInjectedFaultWhileItIsThere() {
        assertThat(DeviceErrorHints.upload(mem0(true, List.of("media-disabled"), Optional.of("0007h"))))
                .contains("the fault media-disabled is injected on mem0; clear it with cxlkit inject --clear mem0");
        assertThat(DeviceErrorHints.upload(mem0(true, List.of(), Optional.of("0007h")))).isEmpty();
    }

    @Test
    void noFirmwareObjectOrNoFailureMeansNoHint() {
        assertThat(DeviceErrorHints.activation(1, false, ReturnCode.INVALID_SLOT, MemdevView.of("mem0", 0, 0, 0, "h")))
                .isEmpty();
        assertThat(DeviceErrorHints.upload(mem0())).isEmpty();
    }
}
