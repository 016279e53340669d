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
import io.cxlkit.protocol.payload.VerificationLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Verification Log through the log commands on both CCIs: listed by Get Supported Logs and
 * the Sub-List with its current size, read by Get Log with the CEL's range checks.
 */
class VerificationLogCommandsTest {

    private static final int HEADER = VerificationLog.HEADER_SIZE;
    private static final int RECORD = VerificationLog.RECORD_SIZE;

    @TempDir
    Path dir;

    private static byte[] getLog(long offset, long length) {
        return new GetLogRequest(LogIds.VERIFICATION_LOG_UUID, offset, length).encode();
    }

    /** {@code n} uploads of random bytes to slot 2: {@code n} records of bad magic. */
    private static void fail(TestDevice t, int n) {
        for (int i = 0; i < n; i++) {
            byte[] junk = new byte[256];
            new Random(i).nextBytes(junk);
            assertThat(rc(t.uploadFull(Cci.MCTP, 2, junk))).isEqualTo("000Ah");
        }
    }

    private static long listedSize(TestDevice t, Cci cci) {
        SupportedLogs logs = SupportedLogs.decode(ByteBuffer.wrap(t.send(cci, CommandId.GET_SUPPORTED_LOGS).output()));
        return logs.entries().stream().filter(e -> e.logId().equals(LogIds.VERIFICATION_LOG_UUID))
                .mapToLong(SupportedLogEntry::logSize).sum();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cci.class)
    void theListedSizeIsTheLogsCurrentSize(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(listedSize(t, cci)).isEqualTo(HEADER);
            fail(t, 1);
            assertThat(listedSize(t, cci)).isEqualTo(HEADER + RECORD);
            fail(t, 20);
            assertThat(listedSize(t, cci)).as("16 records at most").isEqualTo(HEADER + 16 * RECORD);
            // the Sub-List (MCTP only) says the same
            SupportedLogsSubList sub = SupportedLogsSubList.decode(ByteBuffer.wrap(t.send(Cci.MCTP,
                    CommandId.GET_SUPPORTED_LOGS_SUB_LIST, new SupportedLogsSubListRequest(1, 1).encode()).output()));
            assertThat(sub.entries()).containsExactly(
                    new SupportedLogEntry(LogIds.VERIFICATION_LOG_UUID, HEADER + 16 * RECORD));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cci.class)
    void getLogReadsTheHeaderTheRecordsAndAnyWindowOfThem(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            fail(t, 3);
            byte[] whole = t.device().verificationLog().encode();
            assertThat(whole).hasSize(HEADER + 3 * RECORD);

            TestDevice.Reply header = t.send(cci, CommandId.GET_LOG, getLog(0, HEADER));
            assertThat(rc(header.returnCode())).isEqualTo("0000h");
            assertThat(VerificationLog.Header.decode(ByteBuffer.wrap(header.output())))
                    .isEqualTo(new VerificationLog.Header(3, 16, 3));

            TestDevice.Reply all = t.send(cci, CommandId.GET_LOG, getLog(0, whole.length));
            assertThat(rc(all.returnCode())).isEqualTo("0000h");
            assertThat(all.output()).isEqualTo(whole);
            assertThat(VerificationLog.decode(ByteBuffer.wrap(all.output())).records())
                    .extracting(VerificationLog.Record::sequence).containsExactly(1L, 2L, 3L);

            // the second record alone, and a window across two
            TestDevice.Reply second = t.send(cci, CommandId.GET_LOG, getLog(HEADER + RECORD, RECORD));
            assertThat(VerificationLog.Record.decode(ByteBuffer.wrap(second.output())).sequence()).isEqualTo(2);
            TestDevice.Reply window = t.send(cci, CommandId.GET_LOG, getLog(100, 300));
            assertThat(window.output()).isEqualTo(Arrays.copyOfRange(whole, 100, 400));
            // the end exactly, and nothing at the end
            assertThat(t.send(cci, CommandId.GET_LOG, getLog(whole.length - 1, 1)).output())
                    .containsExactly(whole[whole.length - 1]);
            TestDevice.Reply empty = t.send(cci, CommandId.GET_LOG, getLog(whole.length, 0));
            assertThat(rc(empty.returnCode())).isEqualTo("0000h");
            assertThat(empty.output()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cci.class)
    void getLogBeyondTheLogsCurrentSize_0002h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(0, HEADER + 1)).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(HEADER + 1, 0)).returnCode())).isEqualTo("0002h");
            fail(t, 1);
            int size = HEADER + RECORD;
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(0, size)).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(0, size + 1)).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(8, size)).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(size + 1, 0)).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.GET_LOG, getLog(0xFFFF_FFFFL, 0xFFFF_FFFFL)).returnCode()))
                    .isEqualTo("0002h");
        }
    }

    @Test
    void getLogAboveTheResponseLimitOrThePayloadSize_0002h() {
        try (TestDevice t = TestDevice.instant(dir)) {
            fail(t, 16); // 3088 bytes
            assertThat(rc(t.mctp(0x0401, getLog(0, 1024)).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.mctp(0x0401, getLog(0, 1025)).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.mctp(0x0004, new byte[] {8}).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.mctp(0x0401, getLog(0, 257)).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.mctp(0x0401, getLog(2816, 256)).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.mailbox(0x0401, getLog(0, HEADER + 16 * RECORD)).returnCode())).isEqualTo("0000h");
        }
        try (TestDevice t = TestDevice.builder(dir).instant().config(b -> b.payloadSizeExponent(8)).open()) {
            fail(t, 2);
            assertThat(rc(t.mailbox(0x0401, getLog(0, 256)).returnCode())).isEqualTo("0000h");
            assertThat(rc(t.mailbox(0x0401, getLog(0, 257)).returnCode())).isEqualTo("0002h");
        }
    }
}
