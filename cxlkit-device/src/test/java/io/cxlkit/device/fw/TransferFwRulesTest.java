package io.cxlkit.device.fw;

import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.Timing;
import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Transfer FW state machine (device-behaviour.md §3): one test per numbered check, in order,
 * then the rules that follow them. Instant timing unless a test needs time.
 */
class TransferFwRulesTest {

    @TempDir
    Path dir;

    private static ByteBuffer zeros(int n) {
        return ByteBuffer.wrap(new byte[n]);
    }

    private static ByteBuffer part(byte[] pkg, int from, int to) {
        return ByteBuffer.wrap(Arrays.copyOfRange(pkg, from, to));
    }

    private static TransferFwRequest init(int n) {
        return TransferFwRequest.initiate(0, zeros(n));
    }

    private static TransferFwRequest cont(long offsetUnits, int n) {
        return TransferFwRequest.continuePart(offsetUnits, zeros(n));
    }

    private static TransferFwRequest full(int slot, byte[] pkg) {
        return TransferFwRequest.full(slot, ByteBuffer.wrap(pkg));
    }

    private static TransferFwRequest action(int action) {
        return new TransferFwRequest(action, 0, 0, ByteBuffer.allocate(0));
    }

    private static Cci other(Cci cci) {
        return cci == Cci.MCTP ? Cci.MAILBOX : Cci.MCTP;
    }

    private boolean stagingExists() {
        return Files.exists(dir.resolve("staging.bin"));
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void check1_aTransferOpenOnTheOtherCci_0008h_forAnyAction(Cci owner) {
        Cci other = other(owner);
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(owner, init(256)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(other, full(2, pkg("X", 128))))).isEqualTo("0008h");
            assertThat(rc(t.transfer(other, init(128)))).isEqualTo("0008h");
            assertThat(rc(t.transfer(other, cont(2, 128)))).isEqualTo("0008h");
            assertThat(rc(t.transfer(other, TransferFwRequest.end(2, 2, zeros(128))))).isEqualTo("0008h");
            assertThat(rc(t.transfer(other, TransferFwRequest.abort()))).isEqualTo("0008h");
            assertThat(rc(t.transfer(other, action(7)))).isEqualTo("0008h");
            // the owner's transfer went on untouched
            assertThat(rc(t.transfer(owner, cont(2, 128)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(owner, TransferFwRequest.abort()))).isEqualTo("0000h");
            assertThat(rc(t.transfer(other, init(128)))).isEqualTo("0000h");
        }
    }

    @Test
    void check2_actionAbove04h_0002h_andAnOpenTransferStaysOpen() {
        try (TestDevice t = TestDevice.instant(dir)) {
            for (int a : new int[] {5, 0x80, 0xFF}) {
                assertThat(rc(t.transfer(Cci.MCTP, action(a)))).isEqualTo("0002h");
            }
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, action(5)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 128)))).isEqualTo("0000h");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void check3_abort_closesThisCcisTransfer_discardsItsBytes_0000h_alsoWithNoneOpen(Cci cci) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(cci, TransferFwRequest.abort()))).isEqualTo("0000h");
            assertThat(rc(t.transfer(cci, init(256)))).isEqualTo("0000h");
            assertThat(stagingExists()).isTrue();
            // Abort ignores the other fields, and comes before the size check
            assertThat(rc(t.transfer(cci, new TransferFwRequest(4, 9, 0xFFFF_FFFFL, zeros(128))))).isEqualTo("0000h");
            assertThat(stagingExists()).isFalse();
            assertThat(rc(t.transfer(cci, cont(2, 128)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(other(cci), init(128)))).isEqualTo("0000h");
        }
    }

    @Test
    void check4_sizeAboveTheMaximumPackageSize_0002h_with64BitArithmetic() {
        try (TestDevice t = TestDevice.builder(dir).instant()
                .config(b -> b.maxPackageSize(4096).payloadSizeExponent(14)).open()) {
            byte[] max = pkg("MAX", 4096 - 256);
            assertThat(max).hasSize(3968);
            byte[] exact = pkg("EXACT", 4096 - 128);
            assertThat(exact).hasSize(4096);
            FwInfo before = t.fwInfo();
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.full(2, zeros(4097))))).isEqualTo("0002h");
            assertThat(t.fwInfo()).isEqualTo(before);
            assertThat(rc(t.transfer(Cci.MAILBOX, full(2, exact)))).isEqualTo("0000h");
            // Full ignores the Offset field, also for the size
            assertThat(rc(t.transfer(Cci.MAILBOX,
                    new TransferFwRequest(0, 2, 0xFFFF_FFFFL, ByteBuffer.wrap(max))))).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(2)).isEqualTo("MAX");

            assertThat(rc(t.transfer(Cci.MAILBOX, init(4224)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MAILBOX, cont(0, 128)))).as("no transfer open").isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MAILBOX, init(256)))).isEqualTo("0000h");
            // the size check comes before the order check: not 0009h, and the transfer stays open
            assertThat(rc(t.transfer(Cci.MAILBOX, cont(2, 4096 - 256 + 128)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MAILBOX, cont(100, 128)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MAILBOX, cont(0xFFFF_FFFFL, 128)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.end(2, 0x0200_0000L, zeros(0)))))
                    .as("2^25 x 128 = 2^32 bytes").isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MAILBOX, cont(2, 128)))).isEqualTo("0000h");
            // Offset x 128 + length equal to the maximum is fine
            assertThat(rc(t.transfer(Cci.MAILBOX, cont(3, 4096 - 384)))).isEqualTo("0000h");
        }
    }

    @Test
    void check5_fullOrInitiateWhileATransferIsOpen_0008h_andItGoesOnUntouched() {
        byte[] pkg = pkg("FW 5", 512);
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, part(pkg, 0, 256))))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, part(pkg, 0, 256))))).isEqualTo("0008h");
            assertThat(rc(t.transfer(Cci.MCTP, init(128)))).isEqualTo("0008h");
            assertThat(rc(t.transfer(Cci.MCTP, full(2, pkg)))).isEqualTo("0008h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, part(pkg, 256, 512)))))
                    .isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 4, part(pkg, 512, 640))))).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(2)).isEqualTo("FW 5");
        }
    }

    @Test
    void check6_continueOrEndWithNoOpenTransfer_0002h() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, cont(0, 128)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 128)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 0, zeros(128))))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 0, zeros(0))))).isEqualTo("0002h");
            // also after a transfer ended
            byte[] pkg = pkg("FW 6", 128);
            assertThat(t.upload(Cci.MCTP, 2, pkg, 128)).isZero();
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 1, part(pkg, 128, 256))))).isEqualTo("0002h");
        }
    }

    @Test
    void check7_aRetransmittedPartIsAccepted_andItsBytesRewritten() {
        byte[] pkg = pkg("RETX", 512);
        byte[] garbage = new byte[256];
        Arrays.fill(garbage, (byte) 0x5A);
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, part(pkg, 0, 256))))).isEqualTo("0000h");
            // the Initiate part, sent again as a Continue: identical offset and length
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(0, part(pkg, 0, 256)))))
                    .isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, ByteBuffer.wrap(garbage)))))
                    .isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, part(pkg, 256, 512)))))
                    .isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 4, part(pkg, 512, 640))))).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(2)).isEqualTo("RETX");
        }
    }

    @Test
    void check7_anEndRetransmittingThePreviousPart_isAccepted_andEndsTheTransfer() throws IOException {
        byte[] pkg = pkg("END RETX", 512);
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, part(pkg, 0, 256))))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, part(pkg, 256, 640)))))
                    .isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 2, part(pkg, 256, 640))))).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(2)).isEqualTo("END RETX");
            assertThat(Files.readAllBytes(t.device().slotFile(2).orElseThrow())).isEqualTo(pkg);
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 2, part(pkg, 256, 640))))).isEqualTo("0002h");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(OutOfOrder.class)
    void check7_anOverlapOrAGap_0009h_andAbortsTheTransfer(OutOfOrder kind) {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MAILBOX, init(256)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MAILBOX, cont(2, 256)))).isEqualTo("0000h"); // previous: bytes 256..512
            assertThat(rc(t.transfer(Cci.MAILBOX, kind.request))).isEqualTo("0009h");
            assertThat(stagingExists()).isFalse();
            assertThat(rc(t.transfer(Cci.MAILBOX, cont(4, 128)))).as("aborted").isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, init(128)))).as("no longer owned").isEqualTo("0000h");
        }
    }

    enum OutOfOrder {
        GAP(cont(5, 128)),
        OVERLAP(cont(3, 256)),
        SAME_OFFSET_OTHER_LENGTH(cont(2, 128)),
        BACK_TO_THE_START(cont(0, 256)),
        END_WITH_A_GAP(TransferFwRequest.end(2, 6, zeros(10))),
        END_OVERLAPPING(TransferFwRequest.end(2, 3, zeros(0)));

        final TransferFwRequest request;

        OutOfOrder(TransferFwRequest request) {
            this.request = request;
        }
    }

    @Test
    void check7_comesBeforeTheLengthCheck_aWrongOffsetAndABadLengthIs0009h() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(5, 100)))).isEqualTo("0009h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 128)))).isEqualTo("0002h");
            // and before the slot check
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(0, 7, zeros(128))))).isEqualTo("0009h");
        }
    }

    @Test
    void check7_rejectedPartsNeverChangeThePreviousPart() {
        byte[] pkg = pkg("PREV", 512);
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, part(pkg, 0, 256))))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 100)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 0)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(0, 2, part(pkg, 256, 640))))).isEqualTo("000Bh");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(1, 2, part(pkg, 256, 640))))).isEqualTo("000Bh");
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(2, part(pkg, 256, 512)))))
                    .isEqualTo("0007h");
            t.inject(FaultSet::clear);
            assertThat(rc(t.transfer(Cci.MCTP, cont(0xFFFF_FFFFL, 128)))).isEqualTo("0002h");
            // the previous part is still the Initiate: its retransmission, and the part after it, are in order
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(0, part(pkg, 0, 256)))))
                    .isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 2, part(pkg, 256, 640))))).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(2)).isEqualTo("PREV");
        }
    }

    @Test
    void check8_initiateOffsetZero_nonZeroMultiplesOf128_fullNotEmpty_else0002h() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(1, zeros(256))))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 128)))).as("nothing was opened").isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, init(0)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, init(100)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, init(129)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.full(2, zeros(0))))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 0)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 200)))).isEqualTo("0002h");
            // none of these aborted the transfer
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 128)))).isEqualTo("0000h");
        }
    }

    @Test
    void check8_endMayCarryZeroBytes() {
        byte[] pkg = pkg("EMPTY END", 512);
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, part(pkg, 0, 512))))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.continuePart(4, part(pkg, 512, 640)))))
                    .isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 5, zeros(0))))).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(2)).isEqualTo("EMPTY END");
        }
    }

    @Test
    void check8_theFinalEndNeedNotBeAMultipleOf128() throws IOException {
        byte[] raw = new byte[1000];
        new Random(42).nextBytes(raw);
        try (TestDevice t = TestDevice.builder(dir).instant().config(b -> b.verifyPolicy(VerifyPolicy.NONE)).open()) {
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, part(raw, 0, 512))))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 4, part(raw, 512, 1000))))).isEqualTo("0000h");
            assertThat(Files.readAllBytes(t.device().slotFile(2).orElseThrow())).isEqualTo(raw);
            assertThat(t.fwInfo().revision(2)).isEqualTo(PackageVerifier.revisionOrRaw(raw)).startsWith("RAW-");
        }
    }

    @Test
    void check9_fullOrEndToSlot0_aboveSlotsSupported_orTheActiveSlot_000Bh() {
        byte[] pkg = pkg("SLOT", 128);
        try (TestDevice t = TestDevice.instant(dir)) {
            for (int slot : new int[] {0, 1, 3, 4, 255}) {
                assertThat(rc(t.transfer(Cci.MCTP, full(slot, pkg)))).as("slot %d", slot).isEqualTo("000Bh");
            }
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.initiate(0, part(pkg, 0, 128))))).isEqualTo("0000h");
            for (int slot : new int[] {0, 1, 3}) {
                assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(slot, 1, part(pkg, 128, 256)))))
                        .as("slot %d", slot).isEqualTo("000Bh");
            }
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(2, 1, part(pkg, 128, 256))))).isEqualTo("0000h");
            // once slot 2 is active, slot 1 is a target and slot 2 is not
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.online(2)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, full(2, pkg)))).isEqualTo("000Bh");
            assertThat(rc(t.transfer(Cci.MCTP, full(1, pkg)))).isEqualTo("0000h");
        }
    }

    @Test
    void check9_slotsSupportedFollowTheConfiguration() {
        byte[] pkg = pkg("FOUR", 128);
        try (TestDevice t = TestDevice.builder(dir).instant().config(b -> b.slots(4)).open()) {
            assertThat(rc(t.transfer(Cci.MCTP, full(4, pkg)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, full(5, pkg)))).isEqualTo("000Bh");
            assertThat(t.fwInfo().slotsSupported()).isEqualTo(4);
            assertThat(t.fwInfo().revision(4)).isEqualTo("FOUR");
        }
    }

    @Test
    void check10_mediaDisabled_0007h_afterEveryOtherCheck() {
        byte[] pkg = pkg("MEDIA", 128);
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0000h");
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 128)))).isEqualTo("0007h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 100)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.end(0, 2, zeros(128))))).isEqualTo("000Bh");
            assertThat(rc(t.transfer(Cci.MCTP, cont(9, 128)))).isEqualTo("0009h");
            assertThat(rc(t.transfer(Cci.MCTP, full(2, pkg)))).isEqualTo("0007h");
            assertThat(rc(t.transfer(Cci.MCTP, full(0, pkg)))).isEqualTo("000Bh");
            assertThat(rc(t.transfer(Cci.MCTP, init(128)))).isEqualTo("0007h");
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.abort()))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, action(5)))).isEqualTo("0002h");
            assertThat(t.fwInfo().revision(2)).isEmpty();
        }
    }

    @Test
    void onlyOutOfOrderAbortsAnOpenTransfer_0008hFromTheOtherCciLeavesItOpen() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MAILBOX, cont(2, 128)))).isEqualTo("0008h");
            assertThat(rc(t.transfer(Cci.MCTP, action(9)))).isEqualTo("0002h");
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0008h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 128)))).isEqualTo("0000h");
            assertThat(stagingExists()).isTrue();
        }
    }

    @Test
    void fullIgnoresTheOffsetField_andWritesFromByte0() throws IOException {
        byte[] pkg = pkg("FULL OFS", 300);
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MAILBOX, new TransferFwRequest(0, 2, 77, ByteBuffer.wrap(pkg)))))
                    .isEqualTo("0000h");
            assertThat(Files.readAllBytes(t.device().slotFile(2).orElseThrow())).isEqualTo(pkg);
            assertThat(t.fwInfo().revision(2)).isEqualTo("FULL OFS");
        }
    }

    @Test
    void success_commitsTheRevision_andClearsTheStagedMarkOfThatSlotOnly() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(b -> b.slots(3)).open()) {
            assertThat(t.uploadFull(Cci.MCTP, 2, pkg("A", 128))).isZero();
            assertThat(t.uploadFull(Cci.MCTP, 3, pkg("C", 128))).isZero();
            assertThat(rc(t.activate(Cci.MCTP, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            assertThat(t.uploadFull(Cci.MCTP, 3, pkg("C2", 128))).isZero();
            assertThat(t.fwInfo().stagedSlot()).as("a mark on another slot stays").isEqualTo(2);
            assertThat(t.upload(Cci.MAILBOX, 2, pkg("B", 512), 256)).isZero();
            FwInfo info = t.fwInfo();
            assertThat(info.stagedSlot()).isZero();
            assertThat(info.activeSlot()).isEqualTo(1);
            assertThat(info.slotRevisions()).containsExactly("BWFW VERSION 0", "B", "C2", "");
            // the transfer is closed
            assertThat(rc(t.transfer(Cci.MAILBOX, cont(6, 128)))).isEqualTo("0002h");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void failedVerification_000Ah_leavesEverySlotAsItWas_andClosesTheTransfer(Cci cci) throws IOException {
        try (TestDevice t = TestDevice.instant(dir)) {
            byte[] good = pkg("GOOD", 256);
            assertThat(t.uploadFull(cci, 2, good)).isZero();
            assertThat(rc(t.activate(cci, ActivateFwRequest.onNextReset(2)))).isEqualTo("0000h");
            FwInfo before = t.fwInfo();
            byte[] bad = pkg("BAD", 256);
            bad[130] ^= 0x01; // a body byte
            assertThat(rc(t.transfer(cci, full(2, bad)))).isEqualTo("000Ah");
            byte[] badHeader = pkg("BAD", 256);
            badHeader[40] ^= 0x01;
            assertThat(rc(t.transfer(cci, full(2, badHeader)))).isEqualTo("000Ah");
            assertThat(rc(t.transfer(cci, full(2, Arrays.copyOf(pkg("SHORT", 256), 256))))).isEqualTo("000Ah");
            assertThat(t.fwInfo()).isEqualTo(before);
            assertThat(Files.readAllBytes(t.device().slotFile(2).orElseThrow())).isEqualTo(good);
            assertThat(stagingExists()).isFalse();

            assertThat(rc(t.transfer(cci, TransferFwRequest.initiate(0, part(bad, 0, 256))))).isEqualTo("0000h");
            assertThat(rc(t.transfer(cci, TransferFwRequest.end(2, 2, part(bad, 256, 384))))).isEqualTo("000Ah");
            assertThat(t.fwInfo()).isEqualTo(before);
            assertThat(rc(t.transfer(cci, cont(3, 128)))).as("closed").isEqualTo("0002h");
            assertThat(rc(t.transfer(other(cci), init(128)))).isEqualTo("0000h");
        }
    }

    @Test
    void interPartTimeout_abortsAStaleTransfer_soAnotherCciCanInitiate() {
        try (TestDevice t = TestDevice.instant(dir)) {
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0000h");
            t.advance(Duration.ofSeconds(30));
            // "more than the inter-part timeout ago": still open at exactly 30 s
            assertThat(rc(t.transfer(Cci.MAILBOX, init(128)))).isEqualTo("0008h");
            assertThat(stagingExists()).isTrue();
            t.advance(Duration.ofNanos(1));
            assertThat(stagingExists()).isFalse();
            assertThat(rc(t.transfer(Cci.MAILBOX, init(128)))).isEqualTo("0000h");
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 128)))).isEqualTo("0008h");
        }
    }

    @Test
    void interPartTimeout_isConfigurable_andEachAcceptedPartRestartsIt() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(b -> b.partTimeout(Duration.ofSeconds(5))).open()) {
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0000h");
            t.advance(Duration.ofMillis(4_900));
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 128)))).isEqualTo("0000h");
            t.advance(Duration.ofMillis(4_900));
            // a rejected part does not restart it
            assertThat(rc(t.transfer(Cci.MCTP, cont(3, 100)))).isEqualTo("0002h");
            t.advance(Duration.ofMillis(200));
            assertThat(rc(t.transfer(Cci.MCTP, cont(3, 128)))).isEqualTo("0002h");
        }
    }

    @Test
    void interPartTimeout_runsFromTheCompletionOfThePreviousPart() {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.realistic().withPartTime(Duration.ofSeconds(2)))
                .open()) {
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0001h");
            t.advance(Duration.ofMillis(31_900));
            assertThat(rc(t.transfer(Cci.MAILBOX, init(128)))).isEqualTo("0008h");
            t.advance(Duration.ofMillis(200));
            assertThat(rc(t.transfer(Cci.MAILBOX, init(128)))).isEqualTo("0001h");
        }
    }

    @Test
    void interPartTimeout_expiresAlsoWhileAnUnrelatedBackgroundOperationRuns() {
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.instant().withActivateTime(Duration.ofSeconds(60)))
                .open()) {
            assertThat(t.uploadFull(Cci.MAILBOX, 2, pkg("FW 2", 128))).isZero();
            assertThat(rc(t.transfer(Cci.MCTP, init(256)))).isEqualTo("0000h");
            assertThat(rc(t.activate(Cci.MAILBOX, ActivateFwRequest.online(2)))).isEqualTo("0001h");
            t.advance(Duration.ofSeconds(61));
            assertThat(t.fwInfo().activeSlot()).isEqualTo(2);
            assertThat(rc(t.transfer(Cci.MCTP, cont(2, 128)))).as("the transfer expired at 30 s").isEqualTo("0002h");
        }
    }
}
