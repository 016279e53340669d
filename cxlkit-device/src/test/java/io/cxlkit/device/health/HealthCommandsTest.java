package io.cxlkit.device.health;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.CriticalThresholds;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.Events;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.AlertConfig;
import io.cxlkit.protocol.payload.AlertWarning;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Get Health Info (4200h), Get/Set Alert Configuration (4201h, 4202h) and Get/Set Shutdown State
 * (4203h, 4204h) through the CCIs (docs/events-and-health.md "Health", "Alert configuration",
 * "Shutdown state"); persistence of the shutdown state is {@link ShutdownPersistenceTest}'s.
 */
class HealthCommandsTest {

    @TempDir
    Path dir;

    /** The defaults of the alert configuration, as Get returns them, byte for byte. */
    private static final byte[] DEFAULT_ALERTS = {
            0x07, 0x1F, 75, 40, 85, 0, 0, 0, 75, 0, 5, 0, 100, 0, 100, 0};

    private static SetAlertConfigRequest set(int valid, int enable, int life, int over, int under, int vol, int pers) {
        return new SetAlertConfigRequest(valid, enable, life, over, under, vol, pers);
    }

    private static byte[] alertBytes(TestDevice t, Cci cci) {
        TestDevice.Reply r = t.send(cci, CommandId.GET_ALERT_CONFIGURATION);
        assertThat(rc(r.returnCode())).isEqualTo("0000h");
        return r.output();
    }

    // ---- Get Health Info

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getHealthInfo_defaults_byteExact(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            TestDevice.Reply r = t.send(cci, CommandId.GET_HEALTH_INFO);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            byte[] expected = new byte[0x12];
            expected[0x04] = 25;
            assertThat(r.output()).containsExactly(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getHealthInfo_reportsTheStandingFaults_andTheStatuses(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.inject(f -> {
                f.setLifeUsed(45);
                f.setTemperature(-3);
                f.setHealthStatus(EnumSet.of(FaultSet.HealthCondition.PERFORMANCE, FaultSet.HealthCondition.CAPACITY));
                f.setMediaStatus(FaultSet.MediaStatus.SHUTDOWN_DATA_LOSS);
            });
            t.device().injectCorrectedErrors(0, 7);
            TestDevice.Reply r = t.send(cci, CommandId.GET_HEALTH_INFO);
            ByteBuffer b = ByteBuffer.wrap(r.output()).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.get(0x00)).isEqualTo((byte) 0x0A);
            assertThat(b.get(0x01)).isEqualTo((byte) 0x08);
            // life used warning (01b), temperature critical (10b << 2): -3 is at or below 0
            assertThat(b.get(0x02)).isEqualTo((byte) 0x09);
            assertThat(b.get(0x03)).isEqualTo((byte) 45);
            assertThat(b.getShort(0x04)).isEqualTo((short) -3);
            assertThat(b.getInt(0x06)).isZero();
            assertThat(b.getInt(0x0A)).isZero();
            assertThat(b.getInt(0x0E)).isEqualTo(7);
        }
    }

    @Test
    void getHealthInfo_mediaDisabledReadsNotReadyAndMaintenanceNeeded() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.inject(FaultSet::setMediaDisabled);
            HealthInfo h = Events.health(t, Cci.MCTP);
            assertThat(h.healthStatus()).isEqualTo(HealthInfo.MAINTENANCE_NEEDED);
            assertThat(h.mediaStatus()).isEqualTo(HealthInfo.MEDIA_NOT_READY);
            t.inject(FaultSet::clear);
            assertThat(Events.health(t, Cci.MCTP).healthStatus()).isZero();
            assertThat(Events.health(t, Cci.MCTP).mediaStatus()).isZero();
        }
    }

    @Test
    void statuses_followTheRulesAtTheirEdges() {
        try (TestDevice t = TestDevice.instant(dir)) {
            int[][] temperatureStatus = {{86, 2}, {85, 2}, {84, 1}, {75, 1}, {74, 0}, {6, 0}, {5, 1}, {1, 1}, {0, 2},
                    {-32768, 2}, {32767, 2}};
            for (int[] c : temperatureStatus) {
                t.inject(f -> f.setTemperature(c[0]));
                assertThat(Events.health(t, Cci.MAILBOX).additionalStatus().temperature()).as("%d °C", c[0])
                        .isEqualTo(c[1]);
            }
            int[][] lifeStatus = {{0, 0}, {39, 0}, {40, 1}, {75, 1}, {76, 2}, {100, 2}};
            for (int[] c : lifeStatus) {
                t.inject(f -> f.setLifeUsed(c[0]));
                assertThat(Events.health(t, Cci.MAILBOX).additionalStatus().lifeUsed()).as("%d %%", c[0])
                        .isEqualTo(c[1]);
            }
            // with every warning off only the critical thresholds count
            assertThat(Events.setAlerts(t, Cci.MAILBOX, set(0x1F, 0, 0, 0, 0, 0, 0))).isZero();
            t.inject(f -> f.setTemperature(80));
            t.inject(f -> f.setLifeUsed(60));
            assertThat(Events.health(t, Cci.MAILBOX).additionalStatus()).isEqualTo(HealthInfo.AdditionalStatus.ALL_NORMAL);
        }
    }

    @Test
    void criticalTemperatures_areTheDevicesSettings() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.criticalThresholds(
                new CriticalThresholds(90, 100, -10))).open()) {
            assertThat(Events.alerts(t, Cci.MAILBOX)).isEqualTo(new AlertConfig(0x07, 0x1F, 90, 40, 100, -10, 75, 5,
                    100, 100));
            t.inject(f -> f.setTemperature(99));
            assertThat(Events.health(t, Cci.MAILBOX).additionalStatus().temperature()).isEqualTo(1);
            t.inject(f -> f.setTemperature(-9));
            assertThat(Events.health(t, Cci.MAILBOX).additionalStatus().temperature()).isEqualTo(1);
            t.inject(f -> f.setTemperature(-10));
            assertThat(Events.health(t, Cci.MAILBOX).additionalStatus().temperature()).isEqualTo(2);
            // a warning at the device's critical threshold is refused, one below it taken
            assertThat(rc(Events.setAlerts(t, Cci.MAILBOX, set(0x02, 0x02, 0, 100, 0, 0, 0)))).isEqualTo("0002h");
            assertThat(rc(Events.setAlerts(t, Cci.MAILBOX, set(0x02, 0x02, 0, 99, 0, 0, 0)))).isEqualTo("0000h");
            assertThat(rc(Events.setAlerts(t, Cci.MAILBOX, set(0x04, 0x04, 0, 0, -10, 0, 0)))).isEqualTo("0002h");
            assertThat(rc(Events.setAlerts(t, Cci.MAILBOX, set(0x04, 0x04, 0, 0, -9, 0, 0)))).isEqualTo("0000h");
            assertThat(rc(Events.setAlerts(t, Cci.MAILBOX, set(0x01, 0x01, 90, 0, 0, 0, 0)))).isEqualTo("0002h");
            assertThat(rc(Events.setAlerts(t, Cci.MAILBOX, set(0x01, 0x01, 89, 0, 0, 0, 0)))).isEqualTo("0000h");
        }
    }

    // ---- Get / Set Alert Configuration

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getAlertConfiguration_defaults_byteExact(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(alertBytes(t, cci)).containsExactly(DEFAULT_ALERTS);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void setAlertConfiguration_enableStoresAndEnables_disableKeepsTheThreshold_othersUntouched(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            // enable the corrected volatile warning at 3 and the life used one at 20; the thresholds of
            // fields not valid here are ignored
            TestDevice.Reply r = t.send(cci, CommandId.SET_ALERT_CONFIGURATION,
                    set(0x09, 0x09, 20, 1, 2, 3, 4).encode());
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).isEmpty();
            assertThat(Events.alerts(t, cci)).isEqualTo(new AlertConfig(0x0F, 0x1F, 75, 20, 85, 0, 75, 5, 3, 100));
            // disable over-temperature: its threshold stays
            assertThat(Events.setAlerts(t, cci, set(0x02, 0x00, 0, 50, 0, 0, 0))).isZero();
            assertThat(Events.alerts(t, cci)).isEqualTo(new AlertConfig(0x0D, 0x1F, 75, 20, 85, 0, 75, 5, 3, 100));
            // nothing valid: nothing changes
            assertThat(Events.setAlerts(t, cci, set(0x00, 0x1F, 99, 99, 99, 99, 99))).isZero();
            assertThat(Events.alerts(t, cci)).isEqualTo(new AlertConfig(0x0D, 0x1F, 75, 20, 85, 0, 75, 5, 3, 100));
            // the counts take 16-bit thresholds
            assertThat(Events.setAlerts(t, cci, set(0x18, 0x18, 0, 0, 0, 0xFFFF, 0))).isZero();
            assertThat(Events.alerts(t, cci).correctedVolatileWarning()).isEqualTo(0xFFFF);
            assertThat(Events.alerts(t, cci).correctedPersistentWarning()).isZero();
        }
    }

    @Test
    void setAlertConfiguration_reservedBitsAndByte03hAreIgnored() {
        try (TestDevice t = TestDevice.instant(dir)) {
            byte[] in = set(0x01, 0x01, 30, 0, 0, 0, 0).encode();
            in[0] |= (byte) 0xE0;
            in[1] |= (byte) 0xE0;
            in[3] = (byte) 0xFF;
            assertThat(rc(t.send(Cci.MAILBOX, CommandId.SET_ALERT_CONFIGURATION, in).returnCode())).isEqualTo("0000h");
            assertThat(Events.alerts(t, Cci.MAILBOX)).isEqualTo(new AlertConfig(0x07, 0x1F, 75, 30, 85, 0, 75, 5, 100,
                    100));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void setAlertConfiguration_everyValidEnabledFieldIsCheckedBeforeAnyChange_0002h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            SetAlertConfigRequest[] refused = {
                    set(0x01, 0x01, 101, 0, 0, 0, 0),          // life used above 100
                    set(0x01, 0x01, 75, 0, 0, 0, 0),           // life used at its critical threshold
                    set(0x01, 0x01, 0xFF, 0, 0, 0, 0),
                    set(0x02, 0x02, 0, 85, 0, 0, 0),           // over at its critical
                    set(0x02, 0x02, 0, 32767, 0, 0, 0),
                    set(0x04, 0x04, 0, 0, 0, 0, 0),            // under at its critical
                    set(0x04, 0x04, 0, 0, -32768, 0, 0),
                    // a good field with a bad one: neither is applied
                    set(0x19, 0x19, 80, 0, 0, 1, 1),
                    set(0x07, 0x07, 10, 50, 0, 0, 0),          // under 0 at its critical, the others fine
            };
            for (SetAlertConfigRequest r : refused) {
                assertThat(rc(Events.setAlerts(t, cci, r))).as("%s", r).isEqualTo("0002h");
                assertThat(alertBytes(t, cci)).as("%s", r).containsExactly(DEFAULT_ALERTS);
            }
            // a bad threshold with its valid bit but not its enable bit is a disable: not checked
            assertThat(Events.setAlerts(t, cci, set(0x07, 0x00, 200, 100, -100, 0, 0))).isZero();
            assertThat(Events.alerts(t, cci)).isEqualTo(new AlertConfig(0x00, 0x1F, 75, 40, 85, 0, 75, 5, 100, 100));
            // nor with the enable bit but not its valid bit
            assertThat(Events.setAlerts(t, cci, set(0x08, 0x0F, 200, 100, -100, 9, 0))).isZero();
            assertThat(Events.alerts(t, cci)).isEqualTo(new AlertConfig(0x08, 0x1F, 75, 40, 85, 0, 75, 5, 9, 100));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void alertCommands_lengths_0016h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.send(cci, CommandId.GET_HEALTH_INFO, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.GET_ALERT_CONFIGURATION, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.SET_ALERT_CONFIGURATION, new byte[0x0B]).returnCode()))
                    .isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.SET_ALERT_CONFIGURATION, new byte[0x0D]).returnCode()))
                    .isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.GET_SHUTDOWN_STATE, new byte[1]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.SET_SHUTDOWN_STATE, new byte[0]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.SET_SHUTDOWN_STATE, new byte[2]).returnCode())).isEqualTo("0016h");
            assertThat(alertBytes(t, cci)).containsExactly(DEFAULT_ALERTS);
        }
    }

    @Test
    void alertWarnings_aColdResetOrARestartRestoresTheDefaults() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(Events.setAlerts(t, Cci.MAILBOX, set(0x1F, 0x18, 0, 0, 0, 1, 2))).isZero();
            t.coldReset();
            assertThat(alertBytes(t, Cci.MAILBOX)).containsExactly(DEFAULT_ALERTS);
            assertThat(Events.setAlerts(t, Cci.MAILBOX, set(0x1F, 0x18, 0, 0, 0, 1, 2))).isZero();
            t.reopen();
            assertThat(alertBytes(t, Cci.MCTP)).containsExactly(DEFAULT_ALERTS);
        }
    }

    @Test
    void correctedCounts_aColdResetZeroesThem_anInjectClearDoesNot() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.device().injectCorrectedErrors(0, 3);
            t.inject(FaultSet::clear);
            assertThat(Events.health(t, Cci.MAILBOX).correctedPersistentErrorCount()).isEqualTo(3);
            t.coldReset();
            assertThat(Events.health(t, Cci.MAILBOX).correctedPersistentErrorCount()).isZero();
            t.device().injectCorrectedErrors(0, 3);
            t.reopen();
            assertThat(Events.health(t, Cci.MAILBOX).correctedPersistentErrorCount()).isZero();
        }
    }

    // ---- Get / Set Shutdown State

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getShutdownState_cleanByDefault(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            TestDevice.Reply r = t.send(cci, CommandId.GET_SHUTDOWN_STATE);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).containsExactly(0);
        }
    }

    @Test
    void setShutdownState_mailboxOnly_bit0_reservedBitsIgnored() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.mctp(CommandId.SET_SHUTDOWN_STATE, new byte[] {1}).returnCode())).isEqualTo("0015h");
            assertThat(t.send(Cci.MCTP, CommandId.GET_SHUTDOWN_STATE).output()).containsExactly(0);
            TestDevice.Reply r = t.mailbox(0x4204, new byte[] {(byte) 0xFF});
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).isEmpty();
            assertThat(t.send(Cci.MCTP, CommandId.GET_SHUTDOWN_STATE).output()).containsExactly(1);
            assertThat(rc(t.mailbox(0x4204, new byte[] {(byte) 0xFE}).returnCode())).isEqualTo("0000h");
            assertThat(t.send(Cci.MAILBOX, CommandId.GET_SHUTDOWN_STATE).output()).containsExactly(0);
        }
    }

    @Test
    void shutdownCommands_neverAnswer0007h_whileMediaIsDisabled() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(t.mailbox(0x4204, new byte[] {1}).returnCode())).isEqualTo("0000h");
            assertThat(t.send(Cci.MCTP, CommandId.GET_SHUTDOWN_STATE).output()).containsExactly(1);
            for (CommandId id : new CommandId[] {CommandId.GET_HEALTH_INFO, CommandId.GET_ALERT_CONFIGURATION}) {
                assertThat(rc(t.send(Cci.MAILBOX, id).returnCode())).isEqualTo("0000h");
            }
            assertThat(rc(Events.setAlerts(t, Cci.MAILBOX, set(0x01, 0x01, 10, 0, 0, 0, 0)))).isEqualTo("0000h");
        }
    }

    @Test
    void healthCommands_injectedFailuresHaveNoEffect() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.failOpcode(0x4204, 0x0006, 1, Cci.MAILBOX);
            t.failOpcode(0x4202, 0x0005, 1, null);
            assertThat(rc(t.mailbox(0x4204, new byte[] {1}).returnCode())).isEqualTo("0006h");
            assertThat(rc(Events.setAlerts(t, Cci.MCTP, set(0x01, 0x01, 10, 0, 0, 0, 0)))).isEqualTo("0005h");
            assertThat(t.send(Cci.MAILBOX, CommandId.GET_SHUTDOWN_STATE).output()).containsExactly(0);
            assertThat(alertBytes(t, Cci.MAILBOX)).containsExactly(DEFAULT_ALERTS);
            assertThat(t.dir().resolve(ShutdownStore.FILE)).doesNotExist();
        }
    }

    @Test
    void defaultAlertEnables_areTheLifeUsedAndTemperatureWarnings() {
        assertThat(AlertSettings.DEFAULT_ENABLED).isEqualTo(AlertWarning.LIFE_USED.bit()
                | AlertWarning.OVER_TEMPERATURE.bit() | AlertWarning.UNDER_TEMPERATURE.bit()).isEqualTo(0x07);
    }
}
