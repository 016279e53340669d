package io.cxlkit.host.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.fw.VerificationLogRing;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.host.cci.RecordingTransport;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.fwpkg.VerificationFailure;
import io.cxlkit.protocol.payload.ActivateFwAction;
import io.cxlkit.protocol.payload.VerificationLog;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The driver's sysfs-like calls: views that degrade to empty, and activation. */
class MemdevDriverTest {

    private final RecordingTransport transport = new RecordingTransport();
    private final MemdevDriver driver = new MemdevDriver("mem3", "0000:10:00.0", 3, transport, Clock.systemUTC(),
            s -> { });

    @Test
    void carriesWhatEnumerationFound() {
        assertThat(driver.name()).isEqualTo("mem3");
        assertThat(driver.host()).isEqualTo("0000:10:00.0");
        assertThat(driver.serial()).isEqualTo(3);
        assertThat(driver.client().transport()).isSameAs(transport);
        assertThat(driver.uploader().inProgress()).isFalse();
    }

    @Test
    void firmwareInfoIsGetFwInfoOrEmptyWhenTheDeviceRefusesOrIsSilent() throws Exception {
        transport.fwInfo(3, 2);
        assertThat(driver.firmwareInfo()).hasValueSatisfying(f -> {
            assertThat(f.slotsSupported()).isEqualTo(3);
            assertThat(f.activeSlot()).isEqualTo(2);
        });

        transport.script(c -> c.is(CommandId.GET_FW_INFO) ? 0x0004 : null);
        assertThat(driver.firmwareInfo()).isEmpty();

        transport.script(c -> {
            throw new CciTimeoutException("silent");
        });
        assertThat(driver.firmwareInfo()).isEmpty();
    }

    @Test
    void identifyIsEmptyWhenTheDeviceRefusesOrAnswersGarbage() throws Exception {
        transport.script(c -> c.is(CommandId.IDENTIFY_MEMORY_DEVICE) ? 0x0007 : null);
        assertThat(driver.identify()).isEmpty();

        // Success with no output: malformed, so empty rather than an exception.
        transport.script(c -> null);
        assertThat(driver.identify()).isEmpty();
        assertThat(transport.commands()).extracting(c -> c.opcode().toString()).containsOnly("4000h");
    }

    @Test
    void activateSendsActivateFwOnlineOrOnNextReset() throws Exception {
        driver.activate(2, true);
        driver.activate(3, false);

        assertThat(transport.activations()).hasSize(2);
        assertThat(transport.activations().get(0).activate().knownAction()).contains(ActivateFwAction.ONLINE);
        assertThat(transport.activations().get(0).activate().slot()).isEqualTo(2);
        assertThat(transport.activations().get(1).activate().knownAction())
                .contains(ActivateFwAction.ON_NEXT_RESET);
        assertThat(transport.activations().get(1).activate().slot()).isEqualTo(3);
    }

    @Test
    void activateWaitsForABackgroundActivationAndReportsItsResult() throws Exception {
        transport.background(true).script(c -> c.isActivate() ? 0x000C : null);

        assertThatThrownBy(() -> driver.activate(2, true)).isInstanceOfSatisfying(CciCommandException.class, e -> {
            assertThat(e.returnCode()).isEqualTo(ReturnCode.ACTIVATION_FAILED_ROLLED_BACK);
            assertThat(e.getMessage()).isEqualTo("Activate FW: Activation Failed, FW Rolled Back, 000Ch");
            assertThat(e.opcode()).isEqualTo(CommandId.ACTIVATE_FW.opcode());
        });
    }

    @Test
    void aFailedOnlineActivationCarriesTheDevicesReason_andOnlyANewOne() throws Exception {
        VerificationLogRing log = new VerificationLogRing(new VirtualClock());
        log.record(VerificationLog.Operation.ONLINE_ACTIVATION, 2, VerificationFailure.belowFloor(0, 3)); // older
        transport.verificationLog(log::bytes).background(true).script(c -> {
            if (c.isActivate() && c.activate().slot() == 2) {
                log.record(VerificationLog.Operation.ONLINE_ACTIVATION, 2, VerificationFailure.belowFloor(2, 3));
                return 0x000C;
            }
            return c.isActivate() ? 0x000D : null; // slot 3: an injected fault, nothing recorded
        });

        assertThatThrownBy(() -> driver.activate(2, true)).isInstanceOfSatisfying(CciCommandException.class, e -> {
            assertThat(e.returnCode()).isEqualTo(ReturnCode.ACTIVATION_FAILED_ROLLED_BACK);
            assertThat(e.reason()).contains("security version 2 is below the device's floor 3");
            assertThat(e.describe()).isEqualTo("security version 2 is below the device's floor 3 "
                    + "(Activate FW: Activation Failed, FW Rolled Back, 000Ch)");
        });
        assertThatThrownBy(() -> driver.activate(3, true)).isInstanceOfSatisfying(CciCommandException.class, e -> {
            assertThat(e.returnCode()).isEqualTo(ReturnCode.ACTIVATION_FAILED_COLD_RESET_REQUIRED);
            assertThat(e.reason()).isEmpty();
            assertThat(e.describe()).isEqualTo("Activate FW: Activation Failed, Cold Reset Required, 000Dh");
        });
    }

    @Test
    void anActivationOnNextResetReadsNoLog_andOneWhoseMarkTimesOutIsNotSent() throws Exception {
        driver.activate(2, false);
        assertThat(transport.commands()).extracting(c -> c.opcode().toString()).containsExactly("0202h");

        transport.script(c -> {
            if (c.is(CommandId.GET_LOG)) {
                throw new CciTimeoutException("the doorbell did not clear");
            }
            return null;
        });
        assertThatThrownBy(() -> driver.activate(2, true)).isInstanceOf(CciTimeoutException.class);
        assertThat(transport.activations()).hasSize(1);
        assertThat(driver.uploader().inProgress()).isFalse();
        driver.activate(2, false); // the claim was given back
    }
}
