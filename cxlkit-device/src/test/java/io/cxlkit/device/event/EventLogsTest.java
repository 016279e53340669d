package io.cxlkit.device.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.GeneralMediaEvent;
import io.cxlkit.protocol.payload.GetEventRecordsResponse;
import io.cxlkit.protocol.regs.EventStatus;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The four logs' bookkeeping (docs/events-and-health.md "Event logs"): handles, capacity, overflow, clearing. */
class EventLogsTest {

    private final AtomicLong now = new AtomicLong(1000);

    private static GeneralMediaEvent gm(long dpa) {
        return new GeneralMediaEvent(dpa, false, 0, 0, 0);
    }

    private static List<Integer> handles(List<EventRecord> records) {
        return records.stream().map(EventRecord::handle).toList();
    }

    @Test
    void handlesCountPerLogFrom1_andRecordsCarryTheLogAsSeverityAndTheTimestamp() {
        EventLogs logs = new EventLogs(8, now::get);
        logs.add(EventLog.WARNING, gm(0), 0x08, 1);
        now.set(2000);
        logs.add(EventLog.WARNING, gm(64), 0, 1);
        logs.add(EventLog.FAILURE, gm(128), 0, 1);
        assertThat(handles(logs.records(EventLog.WARNING))).containsExactly(1, 2);
        assertThat(handles(logs.records(EventLog.FAILURE))).containsExactly(1);
        assertThat(logs.records(EventLog.INFORMATIONAL)).isEmpty();
        EventRecord first = logs.records(EventLog.WARNING).get(0);
        assertThat(first.flags()).isEqualTo(0x08 | 0x01);
        assertThat(first.timestamp()).isEqualTo(1000);
        assertThat(first.relatedHandle()).isZero();
        assertThat(first.generalMedia()).contains(gm(0));
        assertThat(logs.records(EventLog.WARNING).get(1).timestamp()).isEqualTo(2000);
        assertThat(logs.records(EventLog.FAILURE).get(0).flags()).isEqualTo(0x02);
    }

    @Test
    void aGivenSeverityInTheFlagsIsReplacedByTheLogs() {
        EventLogs logs = new EventLogs(8, now::get);
        logs.add(EventLog.INFORMATIONAL, gm(0), 0x03, 1);
        assertThat(logs.records(EventLog.INFORMATIONAL).get(0).flags()).isZero();
    }

    @Test
    void handlesWrapFromFFFFhTo0001h() {
        EventLogs logs = new EventLogs(1, now::get);
        for (int i = 1; i <= 0xFFFF; i++) {
            logs.add(EventLog.FATAL, gm(0), 0, 1);
            assertThat(logs.clear(EventLog.FATAL, false, List.of(i))).isEqualTo(ReturnCode.SUCCESS);
        }
        logs.add(EventLog.FATAL, gm(0), 0, 1);
        assertThat(handles(logs.records(EventLog.FATAL))).containsExactly(1);
    }

    @Test
    void aFullLogDropsTheRecord_countsIt_andTimesTheFirstAndLastDrop() {
        EventLogs logs = new EventLogs(2, now::get);
        logs.add(EventLog.INFORMATIONAL, gm(0), 0, 2);
        assertThat(logs.read(EventLog.INFORMATIONAL, 10).overflow()).isFalse();
        now.set(5000);
        logs.add(EventLog.INFORMATIONAL, gm(64), 0, 1);
        now.set(6000);
        logs.add(EventLog.INFORMATIONAL, gm(128), 0, 3);
        GetEventRecordsResponse r = logs.read(EventLog.INFORMATIONAL, 10);
        assertThat(r.overflow()).isTrue();
        assertThat(r.overflowErrorCount()).isEqualTo(4);
        assertThat(r.firstOverflowTimestamp()).isEqualTo(5000);
        assertThat(r.lastOverflowTimestamp()).isEqualTo(6000);
        // the records kept are the first two, with their handles; dropped records take no handle
        assertThat(handles(r.records())).containsExactly(1, 2);
        assertThat(r.records()).extracting(rec -> rec.generalMedia().orElseThrow().dpa()).containsExactly(0L, 0L);
        // another log is untouched
        assertThat(logs.read(EventLog.WARNING, 10).overflow()).isFalse();
        logs.clear(EventLog.INFORMATIONAL, false, List.of(1));
        logs.add(EventLog.INFORMATIONAL, gm(192), 0, 1);
        assertThat(handles(logs.records(EventLog.INFORMATIONAL))).containsExactly(2, 3);
    }

    @Test
    void theOverflowCountSaturatesAtFFFFh_andHugeCountsBuildOnlyWhatFits() {
        EventLogs logs = new EventLogs(3, now::get);
        logs.add(EventLog.WARNING, gm(0), 0, 0xFFFF_FFFFL);
        GetEventRecordsResponse r = logs.read(EventLog.WARNING, 10);
        assertThat(r.records()).hasSize(3);
        assertThat(r.overflowErrorCount()).isEqualTo(0xFFFF);
        logs.add(EventLog.WARNING, gm(0), 0, 1);
        assertThat(logs.read(EventLog.WARNING, 10).overflowErrorCount()).isEqualTo(0xFFFF);
    }

    @Test
    void readReturnsAtMostTheGivenNumberOldestFirst_withMore_andRemovesNothing() {
        EventLogs logs = new EventLogs(8, now::get);
        for (int i = 0; i < 5; i++) {
            logs.add(EventLog.FAILURE, gm(64L * i), 0, 1);
        }
        GetEventRecordsResponse two = logs.read(EventLog.FAILURE, 2);
        assertThat(handles(two.records())).containsExactly(1, 2);
        assertThat(two.moreRecords()).isTrue();
        GetEventRecordsResponse all = logs.read(EventLog.FAILURE, 5);
        assertThat(handles(all.records())).containsExactly(1, 2, 3, 4, 5);
        assertThat(all.moreRecords()).isFalse();
        assertThat(logs.read(EventLog.FAILURE, 0).moreRecords()).isTrue();
        assertThat(logs.read(EventLog.INFORMATIONAL, 0).moreRecords()).isFalse();
        // without overflow the overflow fields read 0
        assertThat(all.overflowErrorCount()).isZero();
        assertThat(all.firstOverflowTimestamp()).isZero();
        assertThat(all.lastOverflowTimestamp()).isZero();
    }

    @Test
    void clear_checksInOrder_andAFailureClearsNothing() {
        EventLogs logs = new EventLogs(2, now::get);
        logs.add(EventLog.WARNING, gm(0), 0, 2);
        // 2. Clear All with handles (even on an overflowed log)
        logs.add(EventLog.WARNING, gm(0), 0, 1);
        assertThat(logs.clear(EventLog.WARNING, true, List.of(1))).isEqualTo(ReturnCode.INVALID_INPUT);
        // 3. Clear All while the log has not overflowed
        logs.add(EventLog.FAILURE, gm(0), 0, 1);
        assertThat(logs.clear(EventLog.FAILURE, true, List.of())).isEqualTo(ReturnCode.INVALID_INPUT);
        // 4. handles that are not exactly the oldest ones, oldest first
        for (List<Integer> bad : List.of(List.of(2), List.of(0), List.of(2, 1), List.of(1, 1), List.of(1, 2, 3),
                List.of(7))) {
            assertThat(logs.clear(EventLog.WARNING, false, bad)).as("%s", bad).isEqualTo(ReturnCode.INVALID_HANDLE);
        }
        assertThat(logs.clear(EventLog.INFORMATIONAL, false, List.of(1))).isEqualTo(ReturnCode.INVALID_HANDLE);
        assertThat(handles(logs.records(EventLog.WARNING))).containsExactly(1, 2);
        assertThat(logs.read(EventLog.WARNING, 9).overflow()).isTrue();
        assertThat(handles(logs.records(EventLog.FAILURE))).containsExactly(1);
        // N = 0 without Clear All: success, nothing changes (the overflow stays)
        assertThat(logs.clear(EventLog.WARNING, false, List.of())).isEqualTo(ReturnCode.SUCCESS);
        assertThat(logs.read(EventLog.WARNING, 9).overflow()).isTrue();
        assertThat(handles(logs.records(EventLog.WARNING))).containsExactly(1, 2);
    }

    @Test
    void clearingOneRecordClearsTheOverflow_andClearAllEmptiesAnOverflowedLog() {
        EventLogs logs = new EventLogs(2, now::get);
        logs.add(EventLog.WARNING, gm(0), 0, 3);
        assertThat(logs.clear(EventLog.WARNING, false, List.of(1))).isEqualTo(ReturnCode.SUCCESS);
        GetEventRecordsResponse r = logs.read(EventLog.WARNING, 9);
        assertThat(r.overflow()).isFalse();
        assertThat(r.overflowErrorCount()).isZero();
        assertThat(r.firstOverflowTimestamp()).isZero();
        assertThat(handles(r.records())).containsExactly(2);

        logs.add(EventLog.WARNING, gm(0), 0, 5);
        assertThat(logs.read(EventLog.WARNING, 9).overflowErrorCount()).isEqualTo(4);
        assertThat(logs.clear(EventLog.WARNING, true, List.of())).isEqualTo(ReturnCode.SUCCESS);
        assertThat(logs.records(EventLog.WARNING)).isEmpty();
        assertThat(logs.read(EventLog.WARNING, 9).overflow()).isFalse();
        // handles go on counting
        logs.add(EventLog.WARNING, gm(0), 0, 1);
        assertThat(handles(logs.records(EventLog.WARNING))).containsExactly(4);
    }

    @Test
    void statusHasBitIWhileLogIHoldsARecord_andClearEmptiesEverythingAndRestartsHandles() {
        EventLogs logs = new EventLogs(4, now::get);
        assertThat(logs.status()).isEqualTo(EventStatus.NONE);
        logs.add(EventLog.INFORMATIONAL, gm(0), 0, 1);
        logs.add(EventLog.FAILURE, gm(0), 0, 5);
        assertThat(logs.status().toRaw()).isEqualTo(0b0101);
        assertThat(logs.status()).isEqualTo(new EventStatus(Set.of(EventLog.INFORMATIONAL, EventLog.FAILURE)));
        logs.clear();
        assertThat(logs.status()).isEqualTo(EventStatus.NONE);
        assertThat(logs.read(EventLog.FAILURE, 9).overflow()).isFalse();
        logs.add(EventLog.FAILURE, gm(0), 0, 1);
        assertThat(handles(logs.records(EventLog.FAILURE))).containsExactly(1);
    }

    @Test
    void capacityMustBePositive_andCopiesAtLeastOne() {
        assertThatThrownBy(() -> new EventLogs(0, now::get)).isInstanceOf(IllegalArgumentException.class);
        EventLogs logs = new EventLogs(1, now::get);
        assertThatThrownBy(() -> logs.add(EventLog.FATAL, gm(0), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
