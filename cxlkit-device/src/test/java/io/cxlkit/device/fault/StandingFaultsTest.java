package io.cxlkit.device.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.testing.Events;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.HealthInfo;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standing health faults ({@code life-used}, {@code temperature}, {@code health-status},
 * {@code media-status}, {@code gpf-fail}) and the one-shot {@code corrected-error}
 * (docs/events-and-health.md "Faults").
 */
class StandingFaultsTest {

    @TempDir
    Path dir;

    @Test
    void eachIsListed_inTheTablesOrder_afterMediaDisabled() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.inject(f -> {
                f.setGpfFail();
                f.setMediaStatus(FaultSet.MediaStatus.POWERLOSS_PERSISTENCE_LOSS);
                f.setHealthStatus(EnumSet.of(FaultSet.HealthCondition.CAPACITY, FaultSet.HealthCondition.MAINTENANCE));
                f.setTemperature(-7);
                f.setLifeUsed(12);
                f.setMediaDisabled();
                f.setLatePart();
            });
            assertThat(t.device().faults()).containsExactly("media-disabled", "life-used=12", "temperature=-7",
                    "health-status=maintenance,capacity", "media-status=powerloss-persistence-loss", "gpf-fail",
                    "late-part");
        }
    }

    @Test
    void aSecondValueReplacesTheFirst() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.inject(f -> f.setHealthStatus(EnumSet.of(FaultSet.HealthCondition.PERFORMANCE)));
            t.inject(f -> f.setHealthStatus(EnumSet.of(FaultSet.HealthCondition.REPLACEMENT)));
            t.inject(f -> f.setLifeUsed(1));
            t.inject(f -> f.setLifeUsed(2));
            assertThat(t.device().faults()).containsExactly("life-used=2", "health-status=replacement");
            assertThat(Events.health(t, Cci.MAILBOX).healthStatus()).isEqualTo(HealthInfo.HW_REPLACEMENT_NEEDED);
        }
    }

    @Test
    void clearedByClear_aColdReset_andARestart_andNeverPersisted() {
        try (TestDevice t = TestDevice.instant(dir)) {
            Runnable all = () -> t.inject(f -> {
                f.setLifeUsed(90);
                f.setTemperature(100);
                f.setHealthStatus(Set.of(FaultSet.HealthCondition.values()));
                f.setMediaStatus(FaultSet.MediaStatus.DATA_LOST);
                f.setGpfFail();
            });
            HealthInfo clean = Events.health(t, Cci.MAILBOX);
            all.run();
            assertThat(Events.health(t, Cci.MAILBOX)).isNotEqualTo(clean);
            t.inject(FaultSet::clear);
            assertThat(t.device().faults()).isEmpty();
            assertThat(Events.health(t, Cci.MAILBOX)).isEqualTo(clean);
            all.run();
            t.coldReset();
            assertThat(t.device().faults()).isEmpty();
            all.run();
            t.reopen();
            assertThat(t.device().faults()).isEmpty();
            // the gpf-fail of the restart's power-off made it dirty, and the power-on counted it
            assertThat(Events.health(t, Cci.MAILBOX).dirtyShutdownCount()).isEqualTo(2);
            assertThat(Events.health(t, Cci.MAILBOX)).isEqualTo(new HealthInfo(0, 0,
                    HealthInfo.AdditionalStatus.ALL_NORMAL, 0, 25, 2, 0, 0));
        }
    }

    @Test
    void valuesOutsideTheirRangesAreRefused_andChangeNothing() {
        FaultSet f = new FaultSet();
        assertThatThrownBy(() -> f.setLifeUsed(101)).hasMessage("life-used must be 0..100, not 101");
        assertThatThrownBy(() -> f.setLifeUsed(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.setTemperature(32768)).hasMessage("temperature must be -32768..32767, not 32768");
        assertThatThrownBy(() -> f.setTemperature(-32769)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.setHealthStatus(Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(f.isEmpty()).isTrue();
        f.setLifeUsed(0);
        f.setLifeUsed(100);
        f.setTemperature(-32768);
        f.setTemperature(32767);
        assertThat(f.lifeUsed()).hasValue(100);
        assertThat(f.temperature()).hasValue(32767);
        assertThat(f.isEmpty()).isFalse();
    }

    @Test
    void labels_parseAsTheCliWritesThem() {
        assertThat(FaultSet.HealthCondition.parseList("maintenance")).containsExactly(FaultSet.HealthCondition.MAINTENANCE);
        assertThat(FaultSet.HealthCondition.parseList("capacity,performance,capacity"))
                .containsExactlyInAnyOrder(FaultSet.HealthCondition.CAPACITY, FaultSet.HealthCondition.PERFORMANCE);
        assertThatThrownBy(() -> FaultSet.HealthCondition.parseList("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultSet.HealthCondition.parseList("maintenance,")).hasMessage(
                "health-status takes a comma-separated list of maintenance, performance, replacement and capacity, "
                        + "not ''");
        assertThatThrownBy(() -> FaultSet.HealthCondition.parseList("broken")).isInstanceOf(IllegalArgumentException.class);
        String[] names = {"normal", "not-ready", "persistence-lost", "data-lost", "powerloss-persistence-loss",
                "shutdown-persistence-loss", "persistence-loss-imminent", "powerloss-data-loss", "shutdown-data-loss",
                "data-loss-imminent"};
        for (int i = 0; i < names.length; i++) {
            assertThat(FaultSet.MediaStatus.fromLabel(names[i]).value()).isEqualTo(i);
            assertThat(FaultSet.MediaStatus.fromLabel(names[i]).label()).isEqualTo(names[i]);
        }
        assertThatThrownBy(() -> FaultSet.MediaStatus.fromLabel("fine")).hasMessageStartingWith(
                "media-status takes one of normal, not-ready, ");
    }

    @Test
    void correctedError_isNotListed_andClearDoesNotUndoIt() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.device().injectCorrectedErrors(0x40, 2);
            assertThat(t.device().faults()).isEmpty();
            t.inject(FaultSet::clear);
            assertThat(Events.health(t, Cci.MAILBOX).correctedPersistentErrorCount()).isEqualTo(2);
            assertThat(Events.records(t, EventLog.INFORMATIONAL)).hasSize(2);
        }
    }

    @Test
    void correctedError_aDpaOutsideTheDevice_orABadCount_isRefused_andChangesNothing() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.volatileCapacity(256L << 20)).open()) {
            long total = (1L << 30) + (256L << 20);
            assertThatThrownBy(() -> t.device().injectCorrectedErrors(total, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("DPA 0x50000000 is outside mem0 (0x0..0x4fffffff)");
            assertThatThrownBy(() -> t.device().injectCorrectedErrors(-1, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> t.device().injectCorrectedErrors(Long.MAX_VALUE, 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> t.device().injectCorrectedErrors(0, 0)).hasMessage(
                    "count must be 1..4294967295, not 0");
            assertThatThrownBy(() -> t.device().injectCorrectedErrors(0, 1L << 32))
                    .isInstanceOf(IllegalArgumentException.class);
            HealthInfo h = Events.health(t, Cci.MAILBOX);
            assertThat(h.correctedVolatileErrorCount()).isZero();
            assertThat(h.correctedPersistentErrorCount()).isZero();
            assertThat(Events.allRecords(t)).isEmpty();
            t.device().injectCorrectedErrors(total - 1, 1);
            assertThat(Events.health(t, Cci.MAILBOX).correctedPersistentErrorCount()).isEqualTo(1);
        }
    }

    @Test
    void settingAFaultReevaluatesTheStatusesAtOnce() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.inject(f -> f.setLifeUsed(80));
            assertThat(Events.records(t, EventLog.FAILURE)).hasSize(1);
            assertThat(Events.eventStatus(t).has(EventLog.FAILURE)).isTrue();
        }
    }

    @Test
    void parseDpa_decimalOr0xHexadecimal() {
        assertThat(FaultSet.parseDpa("0")).isZero();
        assertThat(FaultSet.parseDpa("4096")).isEqualTo(4096);
        assertThat(FaultSet.parseDpa("0x1000")).isEqualTo(4096);
        assertThat(FaultSet.parseDpa("0X1f")).isEqualTo(31);
        assertThat(FaultSet.parseDpa("0x7fffffffffffffff")).isEqualTo(Long.MAX_VALUE);
        for (String bad : new String[] {"", "x", "-1", "+1", "0x", "0x-1", "0x+1", "0X+40", "0X-1", " 64", "64 ", "1000h",
                "0x8000000000000000", "1e3", "0b101"}) {
            assertThatThrownBy(() -> FaultSet.parseDpa(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a DPA (decimal, or hexadecimal with 0x)");
        }
    }
}
