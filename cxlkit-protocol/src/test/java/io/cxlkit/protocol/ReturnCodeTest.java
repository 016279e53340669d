package io.cxlkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** reference.md §3. */
class ReturnCodeTest {

    @Test
    void coversExactly0000hTo0020hDensely() {
        ReturnCode[] codes = ReturnCode.values();
        assertThat(codes).hasSize(0x21);
        for (int v = 0; v <= 0x20; v++) {
            assertThat(codes[v].value()).isEqualTo(v);
            assertThat(ReturnCode.fromValue(v)).contains(codes[v]);
        }
        assertThat(ReturnCode.fromValue(0x21)).isEmpty();
        assertThat(ReturnCode.fromValue(-1)).isEmpty();
        assertThat(ReturnCode.fromValue(0xFFFF)).isEmpty();
    }

    @Test
    void namesAreTheSpecsVerbatim() {
        assertThat(ReturnCode.fromValue(0x0000).orElseThrow().specName()).isEqualTo("Success");
        assertThat(ReturnCode.fromValue(0x0001).orElseThrow().specName()).isEqualTo("Background Command Started");
        assertThat(ReturnCode.fromValue(0x0002).orElseThrow().specName()).isEqualTo("Invalid Input");
        assertThat(ReturnCode.fromValue(0x0006).orElseThrow().specName()).isEqualTo("Busy");
        assertThat(ReturnCode.fromValue(0x0008).orElseThrow().specName()).isEqualTo("FW Transfer in Progress");
        assertThat(ReturnCode.fromValue(0x0009).orElseThrow().specName()).isEqualTo("FW Transfer Out of Order");
        assertThat(ReturnCode.fromValue(0x000A).orElseThrow().specName()).isEqualTo("FW Verification Failed");
        assertThat(ReturnCode.fromValue(0x000B).orElseThrow().specName()).isEqualTo("Invalid Slot");
        assertThat(ReturnCode.fromValue(0x000C).orElseThrow().specName()).isEqualTo("Activation Failed, FW Rolled Back");
        assertThat(ReturnCode.fromValue(0x000D).orElseThrow().specName())
                .isEqualTo("Activation Failed, Cold Reset Required");
        assertThat(ReturnCode.fromValue(0x0012).orElseThrow().specName()).isEqualTo("Aborted");
        assertThat(ReturnCode.fromValue(0x0015).orElseThrow().specName()).isEqualTo("Unsupported Mailbox or CCI");
        assertThat(ReturnCode.fromValue(0x0016).orElseThrow().specName()).isEqualTo("Invalid Payload Length");
        assertThat(ReturnCode.fromValue(0x0017).orElseThrow().specName()).isEqualTo("Invalid Log");
        assertThat(ReturnCode.fromValue(0x001F).orElseThrow().specName()).isEqualTo("Transfer Out of Order");
        assertThat(ReturnCode.fromValue(0x0020).orElseThrow().specName())
                .isEqualTo("Request Abort Not Supported by Background Operation");
    }

    @Test
    void enumConstantsMatchTheirValues() {
        assertThat(ReturnCode.SUCCESS.value()).isZero();
        assertThat(ReturnCode.BACKGROUND_COMMAND_STARTED.value()).isEqualTo(0x0001);
        assertThat(ReturnCode.BUSY.value()).isEqualTo(0x0006);
        assertThat(ReturnCode.FW_TRANSFER_IN_PROGRESS.value()).isEqualTo(0x0008);
        assertThat(ReturnCode.FW_TRANSFER_OUT_OF_ORDER.value()).isEqualTo(0x0009);
        assertThat(ReturnCode.FW_VERIFICATION_FAILED.value()).isEqualTo(0x000A);
        assertThat(ReturnCode.UNSUPPORTED_MAILBOX_OR_CCI.value()).isEqualTo(0x0015);
        assertThat(ReturnCode.INVALID_PAYLOAD_LENGTH.value()).isEqualTo(0x0016);
        assertThat(ReturnCode.REQUEST_ABORT_NOT_SUPPORTED.value()).isEqualTo(0x0020);
    }

    @Test
    void hexFormatsFourUpperCaseDigitsAndH() {
        assertThat(ReturnCode.FW_VERIFICATION_FAILED.hex()).isEqualTo("000Ah");
        assertThat(ReturnCode.SUCCESS.hex()).isEqualTo("0000h");
        assertThat(ReturnCode.REQUEST_ABORT_NOT_SUPPORTED.hex()).isEqualTo("0020h");
        assertThat(ReturnCode.hex(0xBEEF)).isEqualTo("BEEFh");
        assertThat(ReturnCode.nameOf(0x000A)).isEqualTo("FW Verification Failed");
        assertThat(ReturnCode.nameOf(0x1234)).isEqualTo("Unknown");
    }

    @Test
    void acceptedCodes() {
        assertThat(ReturnCode.SUCCESS.isAccepted()).isTrue();
        assertThat(ReturnCode.BACKGROUND_COMMAND_STARTED.isAccepted()).isTrue();
        assertThat(ReturnCode.BUSY.isAccepted()).isFalse();
    }
}
