package io.cxlkit.protocol.payload;

import static io.cxlkit.protocol.Hex.bytes;
import static io.cxlkit.protocol.Hex.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.Hex;
import io.cxlkit.protocol.fwpkg.VerificationCheck;
import io.cxlkit.protocol.fwpkg.VerificationFailure;
import io.cxlkit.protocol.payload.VerificationLog.Operation;
import io.cxlkit.protocol.payload.VerificationLog.Record;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Verification Log's layout (docs/verification-log.md), every field at its byte offset. */
class VerificationLogTest {

    private static byte[] digest(int fill) {
        byte[] d = new byte[32];
        for (int i = 0; i < 32; i++) {
            d[i] = (byte) (fill + i);
        }
        return d;
    }

    private static final String REASON = "signed by key f3af909053e689d9, which is not trusted by this device";

    /** A record with every detail set, each field a value that shows where its bytes go. */
    private static Record everyField() {
        return new Record(0x0403_0201L, 0x02, 0x03, 0x0C0B, 0x1817_1615_1413_1211L,
                Optional.of(new VerificationFailure.Digests(digest(0x40), digest(0x80))), Optional.of("f3af909053e689d9"),
                Optional.of(new VerificationFailure.SecurityVersions(0x2423_2221L, 0x2827_2625L)), REASON);
    }

    @Test
    void sizesAndTheUuid() {
        assertThat(VerificationLog.HEADER_SIZE).isEqualTo(0x10);
        assertThat(VerificationLog.RECORD_SIZE).isEqualTo(0xC0);
        assertThat(VerificationLog.REASON_SIZE).isEqualTo(0x50);
        assertThat(VerificationLog.OFF_REASON + VerificationLog.REASON_SIZE).isEqualTo(VerificationLog.RECORD_SIZE);
        assertThat(LogIds.VERIFICATION_LOG_UUID).isEqualTo(UUID.fromString("a8b4b3af-cd9f-445f-9985-1954419031a6"));
        assertThat(LogIds.VERIFICATION_LOG_UUID.version()).isEqualTo(4);
        assertThat(LogIds.VERIFICATION_LOG_UUID.variant()).isEqualTo(2);
    }

    @Test
    void everyRecordFieldAtItsOffset() {
        byte[] reason = Arrays.copyOf(REASON.getBytes(StandardCharsets.US_ASCII), 0x50);
        byte[] wire = bytes(""
                + "01 02 03 04 |"                       // 00h sequence number
                + "02 |"                                // 04h operation
                + "03 |"                                // 05h slot
                + "0B 0C |"                             // 06h check code
                + "11 12 13 14 15 16 17 18 |"           // 08h time
                + "21 22 23 24 |"                       // 10h security version
                + "25 26 27 28 |"                       // 14h security floor
                + "F3 AF 90 90 53 E6 89 D9 |"           // 18h key id
                + Hex.of(digest(0x40)) + "|"            // 20h expected SHA-256
                + Hex.of(digest(0x80)) + "|"            // 40h found SHA-256
                + "07 |"                                // 60h detail bits: digests, key id, security versions
                + zeros(15) + "|"                       // 61h reserved
                + Hex.of(reason));                      // 70h reason
        assertThat(wire).hasSize(0xC0);
        assertThat(Hex.of(everyField().encode())).isEqualTo(Hex.of(wire));
        assertThat(Record.decode(ByteBuffer.wrap(wire))).isEqualTo(everyField());
    }

    @Test
    void unusedDetailsAreZeroAndAbsent() {
        Record r = new Record(1, 1, 2, 2, 0, Optional.empty(), Optional.empty(), Optional.empty(), "bad magic");
        byte[] wire = r.encode();
        assertThat(Arrays.copyOfRange(wire, 0x10, 0x70)).containsOnly(0);
        assertThat(Arrays.copyOfRange(wire, 0x70, 0x79)).isEqualTo("bad magic".getBytes(StandardCharsets.US_ASCII));
        assertThat(Arrays.copyOfRange(wire, 0x79, 0xC0)).containsOnly(0);
        Record back = Record.decode(ByteBuffer.wrap(wire));
        assertThat(back).isEqualTo(r);
        assertThat(back.digests()).isEmpty();
        assertThat(back.keyId()).isEmpty();
        assertThat(back.securityVersions()).isEmpty();

        // detail bits decide what is read: bytes behind a clear bit are ignored, as are reserved bits
        wire[0x18] = 0x55;
        wire[0x60] = (byte) 0xF8;
        assertThat(Record.decode(ByteBuffer.wrap(wire))).isEqualTo(r);
    }

    @Test
    void theHeaderAtItsOffsets() {
        Record one = everyField();
        byte[] wire = new VerificationLog(16, 0x0403_0201L, List.of(one)).encode();
        assertThat(wire).hasSize(0x10 + 0xC0);
        assertThat(Hex.of(Arrays.copyOf(wire, 0x10))).isEqualTo(Hex.of(bytes(""
                + "01 00 |"          // 00h layout version 1
                + "C0 00 |"          // 02h record size
                + "01 00 |"          // 04h records held
                + "10 00 |"          // 06h capacity 16
                + "01 02 03 04 |"    // 08h newest sequence number
                + "00 00 00 00")));  // 0Ch reserved
        assertThat(Arrays.copyOfRange(wire, 0x10, 0xD0)).isEqualTo(one.encode());
        VerificationLog back = VerificationLog.decode(ByteBuffer.wrap(wire));
        assertThat(back.records()).containsExactly(one);
        assertThat(back.header()).isEqualTo(new VerificationLog.Header(1, 16, 0x0403_0201L));
        assertThat(back.size()).isEqualTo(0xD0);
        assertThat(VerificationLog.Header.decode(ByteBuffer.wrap(wire)).logSize()).isEqualTo(0xD0);

        byte[] empty = new VerificationLog(16, 0, List.of()).encode();
        assertThat(Hex.of(empty)).isEqualTo("01 00 C0 00 00 00 10 00 00 00 00 00 00 00 00 00");
    }

    @Test
    void aRecordOfAFailureTakesItsCheckDetailsAndMessage() {
        VerificationFailure f = VerificationFailure.belowFloor(3, 5);
        Record r = Record.of(7, Operation.COLD_RESET, 2, 99, f);
        assertThat(r.sequence()).isEqualTo(7);
        assertThat(r.operation()).isEqualTo(0x03);
        assertThat(r.knownOperation()).contains(Operation.COLD_RESET);
        assertThat(r.slot()).isEqualTo(2);
        assertThat(r.check()).isEqualTo(0x0D);
        assertThat(r.knownCheck()).contains(VerificationCheck.SECURITY_VERSION_BELOW_FLOOR);
        assertThat(r.timestampNanos()).isEqualTo(99);
        assertThat(r.securityVersions()).contains(new VerificationFailure.SecurityVersions(3, 5));
        assertThat(r.reason()).isEqualTo("security version 3 is below the device's floor 5");

        // a message longer than the field is cut to it
        var longWords = VerificationFailure.described(VerificationCheck.BAD_HEADER_FIELD, "x".repeat(100));
        assertThat(Record.of(1, Operation.TRANSFER, 2, 0, longWords).reason()).hasSize(0x50);
    }

    @Test
    void operationsAndUnknownValues() {
        assertThat(Arrays.stream(Operation.values()).map(o -> o.code() + " " + o.label()))
                .containsExactly("1 transfer", "2 online-activation", "3 cold-reset");
        Record future = new Record(1, 0x7F, 1, 0x4000, 0, Optional.empty(), Optional.empty(), Optional.empty(), "");
        Record back = Record.decode(ByteBuffer.wrap(future.encode()));
        assertThat(back.knownOperation()).isEmpty();
        assertThat(back.knownCheck()).isEmpty();
        assertThat(back.operation()).isEqualTo(0x7F);
    }

    @Test
    void malformedLogs() {
        byte[] wire = new VerificationLog(16, 1, List.of(everyField())).encode();
        assertThatThrownBy(() -> VerificationLog.decode(ByteBuffer.wrap(wire, 0, 0x10 + 0xBF)))
                .isInstanceOf(MalformedPayloadException.class);
        byte[] otherVersion = wire.clone();
        otherVersion[0] = 2;
        assertThatThrownBy(() -> VerificationLog.Header.decode(ByteBuffer.wrap(otherVersion)))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("version 2");
        byte[] moreThanCapacity = wire.clone();
        moreThanCapacity[6] = 0;
        assertThatThrownBy(() -> VerificationLog.decode(ByteBuffer.wrap(moreThanCapacity)))
                .isInstanceOf(MalformedPayloadException.class);
        byte[] nonAscii = everyField().encode();
        nonAscii[0x70] = (byte) 0xE9;
        assertThatThrownBy(() -> Record.decode(ByteBuffer.wrap(nonAscii))).isInstanceOf(MalformedPayloadException.class);
        assertThatThrownBy(() -> new Record(1, 1, 1, 1, 0, Optional.empty(), Optional.of("F3AF909053E689D9"),
                Optional.empty(), "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Record(1, 1, 1, 1, 0, Optional.empty(), Optional.empty(), Optional.empty(),
                "x".repeat(81))).isInstanceOf(IllegalArgumentException.class);
    }
}
