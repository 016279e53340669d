package io.cxlkit.device.command;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.Timestamp;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Identify, the response message limit, timestamps and Identify Memory Device (device-behaviour.md §1, §9). */
class GenericCommandsTest {

    @TempDir
    Path dir;

    @Test
    void identify_reportsPciIdsSerialMessageSizeAndComponentType03h() {
        try (TestDevice t = TestDevice.builder(dir).index(5).open()) {
            CciMessage r = t.mctp(CommandId.IDENTIFY, new byte[0]);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.payload()).hasSize(0x12);
            assertThat(Identify.decode(ByteBuffer.wrap(r.payload())))
                    .isEqualTo(new Identify(0x1b36, 0x0d93, 0, 0, 5, 10, 0x03));
            // byte offsets of reference.md §4
            assertThat(r.payload()).containsExactly(0x36, 0x1b, 0x93, 0x0d, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0,
                    10, 0x03);
        }
    }

    @Test
    void identify_reportsTheConfiguredMctpExponent() {
        try (TestDevice t = TestDevice.builder(dir).config(b -> b.mctpMessageSizeExponent(20)).open()) {
            assertThat(Identify.decode(ByteBuffer.wrap(t.mctp(CommandId.IDENTIFY, new byte[0]).payload()))
                    .maxMessageSizeExponent()).isEqualTo(20);
        }
    }

    @Test
    void identify_reportsThePersistedSerial_whichWinsOverTheConfiguration() {
        try (TestDevice t = TestDevice.builder(dir).config(b -> b.serial(7)).open()) {
            t.reopen(b -> b.serial(99));
            assertThat(t.device().serial()).isEqualTo(7);
            assertThat(Identify.decode(ByteBuffer.wrap(t.mctp(CommandId.IDENTIFY, new byte[0]).payload()))
                    .serialNumber()).isEqualTo(7);
        }
    }

    @Test
    void responseMessageLimit_defaultsTo10_acceptsOnly8To10_andAColdResetRestoresIt() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(t.mctp(0x0003, new byte[0]).payload()).containsExactly(10);
            for (int n : new int[] {8, 9, 10}) {
                CciMessage r = t.mctp(0x0004, new byte[] {(byte) n});
                assertThat(rc(r.returnCode())).isEqualTo("0000h");
                assertThat(r.payload()).as("Set returns the applied n").containsExactly(n);
                assertThat(t.mctp(0x0003, new byte[0]).payload()).containsExactly(n);
            }
            t.mctp(0x0004, new byte[] {9});
            for (int n : new int[] {0, 7, 11, 20, 255}) {
                assertThat(rc(t.mctp(0x0004, new byte[] {(byte) n}).returnCode())).as("n=%d", n).isEqualTo("0002h");
                assertThat(t.mctp(0x0003, new byte[0]).payload()).containsExactly(9);
            }
            t.coldReset();
            assertThat(t.mctp(0x0003, new byte[0]).payload()).containsExactly(10);
            t.mctp(0x0004, new byte[] {8});
            t.reopen();
            assertThat(t.mctp(0x0003, new byte[0]).payload()).containsExactly(10);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void timestamp_isZeroUntilSet_thenRunsWithTheClock_andAColdResetClearsIt(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            TestDevice.Reply get = t.send(cci, CommandId.GET_TIMESTAMP);
            assertThat(rc(get.returnCode())).isEqualTo("0000h");
            assertThat(get.output()).containsExactly(new byte[8]);
            long set = 1_700_000_000_123_456_789L;
            TestDevice.Reply s = t.send(cci, CommandId.SET_TIMESTAMP, new Timestamp(set).encode());
            assertThat(rc(s.returnCode())).isEqualTo("0000h");
            assertThat(s.output()).isEmpty();
            t.advance(Duration.ofMillis(1500));
            assertThat(Timestamp.decode(ByteBuffer.wrap(t.send(cci, CommandId.GET_TIMESTAMP).output())).nanos())
                    .isEqualTo(set + 1_500_000_000L);
            t.coldReset();
            assertThat(Timestamp.decode(ByteBuffer.wrap(t.send(cci, CommandId.GET_TIMESTAMP).output())).nanos())
                    .isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void identifyMemoryDevice_defaults(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            TestDevice.Reply r = t.send(cci, CommandId.IDENTIFY_MEMORY_DEVICE);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).hasSize(0x45);
            assertThat(IdentifyMemoryDevice.decode(ByteBuffer.wrap(r.output()))).isEqualTo(
                    new IdentifyMemoryDevice("BWFW VERSION 0", 4, 0, 4, 0, 8, 8, 8, 8, 128 << 10, 256, 0, 1, 0, 0));
            // byte-exact spot checks: revision, total capacity 4 x 256 MiB, no partition alignment, the
            // event log sizes, the 128 KiB LSA, M = 256 records (3Ch), no inject limit (3Fh), poison
            // persists (41h = 01h), zeros after
            assertThat(new String(r.output(), 0, 14, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("BWFW VERSION 0");
            assertThat(r.output()[0x10]).isEqualTo((byte) 4);
            assertThat(r.output()[0x20]).isEqualTo((byte) 4);
            assertThat(Arrays.copyOfRange(r.output(), 0x28, 0x30)).containsOnly(0);
            assertThat(Arrays.copyOfRange(r.output(), 0x30, 0x38)).containsExactly(8, 0, 8, 0, 8, 0, 8, 0);
            assertThat(Arrays.copyOfRange(r.output(), 0x38, 0x3C)).containsExactly(0, 0, 2, 0);
            assertThat(Arrays.copyOfRange(r.output(), 0x3C, 0x45)).containsExactly(0, 1, 0, 0, 0, 1, 0, 0, 0);
        }
    }

    @Test
    void identifyMemoryDevice_capacitiesAreIn256MiBUnits() {
        try (TestDevice t = TestDevice.builder(dir)
                .config(b -> b.persistentCapacity(2L << 30).volatileCapacity(512L << 20).eventLogSize(3)).open()) {
            IdentifyMemoryDevice id = IdentifyMemoryDevice.decode(ByteBuffer.wrap(
                    t.send(Cci.MAILBOX, CommandId.IDENTIFY_MEMORY_DEVICE).output()));
            assertThat(id.totalCapacity()).isEqualTo(10);
            assertThat(id.volatileOnlyCapacity()).isEqualTo(2);
            assertThat(id.persistentOnlyCapacity()).isEqualTo(8);
            assertThat(id.infoEventLogSize()).isEqualTo(3);
            assertThat(id.fatalEventLogSize()).isEqualTo(3);
        }
    }
}
