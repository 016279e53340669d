package io.cxlkit.device.mctp;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.Timing;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCTP CCI's message handling (device-behaviour.md §1, §2; reference.md §2). */
class MctpCciTest {

    @TempDir
    Path dir;

    @Test
    void theResponseEchoesTagAndOpcode_withCategory1_andItsPayloadLength() {
        try (TestDevice t = TestDevice.instant(dir)) {
            CciMessage r = t.device().mctp().handle(CciMessage.request(0xAB, Opcode.of(0x0200), new byte[0]));
            CciHeader h = r.header();
            assertThat(h.category()).isEqualTo(CciHeader.CATEGORY_RESPONSE);
            assertThat(h.tag()).isEqualTo(0xAB);
            assertThat(h.opcode()).isEqualTo(Opcode.of(0x0200));
            assertThat(h.returnCode()).isZero();
            assertThat(h.background()).isFalse();
            assertThat(h.payloadLength()).isEqualTo(FwInfo.SIZE).isEqualTo(r.payload().length);
            // an error response: no payload, the same tag
            CciMessage e = t.device().mctp().handle(CciMessage.request(0x07, Opcode.of(0x0202), new byte[] {9, 9}));
            assertThat(e.tag()).isEqualTo(0x07);
            assertThat(rc(e.returnCode())).isEqualTo("0002h");
            assertThat(e.payload()).isEmpty();
        }
    }

    @Test
    void theBoFlagIsSetExactlyWhenTheReturnCodeIs0001h() {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic().withPartTime(Duration.ofMillis(10)))
                .open()) {
            CciMessage started = t.mctp(0x0201, TransferFwRequest.initiate(0, ByteBuffer.allocate(128)).encode());
            assertThat(rc(started.returnCode())).isEqualTo("0001h");
            assertThat(started.header().background()).isTrue();
            assertThat(started.payload()).isEmpty();
            CciMessage busy = t.mctp(0x0201, TransferFwRequest.abort().encode());
            assertThat(rc(busy.returnCode())).isEqualTo("0006h");
            assertThat(busy.header().background()).isFalse();
            assertThat(t.mctp(0x0002, new byte[0]).header().background()).isFalse();
        }
    }

    @Test
    void theMaximumMessageSizeIs2n_andOversizedRequestsAreRejectedUnread() {
        try (TestDevice t = TestDevice.instant(dir)) {
            MctpCci mctp = t.device().mctp();
            assertThat(mctp.maxMessageSize()).isEqualTo(1024);
            CciMessage r = mctp.rejectOversized(0x42, Opcode.of(0x0201), 1025);
            assertThat(r.tag()).isEqualTo(0x42);
            assertThat(rc(r.returnCode())).isEqualTo("0016h");
            assertThat(r.payload()).isEmpty();
            assertThat(rc(mctp.rejectOversized(1, Opcode.of(0x0200), (1 << 21) - 1).returnCode())).isEqualTo("0016h");
            assertThat(rc(mctp.rejectOversized(1, Opcode.of(0x7777), 5000).returnCode())).isEqualTo("0003h");
            // nothing was started
            assertThat(t.fwInfo().revision(2)).isEmpty();
        }
    }
}
