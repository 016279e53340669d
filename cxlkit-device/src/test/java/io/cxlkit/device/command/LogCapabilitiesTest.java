package io.cxlkit.device.command;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.LogCapabilities;
import io.cxlkit.protocol.payload.LogIdRequest;
import io.cxlkit.protocol.payload.LogIds;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Get Log Capabilities (0402h) and Clear Log (0403h) (docs/events-and-health.md "Log capabilities"). */
class LogCapabilitiesTest {

    @TempDir
    Path dir;

    private static final UUID UNKNOWN = UUID.fromString("5e1819d9-11a9-400c-811f-d60719403d86");

    private static byte[] id(UUID u) {
        return new LogIdRequest(u).encode();
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getLogCapabilities_theCel_persistentAcrossColdReset_only(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            TestDevice.Reply r = t.send(cci, CommandId.GET_LOG_CAPABILITIES, id(LogIds.CEL_UUID));
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).containsExactly(0x08, 0, 0, 0);
            assertThat(LogCapabilities.decode(ByteBuffer.wrap(r.output())))
                    .isEqualTo(new LogCapabilities(false, false, false, true));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getLogCapabilities_theVerificationLog_likewise(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            TestDevice.Reply r = t.send(cci, CommandId.GET_LOG_CAPABILITIES, id(LogIds.VERIFICATION_LOG_UUID));
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).containsExactly(0x08, 0, 0, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getLogCapabilities_anUnknownLog_0017h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            // the last: the CEL's UUID in the wrong byte order
            UUID swapped = new UUID(Long.reverseBytes(LogIds.CEL_UUID.getMostSignificantBits()),
                    Long.reverseBytes(LogIds.CEL_UUID.getLeastSignificantBits()));
            for (UUID u : new UUID[] {UNKNOWN, new UUID(0, 0), swapped}) {
                TestDevice.Reply r = t.send(cci, CommandId.GET_LOG_CAPABILITIES, id(u));
                assertThat(rc(r.returnCode())).as("%s", u).isEqualTo("0017h");
                assertThat(r.output()).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void clearLog_anUnknownLog_0017h_beforeNotClearable_0002h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.send(cci, CommandId.CLEAR_LOG, id(UNKNOWN)).returnCode())).isEqualTo("0017h");
            assertThat(rc(t.send(cci, CommandId.CLEAR_LOG, id(LogIds.CEL_UUID)).returnCode())).isEqualTo("0002h");
            assertThat(rc(t.send(cci, CommandId.CLEAR_LOG, id(LogIds.VERIFICATION_LOG_UUID)).returnCode()))
                    .isEqualTo("0002h");
            // the CEL is still whole
            int size = 4 * t.device().commandTable().commandEffectsLog(cci).size();
            TestDevice.Reply cel = t.send(cci, CommandId.GET_LOG, new GetLogRequest(LogIds.CEL_UUID, 0, size).encode());
            assertThat(cel.output()).containsExactly(t.device().commandTable().commandEffectsLogBytes(cci));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void bothTakeExactly16Bytes_0016h(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            for (int n : new int[] {0, 15, 17, 0x18}) {
                assertThat(rc(t.send(cci, CommandId.GET_LOG_CAPABILITIES, new byte[n]).returnCode())).as("%d", n)
                        .isEqualTo("0016h");
                assertThat(rc(t.send(cci, CommandId.CLEAR_LOG, new byte[n]).returnCode())).as("%d", n)
                        .isEqualTo("0016h");
            }
        }
    }
}
