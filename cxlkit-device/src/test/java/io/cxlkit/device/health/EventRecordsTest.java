package io.cxlkit.device.health;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.fault.FaultSet.HealthCondition;
import io.cxlkit.device.testing.Events;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.AlertWarning;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.GeneralMediaEvent;
import io.cxlkit.protocol.payload.GetEventRecordsRequest;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.payload.MemoryModuleEvent;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records the device adds for its own state changes (docs/events-and-health.md "What adds
 * records"), byte for byte where the layout matters: the log, the flags, the Memory Module body
 * (Get Health Info after the change), the General Media fields, the device timestamp.
 */
class EventRecordsTest {

    @TempDir
    Path dir;

    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final byte[] MM_UUID = HexFormat.of().parseHex("fe927475dd594339a58679bab113b774");
    private static final byte[] GM_UUID = HexFormat.of().parseHex("fbcd0a77c260417f85a9088b1621eba6");

    private static TestDevice open(Path dir) {
        return TestDevice.instant(dir);
    }

    /** The one record {@code log} holds. */
    private static EventRecord only(TestDevice t, EventLog log) {
        List<EventRecord> r = Events.records(t, log);
        assertThat(r).as("records of %s", log).hasSize(1);
        return r.get(0);
    }

    /** The raw bytes of the records in {@code log}, as Get Event Records returns them. */
    private static byte[] rawRecords(TestDevice t, EventLog log) {
        byte[] out = t.send(Cci.MCTP, CommandId.GET_EVENT_RECORDS, GetEventRecordsRequest.of(log).encode()).output();
        return Arrays.copyOfRange(out, 0x20, out.length);
    }

    private static MemoryModuleEvent mm(EventRecord r) {
        return r.memoryModule().orElseThrow(() -> new AssertionError("not a Memory Module record: " + r));
    }

    private static GeneralMediaEvent gm(EventRecord r) {
        return r.generalMedia().orElseThrow(() -> new AssertionError("not a General Media record: " + r));
    }

    private static void health(TestDevice t, HealthCondition... c) {
        t.inject(f -> f.setHealthStatus(c.length == 0 ? EnumSet.noneOf(HealthCondition.class) : EnumSet.of(c[0], c)));
    }

    private static SetAlertConfigRequest enable(AlertWarning w, int threshold) {
        return new SetAlertConfigRequest(w.bit(), w.bit(), w == AlertWarning.LIFE_USED ? threshold : 0,
                w == AlertWarning.OVER_TEMPERATURE ? threshold : 0, w == AlertWarning.UNDER_TEMPERATURE ? threshold : 0,
                w == AlertWarning.CORRECTED_VOLATILE ? threshold : 0,
                w == AlertWarning.CORRECTED_PERSISTENT ? threshold : 0);
    }

    private static SetAlertConfigRequest disable(AlertWarning w) {
        return new SetAlertConfigRequest(w.bit(), 0, 0, 0, 0, 0, 0);
    }

    // ---- media disabled, byte for byte

    @Test
    void mediaDisabled_aWarningHealthRecordAndAFailureMediaRecord_byteExact() {
        try (TestDevice t = open(dir)) {
            Events.setTimestamp(t, T0);
            t.advance(Duration.ofMillis(7));
            t.inject(FaultSet::setMediaDisabled);
            long ts = T0 + 7_000_000L;

            byte[] health = new byte[0x12];
            health[0x00] = 0x01; // maintenance needed
            health[0x01] = 0x01; // Not Ready
            health[0x04] = 25;   // 25 °C
            assertThat(Events.health(t, Cci.MAILBOX).encode()).containsExactly(health);

            ByteBuffer warning = ByteBuffer.allocate(0x80).order(ByteOrder.LITTLE_ENDIAN);
            warning.put(MM_UUID).put((byte) 0x80).put(new byte[] {0x09, 0, 0}).putShort((short) 1).putShort((short) 0)
                    .putLong(ts).put(new byte[0x10]).put((byte) 0x00).put(health);
            assertThat(rawRecords(t, EventLog.WARNING)).containsExactly(warning.array());

            ByteBuffer failure = ByteBuffer.allocate(0x80).order(ByteOrder.LITTLE_ENDIAN);
            failure.put(MM_UUID).put((byte) 0x80).put(new byte[] {0x0A, 0, 0}).putShort((short) 1).putShort((short) 0)
                    .putLong(ts).put(new byte[0x10]).put((byte) 0x01).put(health);
            assertThat(rawRecords(t, EventLog.FAILURE)).containsExactly(failure.array());
            assertThat(Events.records(t, EventLog.INFORMATIONAL)).isEmpty();
            assertThat(Events.records(t, EventLog.FATAL)).isEmpty();

            // clearing it: Not Ready -> Normal and a health bit falling add nothing
            t.inject(FaultSet::clear);
            assertThat(Events.allRecords(t)).hasSize(2);
            assertThat(Events.health(t, Cci.MCTP).encode()).containsExactly(new HealthInfo(0, 0,
                    HealthInfo.AdditionalStatus.ALL_NORMAL, 0, 25, 0, 0, 0).encode());
        }
    }

    @Test
    void recordsCarryTimestamp0_whileTheTimestampWasNeverSet() {
        try (TestDevice t = open(dir)) {
            t.advance(Duration.ofSeconds(3));
            t.inject(FaultSet::setMediaDisabled);
            assertThat(Events.allRecords(t)).extracting(EventRecord::timestamp).containsOnly(0L);
        }
    }

    // ---- health status

    @Test
    void healthStatus_bits013RisingAddOneWarning_bit2RisingOneFailure() {
        try (TestDevice t = open(dir)) {
            health(t, HealthCondition.PERFORMANCE, HealthCondition.CAPACITY);
            EventRecord w = only(t, EventLog.WARNING);
            assertThat(mm(w).deviceEventType()).isEqualTo(MemoryModuleEvent.HEALTH_STATUS_CHANGE);
            assertThat(mm(w).health().healthStatus()).isEqualTo(0x0A);
            assertThat(w.flags()).isEqualTo(0x01 | 0x10); // Warning; bit 4 copies performance degraded
            assertThat(Events.records(t, EventLog.FAILURE)).isEmpty();

            // replaced by replacement alone: bit 2 rises (bits 1 and 3 fall): one Failure
            health(t, HealthCondition.REPLACEMENT);
            EventRecord f = only(t, EventLog.FAILURE);
            assertThat(mm(f).deviceEventType()).isEqualTo(MemoryModuleEvent.HEALTH_STATUS_CHANGE);
            assertThat(f.flags()).isEqualTo(0x02 | 0x20);
            assertThat(Events.records(t, EventLog.WARNING)).hasSize(1);

            // all four at once from replacement alone: bits 0, 1, 3 rise: one Warning
            health(t, HealthCondition.values());
            assertThat(Events.records(t, EventLog.WARNING)).hasSize(2);
            assertThat(Events.records(t, EventLog.WARNING).get(1).flags()).isEqualTo(0x01 | 0x08 | 0x10 | 0x20);
            assertThat(Events.records(t, EventLog.FAILURE)).hasSize(1);

            // the same again: nothing rises
            health(t, HealthCondition.values());
            assertThat(Events.allRecords(t)).hasSize(3);
        }
    }

    @Test
    void healthStatus_fromNoneToAllFour_addsAWarningAndAFailure() {
        try (TestDevice t = open(dir)) {
            health(t, HealthCondition.values());
            assertThat(mm(only(t, EventLog.WARNING)).health().healthStatus()).isEqualTo(0x0F);
            assertThat(mm(only(t, EventLog.FAILURE)).health().healthStatus()).isEqualTo(0x0F);
            assertThat(only(t, EventLog.FAILURE).flags()).isEqualTo(0x02 | 0x08 | 0x10 | 0x20);
        }
    }

    // ---- media status

    @Test
    void mediaStatus_everyChangeAddsAFailure_butNotReadyToNormal() {
        try (TestDevice t = open(dir)) {
            t.inject(f -> f.setMediaStatus(FaultSet.MediaStatus.NORMAL));
            assertThat(Events.allRecords(t)).isEmpty();
            t.inject(f -> f.setMediaStatus(FaultSet.MediaStatus.DATA_LOST));
            EventRecord r = only(t, EventLog.FAILURE);
            assertThat(mm(r).deviceEventType()).isEqualTo(MemoryModuleEvent.MEDIA_STATUS_CHANGE);
            assertThat(mm(r).health().mediaStatus()).isEqualTo(0x03);
            assertThat(r.flags()).isEqualTo(0x02);
            t.inject(f -> f.setMediaStatus(FaultSet.MediaStatus.NOT_READY));
            assertThat(Events.records(t, EventLog.FAILURE)).hasSize(2);
            t.inject(f -> f.setMediaStatus(FaultSet.MediaStatus.NORMAL)); // Not Ready -> Normal: none
            assertThat(Events.records(t, EventLog.FAILURE)).hasSize(2);
            t.inject(f -> f.setMediaStatus(FaultSet.MediaStatus.DATA_LOSS_IMMINENT));
            t.inject(FaultSet::clear); // Data Loss Imminent -> Normal: a change
            List<EventRecord> all = Events.records(t, EventLog.FAILURE);
            assertThat(all).extracting(rec -> mm(rec).health().mediaStatus()).containsExactly(3, 1, 9, 0);
            assertThat(Events.allRecords(t)).hasSize(4);
        }
    }

    @Test
    void mediaDisabledWins_overTheMediaStatusFault() {
        try (TestDevice t = open(dir)) {
            t.inject(f -> f.setMediaStatus(FaultSet.MediaStatus.DATA_LOST));
            t.inject(FaultSet::setMediaDisabled); // Data Lost -> Not Ready: a Failure; bit 0 rises: a Warning
            assertThat(Events.records(t, EventLog.FAILURE)).extracting(r -> mm(r).health().mediaStatus())
                    .containsExactly(3, 1);
            assertThat(Events.records(t, EventLog.WARNING)).hasSize(1);
            assertThat(Events.health(t, Cci.MAILBOX).mediaStatus()).isEqualTo(HealthInfo.MEDIA_NOT_READY);
        }
    }

    // ---- life used

    @Test
    void lifeUsed_normalToWarning_aWarning_toCritical_aFailure_nothingBack() {
        try (TestDevice t = open(dir)) {
            t.inject(f -> f.setLifeUsed(39));
            assertThat(Events.allRecords(t)).isEmpty();
            t.inject(f -> f.setLifeUsed(40)); // the default warning, 40: reached
            EventRecord w = only(t, EventLog.WARNING);
            assertThat(mm(w).deviceEventType()).isEqualTo(MemoryModuleEvent.LIFE_USED_CHANGE);
            assertThat(mm(w).health().additionalStatus().lifeUsed()).isEqualTo(HealthInfo.AdditionalStatus.WARNING);
            assertThat(mm(w).health().lifeUsed()).isEqualTo(40);
            t.inject(f -> f.setLifeUsed(75)); // critical is above 75
            assertThat(Events.allRecords(t)).hasSize(1);
            t.inject(f -> f.setLifeUsed(76));
            EventRecord c = only(t, EventLog.FAILURE);
            assertThat(mm(c).deviceEventType()).isEqualTo(MemoryModuleEvent.LIFE_USED_CHANGE);
            assertThat(mm(c).health().additionalStatus().lifeUsed()).isEqualTo(HealthInfo.AdditionalStatus.CRITICAL);
            t.inject(f -> f.setLifeUsed(50)); // Critical -> Warning
            t.inject(f -> f.setLifeUsed(10)); // Warning -> Normal
            assertThat(Events.allRecords(t)).hasSize(2);
            t.inject(f -> f.setLifeUsed(100)); // Normal -> Critical
            assertThat(Events.records(t, EventLog.FAILURE)).hasSize(2);
            assertThat(Events.records(t, EventLog.WARNING)).hasSize(1);
        }
    }

    @Test
    void lifeUsed_withItsWarningDisabled_onlyCriticalCounts() {
        try (TestDevice t = open(dir)) {
            assertThat(Events.setAlerts(t, Cci.MAILBOX, disable(AlertWarning.LIFE_USED))).isZero();
            t.inject(f -> f.setLifeUsed(60));
            assertThat(Events.allRecords(t)).isEmpty();
            assertThat(Events.health(t, Cci.MAILBOX).additionalStatus().lifeUsed()).isZero();
            t.inject(f -> f.setLifeUsed(90));
            assertThat(only(t, EventLog.FAILURE).flags()).isEqualTo(0x02);
        }
    }

    @Test
    void lifeUsedCritical_isTheDevicesSetting() {
        try (TestDevice t = TestDevice.builder(dir).instant()
                .config(c -> c.criticalThresholds(io.cxlkit.device.config.CriticalThresholds.DEFAULTS.withLifeUsed(50)))
                .open()) {
            t.inject(f -> f.setLifeUsed(50));
            assertThat(only(t, EventLog.WARNING)).isNotNull();
            t.inject(f -> f.setLifeUsed(51));
            assertThat(mm(only(t, EventLog.FAILURE)).health().additionalStatus().lifeUsed())
                    .isEqualTo(HealthInfo.AdditionalStatus.CRITICAL);
        }
    }

    // ---- temperature

    @Test
    void temperature_warningCriticalAndBackToNormal_withTheirLogs() {
        try (TestDevice t = open(dir)) {
            t.inject(f -> f.setTemperature(74));
            assertThat(Events.allRecords(t)).isEmpty();
            t.inject(f -> f.setTemperature(75)); // over warning 75
            assertThat(mm(only(t, EventLog.WARNING)).deviceEventType()).isEqualTo(MemoryModuleEvent.TEMPERATURE_CHANGE);
            t.inject(f -> f.setTemperature(85)); // over critical 85
            assertThat(mm(only(t, EventLog.FAILURE)).health().temperature()).isEqualTo(85);
            t.inject(f -> f.setTemperature(30)); // Critical -> Normal
            EventRecord back = only(t, EventLog.INFORMATIONAL);
            assertThat(mm(back).deviceEventType()).isEqualTo(MemoryModuleEvent.TEMPERATURE_CHANGE);
            assertThat(back.flags()).isZero();
            t.inject(f -> f.setTemperature(5)); // under warning 5
            assertThat(Events.records(t, EventLog.WARNING)).hasSize(2);
            t.inject(f -> f.setTemperature(0)); // under critical 0
            assertThat(Events.records(t, EventLog.FAILURE)).hasSize(2);
            t.inject(f -> f.setTemperature(80)); // Critical -> Warning: nothing
            assertThat(Events.allRecords(t)).hasSize(5);
            t.inject(f -> f.setTemperature(-40)); // Warning -> Critical
            assertThat(Events.records(t, EventLog.FAILURE)).hasSize(3);
            assertThat(mm(Events.records(t, EventLog.FAILURE).get(2)).health().temperature()).isEqualTo(-40);
            t.inject(FaultSet::clear); // back to 25: Critical -> Normal
            assertThat(Events.records(t, EventLog.INFORMATIONAL)).hasSize(2);
            assertThat(Events.allRecords(t)).hasSize(7);
        }
    }

    @Test
    void temperature_negativeValuesAreTwosComplementInTheBody() {
        try (TestDevice t = open(dir)) {
            t.inject(f -> f.setTemperature(-5));
            byte[] raw = rawRecords(t, EventLog.FAILURE);
            assertThat(raw).hasSize(0x80);
            assertThat(ByteBuffer.wrap(raw, 0x31 + 4, 2).order(ByteOrder.LITTLE_ENDIAN).getShort()).isEqualTo((short) -5);
            assertThat(raw[0x31 + 4]).isEqualTo((byte) 0xFB);
            assertThat(raw[0x31 + 5]).isEqualTo((byte) 0xFF);
        }
    }

    // ---- corrected errors

    @Test
    void correctedErrors_withTheWarningDisabled_oneInformationalRecordEach_byteExact() {
        try (TestDevice t = open(dir)) {
            Events.setTimestamp(t, T0);
            t.device().injectCorrectedErrors(0x1043, 3); // persistent capacity; the line 0x1040
            byte[] raw = rawRecords(t, EventLog.INFORMATIONAL);
            assertThat(raw).hasSize(3 * 0x80);
            for (int i = 0; i < 3; i++) {
                ByteBuffer expected = ByteBuffer.allocate(0x80).order(ByteOrder.LITTLE_ENDIAN);
                expected.put(GM_UUID).put((byte) 0x80).put(new byte[3]).putShort((short) (i + 1)).putShort((short) 0)
                        .putLong(T0).put(new byte[0x10]).putLong(0x1040).put((byte) 0).put((byte) 0).put((byte) 0);
                assertThat(Arrays.copyOfRange(raw, i * 0x80, (i + 1) * 0x80)).as("record %d", i)
                        .containsExactly(expected.array());
            }
            assertThat(Events.health(t, Cci.MAILBOX).correctedPersistentErrorCount()).isEqualTo(3);
            assertThat(Events.health(t, Cci.MAILBOX).correctedVolatileErrorCount()).isZero();
        }
    }

    @Test
    void correctedErrors_inVolatileCapacity_setPhysicalAddressBit0() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.volatileCapacity(256L << 20)).open()) {
            t.device().injectCorrectedErrors(0x80, 1);
            t.device().injectCorrectedErrors((256L << 20) - 1, 1); // the last volatile byte
            t.device().injectCorrectedErrors(256L << 20, 1);       // the first persistent byte
            assertThat(Events.records(t, EventLog.INFORMATIONAL)).extracting(r -> gm(r))
                    .containsExactly(new GeneralMediaEvent(0x80, true, 0, 0, 0),
                            new GeneralMediaEvent((256L << 20) - 64, true, 0, 0, 0),
                            new GeneralMediaEvent(256L << 20, false, 0, 0, 0));
            byte[] raw = rawRecords(t, EventLog.INFORMATIONAL);
            assertThat(ByteBuffer.wrap(raw, 0x30, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(0x81);
            HealthInfo h = Events.health(t, Cci.MAILBOX);
            assertThat(h.correctedVolatileErrorCount()).isEqualTo(2);
            assertThat(h.correctedPersistentErrorCount()).isEqualTo(1);
        }
    }

    @Test
    void correctedErrors_withTheWarningEnabled_noRecordEach_oneWarningWhenTheThresholdIsReached() {
        try (TestDevice t = open(dir)) {
            t.device().injectCorrectedErrors(0x2000, 2);
            Events.clearAll(t);
            assertThat(Events.setAlerts(t, Cci.MAILBOX, enable(AlertWarning.CORRECTED_PERSISTENT, 5))).isZero();
            assertThat(Events.allRecords(t)).isEmpty();
            t.device().injectCorrectedErrors(0x3000, 2); // 4 < 5
            assertThat(Events.allRecords(t)).isEmpty();
            t.device().injectCorrectedErrors(0x4000, 1); // 5: reached
            EventRecord r = only(t, EventLog.WARNING);
            assertThat(gm(r)).isEqualTo(new GeneralMediaEvent(0x4000, false, GeneralMediaEvent.THRESHOLD, 0, 0));
            assertThat(r.flags()).isEqualTo(0x01);
            assertThat(Events.health(t, Cci.MAILBOX).additionalStatus().correctedPersistentWarning()).isTrue();
            t.device().injectCorrectedErrors(0x5000, 10);
            assertThat(Events.allRecords(t)).hasSize(1);
            // disabled again: each error is recorded again; re-enabled past the count: a second Warning
            assertThat(Events.setAlerts(t, Cci.MCTP, disable(AlertWarning.CORRECTED_PERSISTENT))).isZero();
            assertThat(Events.health(t, Cci.MAILBOX).additionalStatus().correctedPersistentWarning()).isFalse();
            t.device().injectCorrectedErrors(0x6000, 1);
            assertThat(Events.records(t, EventLog.INFORMATIONAL)).hasSize(1);
            assertThat(Events.setAlerts(t, Cci.MCTP, enable(AlertWarning.CORRECTED_PERSISTENT, 16))).isZero();
            assertThat(Events.records(t, EventLog.WARNING)).extracting(rec -> gm(rec).dpa())
                    .containsExactly(0x4000L, 0x6000L);
        }
    }

    @Test
    void correctedWarning_reachedWithoutAnyError_carriesPhysicalAddress0_evenForTheVolatilePartition() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.volatileCapacity(256L << 20)).open()) {
            assertThat(Events.setAlerts(t, Cci.MAILBOX, enable(AlertWarning.CORRECTED_VOLATILE, 0))).isZero();
            assertThat(Events.setAlerts(t, Cci.MAILBOX, enable(AlertWarning.CORRECTED_PERSISTENT, 0))).isZero();
            assertThat(Events.records(t, EventLog.WARNING)).extracting(r -> gm(r)).containsExactly(
                    new GeneralMediaEvent(0, false, GeneralMediaEvent.THRESHOLD, 0, 0),
                    new GeneralMediaEvent(0, false, GeneralMediaEvent.THRESHOLD, 0, 0));
            // "0 if none" is the whole Physical Address field: bit 0 (volatile) clear too
            assertThat(Events.records(t, EventLog.WARNING).get(0).data()).startsWith(new byte[8]);
        }
    }

    @Test
    void correctedCounts_saturateAtFFFFFFFFh_andTheRecordsOverflowTheLog() {
        try (TestDevice t = open(dir)) {
            t.device().injectCorrectedErrors(0, 0xFFFF_FFFFL);
            t.device().injectCorrectedErrors(0, 5);
            assertThat(Events.health(t, Cci.MAILBOX).correctedPersistentErrorCount()).isEqualTo(0xFFFF_FFFFL);
            var r = Events.get(t, Cci.MAILBOX, EventLog.INFORMATIONAL);
            assertThat(r.records()).hasSize(8);
            assertThat(r.overflowErrorCount()).isEqualTo(0xFFFF);
        }
    }

    // ---- Set Alert Configuration re-evaluates at once

    @Test
    void setAlertConfiguration_aWarningAlreadyMet_addsItsRecordAtOnce() {
        try (TestDevice t = open(dir)) {
            t.inject(f -> f.setLifeUsed(30));
            t.inject(f -> f.setTemperature(60));
            assertThat(Events.allRecords(t)).isEmpty();
            assertThat(Events.setAlerts(t, Cci.MCTP, enable(AlertWarning.LIFE_USED, 30))).isZero();
            assertThat(mm(only(t, EventLog.WARNING)).deviceEventType()).isEqualTo(MemoryModuleEvent.LIFE_USED_CHANGE);
            assertThat(Events.setAlerts(t, Cci.MAILBOX, enable(AlertWarning.OVER_TEMPERATURE, 60))).isZero();
            assertThat(Events.records(t, EventLog.WARNING)).extracting(r -> mm(r).deviceEventType())
                    .containsExactly(MemoryModuleEvent.LIFE_USED_CHANGE, MemoryModuleEvent.TEMPERATURE_CHANGE);
            // disabling the temperature warning: Warning -> Normal, an Informational record
            assertThat(Events.setAlerts(t, Cci.MAILBOX, disable(AlertWarning.OVER_TEMPERATURE))).isZero();
            assertThat(mm(only(t, EventLog.INFORMATIONAL)).deviceEventType())
                    .isEqualTo(MemoryModuleEvent.TEMPERATURE_CHANGE);
            // a refused Set changes nothing and adds nothing
            assertThat(rc(Events.setAlerts(t, Cci.MAILBOX, enable(AlertWarning.OVER_TEMPERATURE, 85)))).isEqualTo("0002h");
            assertThat(Events.allRecords(t)).hasSize(3);
        }
    }

    // ---- flags, order, one change

    @Test
    void flags_copyHealthBits0To2OnNonInformationalRecordsOnly() {
        try (TestDevice t = open(dir)) {
            health(t, HealthCondition.CAPACITY, HealthCondition.REPLACEMENT, HealthCondition.MAINTENANCE);
            Events.clearAll(t);
            t.inject(f -> f.setTemperature(90)); // Failure: bits 3 and 5 (maintenance, replacement), not capacity
            assertThat(only(t, EventLog.FAILURE).flags()).isEqualTo(0x02 | 0x08 | 0x20);
            t.inject(f -> f.setTemperature(20)); // Informational: 0
            assertThat(only(t, EventLog.INFORMATIONAL).flags()).isZero();
            t.device().injectCorrectedErrors(0, 1);
            assertThat(Events.records(t, EventLog.INFORMATIONAL).get(1).flags()).isZero();
        }
    }

    @Test
    void oneChangeWithSeveralTransitions_addsTheirRecordsInTheTablesOrder() {
        try (TestDevice t = open(dir)) {
            Events.setTimestamp(t, T0);
            t.inject(f -> {
                f.setTemperature(100);
                f.setLifeUsed(80);
                f.setMediaDisabled();
                f.setHealthStatus(Set.of(HealthCondition.REPLACEMENT));
            });
            List<EventRecord> failures = Events.records(t, EventLog.FAILURE);
            assertThat(failures).extracting(r -> mm(r).deviceEventType()).containsExactly(
                    MemoryModuleEvent.HEALTH_STATUS_CHANGE, MemoryModuleEvent.MEDIA_STATUS_CHANGE,
                    MemoryModuleEvent.LIFE_USED_CHANGE, MemoryModuleEvent.TEMPERATURE_CHANGE);
            assertThat(failures).extracting(EventRecord::handle).containsExactly(1, 2, 3, 4);
            assertThat(mm(only(t, EventLog.WARNING)).deviceEventType()).isEqualTo(MemoryModuleEvent.HEALTH_STATUS_CHANGE);
            // every body is the health after the whole change, as Get Health Info reads it
            HealthInfo after = Events.health(t, Cci.MAILBOX);
            assertThat(failures).extracting(r -> mm(r).health()).containsOnly(after);
            assertThat(after.healthStatus()).isEqualTo(0x05);
            assertThat(failures).extracting(EventRecord::flags).containsOnly(0x02 | 0x08 | 0x20);
            assertThat(failures).extracting(EventRecord::timestamp).containsOnly(T0);
        }
    }

    // ---- resets add nothing

    @Test
    void aColdResetOrARestartAddsNoRecordForWhatItClears() {
        try (TestDevice t = open(dir)) {
            t.inject(f -> {
                f.setTemperature(100);
                f.setMediaDisabled();
            });
            assertThat(Events.setAlerts(t, Cci.MAILBOX, enable(AlertWarning.CORRECTED_PERSISTENT, 0))).isZero();
            t.coldReset();
            assertThat(Events.allRecords(t)).isEmpty();
            // the statuses were taken afresh: a later change compares with the reset's state
            t.inject(f -> f.setTemperature(25));
            assertThat(Events.allRecords(t)).isEmpty();
            t.inject(f -> f.setTemperature(90));
            assertThat(Events.records(t, EventLog.FAILURE)).hasSize(1);
            t.reopen();
            assertThat(Events.allRecords(t)).isEmpty();
            t.inject(f -> f.setTemperature(90));
            assertThat(Events.records(t, EventLog.FAILURE)).hasSize(1);
        }
    }

    @Test
    void commandsThatChangeNoStatusAddNothing() {
        try (TestDevice t = open(dir)) {
            for (CommandId id : List.of(CommandId.GET_HEALTH_INFO, CommandId.GET_ALERT_CONFIGURATION,
                    CommandId.GET_SHUTDOWN_STATE, CommandId.IDENTIFY_MEMORY_DEVICE, CommandId.GET_FW_INFO)) {
                t.send(Cci.MAILBOX, id);
            }
            t.send(Cci.MAILBOX, CommandId.SET_SHUTDOWN_STATE, new byte[] {1});
            t.inject(FaultSet::setLatePart);
            t.inject(FaultSet::setGpfFail);
            assertThat(Events.allRecords(t)).isEmpty();
        }
    }
}
