package io.cxlkit.device.event;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.Events;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.ClearEventRecordsRequest;
import io.cxlkit.protocol.payload.EventInterruptPolicy;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.GetEventRecordsResponse;
import io.cxlkit.protocol.regs.EventStatus;
import io.cxlkit.protocol.regs.RegisterMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Get/Clear Event Records (0100h, 0101h), Get/Set Event Interrupt Policy (0102h, 0103h) and the Event
 * Status register through the device's CCIs (docs/events-and-health.md "Event logs").
 */
class EventCommandsTest {

    @TempDir
    Path dir;

    /** {@code n} Informational records: corrected errors in persistent capacity, whose warning is off by default. */
    private static void informational(TestDevice t, int n) {
        t.device().injectCorrectedErrors(0x1000, n);
    }

    private static byte[] clear(int log, int flags, int... handles) {
        ByteBuffer b = ByteBuffer.allocate(6 + 2 * handles.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) log).put((byte) flags).put((byte) handles.length).position(6);
        for (int h : handles) {
            b.putShort((short) h);
        }
        return b.array();
    }

    private static List<Integer> handles(TestDevice t, EventLog log) {
        return Events.records(t, log).stream().map(EventRecord::handle).toList();
    }

    // ---- Get Event Records

    @ParameterizedTest
    @EnumSource(Cci.class)
    void get_anEmptyLog_is20hBytesOfZeros(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            for (EventLog l : EventLog.values()) {
                TestDevice.Reply r = t.send(cci, CommandId.GET_EVENT_RECORDS, new byte[] {(byte) l.value()});
                assertThat(rc(r.returnCode())).isEqualTo("0000h");
                assertThat(r.output()).containsExactly(new byte[0x20]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void get_aLogAbove03h_0002h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            informational(t, 1);
            for (int log : new int[] {0x04, 0x05, 0x80, 0xFF}) {
                TestDevice.Reply r = t.send(cci, CommandId.GET_EVENT_RECORDS, new byte[] {(byte) log});
                assertThat(rc(r.returnCode())).as("log %02Xh", log).isEqualTo("0002h");
                assertThat(r.output()).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void get_inputOtherThanOneByte_0016h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.send(cci, CommandId.GET_EVENT_RECORDS, new byte[0]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.GET_EVENT_RECORDS, new byte[2]).returnCode())).isEqualTo("0016h");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void get_returnsTheRecordsOldestFirst_byteExactHeader_andReadingRemovesNothing(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            informational(t, 3);
            TestDevice.Reply r = t.send(cci, CommandId.GET_EVENT_RECORDS, new byte[] {0});
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).hasSize(0x20 + 3 * 0x80);
            // flags 0, reserved, overflow count 0, timestamps 0, count 3, reserved
            byte[] header = new byte[0x20];
            header[0x14] = 3;
            assertThat(Arrays.copyOf(r.output(), 0x20)).containsExactly(header);
            GetEventRecordsResponse decoded = GetEventRecordsResponse.decode(ByteBuffer.wrap(r.output()));
            assertThat(decoded.records()).extracting(EventRecord::handle).containsExactly(1, 2, 3);
            assertThat(t.send(cci, CommandId.GET_EVENT_RECORDS, new byte[] {0}).output()).containsExactly(r.output());
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void get_returnsAsManyWholeRecordsAsFit_andSetsMore(Cci cci) {
        // 256-byte mailbox payload, MCTP response limit 2^8: one record (20h + 80h = A0h) fits, two do not
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.payloadSizeExponent(8)).open()) {
            assertThat(rc(t.mctp(CommandId.SET_RESPONSE_MESSAGE_LIMIT, new byte[] {8}).returnCode()))
                    .isEqualTo("0000h");
            informational(t, 3);
            TestDevice.Reply r = t.send(cci, CommandId.GET_EVENT_RECORDS, new byte[] {0});
            assertThat(r.output()).hasSize(0xA0);
            assertThat(r.output()[0]).isEqualTo((byte) 0x02); // More Event Records
            GetEventRecordsResponse first = GetEventRecordsResponse.decode(ByteBuffer.wrap(r.output()));
            assertThat(first.records()).extracting(EventRecord::handle).containsExactly(1);
            t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(0, 0, 1, 2));
            TestDevice.Reply last = t.send(cci, CommandId.GET_EVENT_RECORDS, new byte[] {0});
            assertThat(last.output()[0]).isZero();
            assertThat(GetEventRecordsResponse.decode(ByteBuffer.wrap(last.output())).records())
                    .extracting(EventRecord::handle).containsExactly(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void get_reportsTheOverflow_withItsCountAndDeviceTimestamps(Cci cci) {
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.eventLogSize(2)).open()) {
            Events.setTimestamp(t, 1_000_000_000L);
            informational(t, 2);
            t.advance(java.time.Duration.ofMillis(5));
            informational(t, 3); // 3 dropped, first and last at +5 ms
            t.advance(java.time.Duration.ofMillis(5));
            informational(t, 1); // last at +10 ms
            TestDevice.Reply r = t.send(cci, CommandId.GET_EVENT_RECORDS, new byte[] {0});
            ByteBuffer b = ByteBuffer.wrap(r.output()).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.get(0)).isEqualTo((byte) 0x01);
            assertThat(b.getShort(2)).isEqualTo((short) 4);
            assertThat(b.getLong(4)).isEqualTo(1_005_000_000L);
            assertThat(b.getLong(0x0C)).isEqualTo(1_010_000_000L);
            assertThat(b.getShort(0x14)).isEqualTo((short) 2);
        }
    }

    // ---- Clear Event Records

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clear_theOldestByHandle(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            informational(t, 4);
            TestDevice.Reply r = t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(0, 0, 1, 2));
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).isEmpty();
            assertThat(handles(t, EventLog.INFORMATIONAL)).containsExactly(3, 4);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clear_check1_aLogAbove03h_0002h_beforeTheOtherChecks(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            informational(t, 2);
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(4, 0, 1)).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(0xFF, 1, 9)).returnCode()))
                    .isEqualTo("0002h");
            assertThat(handles(t, EventLog.INFORMATIONAL)).containsExactly(1, 2);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clear_check2_clearAllWithHandles_0002h_evenOnAnOverflowedLog(Cci cci) {
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.eventLogSize(2)).open()) {
            informational(t, 3);
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(0, 1, 1)).returnCode())).isEqualTo("0002h");
            // check 2 before check 4: a bad handle with Clear All is still 0002h
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(0, 1, 9)).returnCode())).isEqualTo("0002h");
            assertThat(handles(t, EventLog.INFORMATIONAL)).containsExactly(1, 2);
            assertThat(Events.get(t, cci, EventLog.INFORMATIONAL).overflow()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clear_check3_clearAllWithoutOverflow_0002h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            informational(t, 2);
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(0, 1)).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(1, 1)).returnCode())).isEqualTo("0002h");
            assertThat(handles(t, EventLog.INFORMATIONAL)).containsExactly(1, 2);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clear_check4_handlesNotExactlyTheOldest_000Eh_nothingCleared(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            informational(t, 3);
            for (int[] bad : new int[][] {{2}, {0}, {1, 3}, {2, 1}, {1, 1}, {1, 2, 3, 4}, {0xFFFF}}) {
                assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(0, 0, bad)).returnCode()))
                        .as(Arrays.toString(bad)).isEqualTo("000Eh");
            }
            // a handle of another log's record
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(1, 0, 1)).returnCode())).isEqualTo("000Eh");
            assertThat(handles(t, EventLog.INFORMATIONAL)).containsExactly(1, 2, 3);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clear_noHandlesWithoutClearAll_0000h_noChange(Cci cci) {
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.eventLogSize(2)).open()) {
            informational(t, 3);
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(0, 0)).returnCode())).isEqualTo("0000h");
            assertThat(handles(t, EventLog.INFORMATIONAL)).containsExactly(1, 2);
            assertThat(Events.get(t, cci, EventLog.INFORMATIONAL).overflow()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clear_clearAllOfAnOverflowedLog_emptiesIt_andClearsTheOverflow(Cci cci) {
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.eventLogSize(2)).open()) {
            informational(t, 5);
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, clear(0, 1)).returnCode())).isEqualTo("0000h");
            GetEventRecordsResponse r = Events.get(t, cci, EventLog.INFORMATIONAL);
            assertThat(r.records()).isEmpty();
            assertThat(r.overflow()).isFalse();
            assertThat(r.overflowErrorCount()).isZero();
            informational(t, 1);
            assertThat(handles(t, EventLog.INFORMATIONAL)).containsExactly(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clear_lengthMustBe6PlusTwiceByte02h_0016h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            informational(t, 2);
            byte[] oneHandle = clear(0, 0, 1);
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, new byte[5]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, new byte[0]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, new byte[7]).returnCode())).isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, Arrays.copyOf(oneHandle, 6)).returnCode()))
                    .isEqualTo("0016h");
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, Arrays.copyOf(oneHandle, 10)).returnCode()))
                    .isEqualTo("0016h");
            byte[] noHandle = clear(0, 0);
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, Arrays.copyOf(noHandle, 8)).returnCode()))
                    .isEqualTo("0016h");
            // a log above 03h with a bad length: the length is checked first
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, Arrays.copyOf(clear(9, 0, 1), 7)).returnCode()))
                    .isEqualTo("0016h");
            assertThat(handles(t, EventLog.INFORMATIONAL)).containsExactly(1, 2);
            assertThat(rc(t.send(cci, CommandId.CLEAR_EVENT_RECORDS, oneHandle).returnCode())).isEqualTo("0000h");
        }
    }

    @Test
    void clear_theLargestHandleList_255Handles() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.eventLogSize(300)).open()) {
            informational(t, 256);
            int[] first255 = new int[255];
            Arrays.setAll(first255, i -> i + 1);
            byte[] req = ClearEventRecordsRequest.handles(EventLog.INFORMATIONAL,
                    Arrays.stream(first255).boxed().toList()).encode();
            assertThat(req).hasSize(6 + 510);
            assertThat(rc(t.send(Cci.MCTP, CommandId.CLEAR_EVENT_RECORDS, req).returnCode())).isEqualTo("0000h");
            assertThat(t.device().eventRecords(EventLog.INFORMATIONAL)).extracting(EventRecord::handle)
                    .containsExactly(256);
        }
    }

    // ---- the Event Status register

    @Test
    void eventStatusRegister_bitIWhileLogIHoldsARecord() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(Events.eventStatus(t)).isEqualTo(EventStatus.NONE);
            informational(t, 1);
            assertThat(t.mailbox().read64(RegisterMap.EVENT_STATUS)).isEqualTo(0x1L);
            t.inject(FaultSet::setMediaDisabled); // a Warning and a Failure record
            assertThat(t.mailbox().read64(RegisterMap.EVENT_STATUS)).isEqualTo(0x7L);
            assertThat(t.mailbox().read(RegisterMap.EVENT_STATUS, 1)).isEqualTo(0x7L);
            assertThat(t.mailbox().read(RegisterMap.EVENT_STATUS, 4)).isEqualTo(0x7L);
            assertThat(t.mailbox().read(RegisterMap.EVENT_STATUS + 4, 4)).isZero();
            // read-only: a write changes nothing
            t.mailbox().write64(RegisterMap.EVENT_STATUS, 0);
            assertThat(Events.eventStatus(t)).isEqualTo(new EventStatus(Set.of(EventLog.INFORMATIONAL,
                    EventLog.WARNING, EventLog.FAILURE)));
            Events.clearOldest(t, EventLog.WARNING, 1);
            assertThat(t.mailbox().read64(RegisterMap.EVENT_STATUS)).isEqualTo(0x5L);
            Events.clearAll(t);
            assertThat(t.mailbox().read64(RegisterMap.EVENT_STATUS)).isZero();
        }
    }

    // ---- volatility

    @Test
    void aColdResetEmptiesTheLogsAndRestartsHandles_soDoesARestart() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(c -> c.eventLogSize(2)).open()) {
            informational(t, 5);
            t.inject(FaultSet::setMediaDisabled);
            t.coldReset();
            for (EventLog l : EventLog.values()) {
                GetEventRecordsResponse r = Events.get(t, Cci.MAILBOX, l);
                assertThat(r.records()).as("%s", l).isEmpty();
                assertThat(r.overflow()).isFalse();
            }
            assertThat(Events.eventStatus(t)).isEqualTo(EventStatus.NONE);
            informational(t, 1);
            assertThat(handles(t, EventLog.INFORMATIONAL)).containsExactly(1);
            informational(t, 4);
            t.reopen();
            assertThat(Events.allRecords(t)).isEmpty();
            assertThat(Events.get(t, Cci.MCTP, EventLog.INFORMATIONAL).overflow()).isFalse();
            informational(t, 1);
            assertThat(handles(t, EventLog.INFORMATIONAL)).containsExactly(1);
        }
    }

    // ---- Event Interrupt Policy

    private static byte[] policyBytes(TestDevice t) {
        TestDevice.Reply r = t.send(Cci.MAILBOX, CommandId.GET_EVENT_INTERRUPT_POLICY);
        assertThat(rc(r.returnCode())).isEqualTo("0000h");
        return r.output();
    }

    @Test
    void interruptPolicy_isNoneByDefault_fiveBytes() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(policyBytes(t)).containsExactly(0, 0, 0, 0, 0);
        }
    }

    @Test
    void interruptPolicy_reportsTheModes_msiWithMessage1_fwWithItsNumber_noneWith0() {
        try (TestDevice t = TestDevice.instant(dir)) {
            // Informational MSI asking for message 5, Warning FW interrupt 7, Failure none with 3, Fatal MSI 0
            byte[] set = {0x51, 0x72, 0x30, 0x01};
            assertThat(rc(t.mailbox(0x0103, set).returnCode())).isEqualTo("0000h");
            assertThat(policyBytes(t)).containsExactly(0x11, 0x72, 0x00, 0x11, 0x00);
            // 5 bytes: byte 04h (Dynamic Capacity) is ignored and reads 00h; reserved bits 3:2 ignored
            assertThat(rc(t.mailbox(0x0103, new byte[] {0x02, 0x1E, 0x00, (byte) 0xF2, (byte) 0xFF}).returnCode()))
                    .isEqualTo("0000h");
            assertThat(policyBytes(t)).containsExactly(0x02, 0x12, 0x00, (byte) 0xF2, 0x00);
            assertThat(EventInterruptPolicy.decode(ByteBuffer.wrap(policyBytes(t))).fatal())
                    .isEqualTo(EventInterruptPolicy.Setting.of(EventInterruptPolicy.Mode.FW_INTERRUPT, 15));
        }
    }

    @Test
    void setInterruptPolicy_mode11bInAnyOfTheFourBytes_0002h_noChange() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.mailbox(0x0103, new byte[] {0x02, 0x02, 0x02, 0x02});
            for (int i = 0; i < 4; i++) {
                byte[] bad = {0x01, 0x01, 0x01, 0x01};
                bad[i] = 0x03;
                assertThat(rc(t.mailbox(0x0103, bad).returnCode())).as("byte %d", i).isEqualTo("0002h");
            }
            assertThat(policyBytes(t)).containsExactly(0x02, 0x02, 0x02, 0x02, 0x00);
            // 11b in byte 04h is ignored
            assertThat(rc(t.mailbox(0x0103, new byte[] {0, 0, 0, 0, 0x03}).returnCode())).isEqualTo("0000h");
        }
    }

    @Test
    void interruptPolicy_isMailboxOnly_0015hOnMctp() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.mctp(0x0102, new byte[0]).returnCode())).isEqualTo("0015h");
            assertThat(rc(t.mctp(0x0103, new byte[] {1, 1, 1, 1}).returnCode())).isEqualTo("0015h");
            assertThat(policyBytes(t)).containsExactly(0, 0, 0, 0, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void interruptPolicy_lengths_0016h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.send(cci, 0x0102, new byte[1]).returnCode())).isEqualTo("0016h");
            for (int n : new int[] {0, 3, 6}) {
                assertThat(rc(t.send(cci, 0x0103, new byte[n]).returnCode())).as("%d bytes", n).isEqualTo("0016h");
            }
        }
    }

    @Test
    void interruptPolicy_aColdResetOrARestartSetsEveryLogToNone() {
        try (TestDevice t = TestDevice.instant(dir)) {
            t.mailbox(0x0103, new byte[] {0x01, 0x02, 0x01, 0x02});
            t.coldReset();
            assertThat(policyBytes(t)).containsExactly(0, 0, 0, 0, 0);
            t.mailbox(0x0103, new byte[] {0x01, 0x02, 0x01, 0x02});
            t.reopen();
            assertThat(policyBytes(t)).containsExactly(0, 0, 0, 0, 0);
        }
    }
}
