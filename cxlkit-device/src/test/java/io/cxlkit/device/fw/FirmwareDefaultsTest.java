package io.cxlkit.device.fw;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.payload.FwInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The firmware defaults of device-behaviour.md §3: slots, the factory package, nothing staged. */
class FirmwareDefaultsTest {

    @TempDir
    Path dir;

    @Test
    void twoSlots_slot1ActiveWithTheFactoryPackage_othersEmpty_nothingStaged_onlineSupported() throws IOException {
        try (TestDevice t = TestDevice.open(dir)) {
            FwInfo info = t.getFwInfo(Cci.MAILBOX);
            assertThat(info).isEqualTo(new FwInfo(2, 1, 0, true, List.of("BWFW VERSION 0", "", "", "")));
            assertThat(t.getFwInfo(Cci.MCTP)).isEqualTo(info);
            byte[] factory = Files.readAllBytes(t.device().slotFile(1).orElseThrow());
            assertThat(factory).isEqualTo(FirmwarePackage.factory()).hasSize(128 + 4096);
            var inspection = PackageVerifier.inspect(factory);
            assertThat(inspection.intact()).isTrue();
            assertThat(inspection.header().orElseThrow().securityVersion()).isZero();
            assertThat(inspection.header().orElseThrow().bodyLength()).isEqualTo(4096);
            assertThat(t.device().slotFile(2)).isEmpty();
            assertThat(t.device().securityFloor()).isZero();
        }
    }

    @Test
    void slotsAndOnlineActivationAreConfigurable() {
        try (TestDevice t = TestDevice.builder(dir).config(b -> b.slots(4).onlineActivate(false)).open()) {
            assertThat(t.getFwInfo(Cci.MCTP)).isEqualTo(new FwInfo(4, 1, 0, false, List.of("BWFW VERSION 0", "", "", "")));
        }
    }

    @Test
    void theFactoryPackageIsWrittenOnlyAtTheFirstStart() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.uploadFull(Cci.MAILBOX, 2, TestDevice.pkg("FW 2", 128))).isZero();
            assertThat(t.activateAndWait(Cci.MAILBOX, io.cxlkit.protocol.payload.ActivateFwRequest.online(2))).isZero();
            assertThat(t.uploadFull(Cci.MAILBOX, 1, TestDevice.pkg("FW 1", 128))).isZero();
            t.reopen();
            assertThat(t.fwInfo().slotRevisions()).containsExactly("FW 1", "FW 2", "", "");
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
        }
    }
}
