package io.cxlkit.device.command;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.LogIds;
import io.cxlkit.protocol.payload.SupportedLogEntry;
import io.cxlkit.protocol.payload.SupportedLogs;
import io.cxlkit.protocol.payload.SupportedLogsSubList;
import io.cxlkit.protocol.payload.SupportedLogsSubListRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each CCI's Command Effects Log, Get Supported Logs, Get Log and 0405h (device-behaviour.md §1); the
 * Verification Log's own reads are in {@link VerificationLogCommandsTest}.
 */
class CommandEffectsLogTest {

    @TempDir
    Path dir;

    /**
     * opcode, effects: the tables of device-behaviour.md §1 and memdev-commands.md §1
     * (docs/events-and-health.md, docs/capacity-and-labels.md, docs/media-and-poison.md,
     * docs/sanitize.md), written out by hand. 0102h, 0103h, 4204h and 4301h are mailbox-only.
     */
    private static final int[][] MCTP_CEL = {
            {0x0001, 0}, {0x0002, 0}, {0x0003, 0}, {0x0004, 0}, {0x0005, 0}, {0x0100, 0}, {0x0101, 0x0010},
            {0x0200, 0}, {0x0201, 0x0341}, {0x0202, 0x0243}, {0x0300, 0}, {0x0301, 0x0008}, {0x0400, 0},
            {0x0401, 0}, {0x0402, 0}, {0x0403, 0x0010}, {0x0405, 0}, {0x4000, 0},
            {0x4100, 0}, {0x4101, 0x0207}, {0x4102, 0}, {0x4103, 0x0006},
            {0x4200, 0}, {0x4201, 0}, {0x4202, 0x0008}, {0x4203, 0},
            {0x4300, 0}, {0x4302, 0x0004}, {0x4303, 0}, {0x4304, 0x0140}, {0x4305, 0},
            {0x4400, 0x0164}, {0x4401, 0x0024}, {0x4500, 0}};
    private static final int[][] MAILBOX_CEL = {
            {0x0005, 0}, {0x0100, 0}, {0x0101, 0x0010}, {0x0102, 0}, {0x0103, 0x0008}, {0x0200, 0},
            {0x0201, 0x0341}, {0x0202, 0x0243}, {0x0300, 0}, {0x0301, 0x0008}, {0x0400, 0}, {0x0401, 0},
            {0x0402, 0}, {0x0403, 0x0010}, {0x4000, 0},
            {0x4100, 0}, {0x4101, 0x0207}, {0x4102, 0}, {0x4103, 0x0006},
            {0x4200, 0}, {0x4201, 0}, {0x4202, 0x0008}, {0x4203, 0}, {0x4204, 0x0008},
            {0x4300, 0}, {0x4301, 0x0004}, {0x4302, 0x0004}, {0x4303, 0}, {0x4304, 0x0140}, {0x4305, 0},
            {0x4400, 0x0164}, {0x4401, 0x0024}, {0x4500, 0}};

    private static byte[] celBytes(int[][] entries) {
        ByteBuffer b = ByteBuffer.allocate(entries.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] e : entries) {
            b.putShort((short) e[0]).putShort((short) e[1]);
        }
        return b.array();
    }

    private static int[][] expected(Cci cci) {
        return cci == Cci.MCTP ? MCTP_CEL : MAILBOX_CEL;
    }

    private static byte[] getLog(UUID id, long offset, long length) {
        return new GetLogRequest(id, offset, length).encode();
    }

    /**
     * The CEL first, then cxlkit's Verification Log (docs/verification-log.md; the README says why
     * device-behaviour.md's "one entry" is not followed), empty: its 16-byte header alone.
     */
    @ParameterizedTest
    @EnumSource(Cci.class)
    void getSupportedLogs_listsTheCelWithFourBytesPerEntry_thenTheVerificationLog(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            TestDevice.Reply r = t.send(cci, CommandId.GET_SUPPORTED_LOGS);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).hasSize(8 + 2 * 0x14);
            SupportedLogs logs = SupportedLogs.decode(ByteBuffer.wrap(r.output()));
            assertThat(logs.entries()).containsExactly(
                    new SupportedLogEntry(LogIds.CEL_UUID, 4L * expected(cci).length),
                    new SupportedLogEntry(LogIds.VERIFICATION_LOG_UUID, 16));
            // byte-exact: count 2, 6 reserved bytes, the UUIDs in RFC 4122 byte order, the sizes
            assertThat(Arrays.copyOfRange(r.output(), 0, 8)).containsExactly(2, 0, 0, 0, 0, 0, 0, 0);
            assertThat(Arrays.copyOfRange(r.output(), 8, 24)).containsExactly(0x0d, 0xa9, 0xc0, 0xb5, 0xbf, 0x41,
                    0x4b, 0x78, 0x8f, 0x79, 0x96, 0xb1, 0x62, 0x3b, 0x3f, 0x17);
            assertThat(ByteBuffer.wrap(r.output(), 24, 4).order(ByteOrder.LITTLE_ENDIAN).getInt())
                    .isEqualTo(4 * expected(cci).length);
            assertThat(Arrays.copyOfRange(r.output(), 28, 44)).containsExactly(0xa8, 0xb4, 0xb3, 0xaf, 0xcd, 0x9f,
                    0x44, 0x5f, 0x99, 0x85, 0x19, 0x54, 0x41, 0x90, 0x31, 0xa6);
            assertThat(ByteBuffer.wrap(r.output(), 44, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(16);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getLog_returnsExactlyThisCcisCommandsInAscendingOrder(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            int size = 4 * expected(cci).length;
            assertThat(size).isEqualTo(cci == Cci.MCTP ? 4 * 34 : 4 * 33);
            TestDevice.Reply r = t.send(cci, CommandId.GET_LOG, getLog(LogIds.CEL_UUID, 0, size));
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).containsExactly(celBytes(expected(cci)));
            // and a window of it
            TestDevice.Reply part = t.send(cci, CommandId.GET_LOG, getLog(LogIds.CEL_UUID, 8, 12));
            assertThat(rc(part.returnCode())).isEqualTo("0000h");
            assertThat(part.output()).containsExactly(Arrays.copyOfRange(celBytes(expected(cci)), 8, 20));
            // the whole log ending exactly at its size, and a zero-length read at its end
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(LogIds.CEL_UUID, size - 4, 4)).returnCode()))
                    .isEqualTo("0000h");
            TestDevice.Reply empty = t.send(cci, CommandId.GET_LOG, getLog(LogIds.CEL_UUID, size, 0));
            assertThat(rc(empty.returnCode())).isEqualTo("0000h");
            assertThat(empty.output()).isEmpty();
        }
    }

    @Test
    void cel_isDerivedFromTheCommandTable() {
        try (TestDevice t = TestDevice.instant(dir)) {
            CommandTable table = t.device().commandTable();
            assertThat(table.commandEffectsLog(Cci.MCTP)).hasSize(34);
            assertThat(table.commandEffectsLog(Cci.MAILBOX)).hasSize(33);
            assertThat(table.commandEffectsLogBytes(Cci.MAILBOX)).containsExactly(celBytes(MAILBOX_CEL));
            assertThat(table.commandEffectsLogBytes(Cci.MCTP)).containsExactly(celBytes(MCTP_CEL));
            // no entry claims the secondary mailbox (bit 7)
            for (int[] e : MCTP_CEL) {
                assertThat(e[1] & 0x80).isZero();
            }
            assertThat(table.lookup(CommandId.TRANSFER_FW.opcode()).orElseThrow().abortable()).isTrue();
            assertThat(table.lookup(CommandId.ACTIVATE_FW.opcode()).orElseThrow().abortable()).isFalse();
            assertThat(table.all()).filteredOn(CommandSpec::background).extracting(CommandSpec::opcode)
                    .containsExactly(CommandId.TRANSFER_FW.opcode(), CommandId.ACTIVATE_FW.opcode(),
                            CommandId.SCAN_MEDIA.opcode(), CommandId.SANITIZE.opcode());
            assertThat(table.lookup(CommandId.SCAN_MEDIA.opcode()).orElseThrow().abortable()).isTrue();
            assertThat(table.lookup(CommandId.SANITIZE.opcode()).orElseThrow().abortable()).isTrue();
            assertThat(table.lookup(CommandId.SECURE_ERASE.opcode()).orElseThrow().abortable()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getLog_unknownUuid_0017h_beforeARangeError(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            UUID other = UUID.fromString("5e1819d9-11a9-400c-811f-d60719403d86");
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(other, 0, 4)).returnCode())).isEqualTo("0017h");
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(other, 0xFFFF_FFFFL, 0xFFFF_FFFFL)).returnCode()))
                    .isEqualTo("0017h");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getLog_offsetOrLengthBeyondTheLog_0002h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            int size = 4 * expected(cci).length;
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(LogIds.CEL_UUID, size + 4, 0)).returnCode()))
                    .isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(LogIds.CEL_UUID, 0, size + 1)).returnCode()))
                    .isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(LogIds.CEL_UUID, 4, size)).returnCode()))
                    .isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(LogIds.CEL_UUID, 0xFFFF_FFFFL, 0xFFFF_FFFFL))
                    .returnCode())).isEqualTo("0002h");
        }
    }

    @Test
    void getLog_lengthAboveTheResponseMessageLimit_0002h() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.mctp(0x0004, new byte[] {8}).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.mctp(0x0401, getLog(LogIds.CEL_UUID, 0, 257)).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.mctp(0x0401, getLog(LogIds.CEL_UUID, 0, 88)).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.mailbox(0x0401, getLog(LogIds.CEL_UUID, 0, 4097)).returnCode())).isEqualTo("0002h");
        }
    }

    @Test
    void getSupportedLogsSubList_followsR31() {
        try (TestDevice t = TestDevice.instant(dir)) {
            TestDevice.Reply r = t.send(Cci.MCTP, CommandId.GET_SUPPORTED_LOGS_SUB_LIST,
                    new SupportedLogsSubListRequest(10, 0).encode());
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).hasSize(8 + 2 * 0x14);
            SupportedLogsSubList list = SupportedLogsSubList.decode(ByteBuffer.wrap(r.output()));
            assertThat(list.totalLogs()).isEqualTo(2);
            assertThat(list.startIndex()).isZero();
            assertThat(list.entries()).containsExactly(new SupportedLogEntry(LogIds.CEL_UUID, 4 * 34),
                    new SupportedLogEntry(LogIds.VERIFICATION_LOG_UUID, 16));
            // byte-exact header: returned 2, reserved, total 2 (2 bytes), start 0, reserved (3)
            assertThat(Arrays.copyOfRange(r.output(), 0, 8)).containsExactly(2, 0, 2, 0, 0, 0, 0, 0);

            TestDevice.Reply none = t.send(Cci.MCTP, CommandId.GET_SUPPORTED_LOGS_SUB_LIST,
                    new SupportedLogsSubListRequest(0, 0).encode());
            assertThat(rc(none.returnCode())).isEqualTo("0000h");
            SupportedLogsSubList empty = SupportedLogsSubList.decode(ByteBuffer.wrap(none.output()));
            assertThat(empty.entries()).isEmpty();
            assertThat(empty.totalLogs()).isEqualTo(2);

            TestDevice.Reply second = t.send(Cci.MCTP, CommandId.GET_SUPPORTED_LOGS_SUB_LIST,
                    new SupportedLogsSubListRequest(5, 1).encode());
            assertThat(SupportedLogsSubList.decode(ByteBuffer.wrap(second.output())).entries())
                    .containsExactly(new SupportedLogEntry(LogIds.VERIFICATION_LOG_UUID, 16));
            TestDevice.Reply first = t.send(Cci.MCTP, CommandId.GET_SUPPORTED_LOGS_SUB_LIST,
                    new SupportedLogsSubListRequest(1, 0).encode());
            assertThat(SupportedLogsSubList.decode(ByteBuffer.wrap(first.output())).entries())
                    .containsExactly(new SupportedLogEntry(LogIds.CEL_UUID, 4 * 34));

            TestDevice.Reply past = t.send(Cci.MCTP, CommandId.GET_SUPPORTED_LOGS_SUB_LIST,
                    new SupportedLogsSubListRequest(5, 2).encode());
            assertThat(rc(past.returnCode())).isEqualTo("0000h");
            assertThat(SupportedLogsSubList.decode(ByteBuffer.wrap(past.output())).entries()).isEmpty();
            assertThat(rc(t.send(Cci.MCTP, CommandId.GET_SUPPORTED_LOGS_SUB_LIST,
                    new SupportedLogsSubListRequest(5, 3).encode()).returnCode())).isEqualTo("0002h");
            assertThat(List.of(rc(t.mailbox(0x0405, new byte[] {1, 0}).returnCode()))).containsExactly("0015h");
        }
    }
}
