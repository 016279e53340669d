package io.cxlkit.device.sanitize;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.Timing;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.regs.MemoryDeviceStatus;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sanitize as a background operation (memdev-commands.md §10, §11; device-behaviour.md §2): what
 * the other commands get while it runs, Percentage Complete, abort, cold reset and restart, and
 * the pending mark that outlives them.
 */
class SanitizeBackgroundTest {

    private static final Opcode SANITIZE = CommandId.SANITIZE.opcode();
    /** A 10 s Sanitize; firmware parts and activation instant. */
    private static final Timing TIMING = Timing.instant().withSanitizeTime(Duration.ofSeconds(10));

    @TempDir
    Path dir;

    private RecordingMediaErase media;

    private TestDevice open() {
        media = new RecordingMediaErase(dir);
        return TestDevice.builder(dir).timing(TIMING).mediaErase(media).open();
    }

    private static Cci other(Cci cci) {
        return cci == Cci.MAILBOX ? Cci.MCTP : Cci.MAILBOX;
    }

    private static int transferFull(TestDevice t, Cci cci) {
        return t.transfer(cci, TransferFwRequest.full(2, ByteBuffer.wrap(TestDevice.pkg("NEW", 256))));
    }

    private static void assertMediaDisabled(TestDevice t) {
        MemoryDeviceStatus s = t.device().memoryDeviceStatus();
        assertThat(s.mediaStatus()).isEqualTo(MemoryDeviceStatus.MEDIA_DISABLED);
        assertThat(s.resetNeeded()).isEqualTo(MemoryDeviceStatus.RESET_COLD);
        assertThat(t.device().sanitizePending()).isTrue();
    }

    private void startSanitize(TestDevice t, Cci cci) {
        assertThat(rc(t.send(cci, CommandId.SANITIZE).returnCode())).isEqualTo("0001h");
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void whileItRuns_backgroundCommandsGet0006h_onEitherCci_andTheOwnerReportsIt(Cci cci) {
        try (TestDevice t = open()) {
            assertThat(t.uploadFull(cci, 2, TestDevice.pkg("B", 256))).isZero(); // a slot to activate
            startSanitize(t, cci);
            for (Cci any : Cci.values()) {
                assertThat(rc(transferFull(t, any))).isEqualTo("0006h");
                assertThat(rc(t.activate(any, new ActivateFwRequest(0, 2)))).isEqualTo("0006h");
                assertThat(rc(t.send(any, CommandId.SANITIZE).returnCode())).isEqualTo("0006h");
                // Secure Erase: media disabled (the pending Sanitize) is its first check
                assertThat(rc(t.send(any, CommandId.SECURE_ERASE).returnCode())).isEqualTo("0007h");
            }
            assertThat(t.bgStatus(cci)).isEqualTo(new BackgroundOperationStatus(true, 0, SANITIZE, 0, 0));
            assertThat(t.bgStatus(other(cci)).inProgress()).isFalse();
            assertThat(t.finishBackground(cci)).isZero();
            assertThat(t.fwInfo().activeSlot()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void percentageComplete_isFloorOf99TimesElapsedOverDuration_and100OnlyAtCompletion(Cci cci) {
        try (TestDevice t = open()) {
            startSanitize(t, cci);
            assertThat(t.bgStatus(cci).percentComplete()).isZero();
            t.advance(Duration.ofMillis(2500));
            assertThat(t.bgStatus(cci).percentComplete()).isEqualTo(24); // floor(99 * 0.25)
            t.advance(Duration.ofMillis(2500));
            assertThat(t.bgStatus(cci).percentComplete()).isEqualTo(49); // floor(49.5)
            t.advance(Duration.ofMillis(4999));
            assertThat(t.bgStatus(cci)).isEqualTo(new BackgroundOperationStatus(true, 98, SANITIZE, 0, 0));
            t.advance(Duration.ofMillis(1));
            assertThat(t.bgStatus(cci)).isEqualTo(new BackgroundOperationStatus(false, 100, SANITIZE, 0, 0));
            assertThat(t.device().sanitizePending()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void abortOnTheOwningCci_0012h_mediaStaysDisabled_theMarkStays(Cci cci) {
        try (TestDevice t = open()) {
            startSanitize(t, cci);
            t.advance(Duration.ofSeconds(3));
            // the other CCI runs nothing: 0000h, and nothing stops
            assertThat(t.requestAbort(other(cci))).isZero();
            assertThat(t.bgStatus(cci).inProgress()).isTrue();
            assertThat(t.requestAbort(cci)).isZero();
            BackgroundOperationStatus s = t.bgStatus(cci);
            assertThat(s.inProgress()).isFalse();
            assertThat(s.opcode()).isEqualTo(SANITIZE);
            assertThat(rc(s.returnCode())).isEqualTo("0012h");
            assertThat(s.percentComplete()).isEqualTo(29).isLessThan(100); // floor(99 * 0.3)
            assertMediaDisabled(t);
            assertThat(Files.exists(dir.resolve(SanitizeMark.FILE))).isTrue();
            // nothing runs now: Transfer FW reaches its step 10 and gets 0007h, on either CCI
            for (Cci any : Cci.values()) {
                assertThat(rc(transferFull(t, any))).isEqualTo("0007h");
            }
            // nothing resumes on its own
            t.advance(Duration.ofSeconds(60));
            assertMediaDisabled(t);
            assertThat(media.calls()).doesNotContain("discardScanResults mark=true lsa=false");
        }
    }

    @Test
    void aColdResetDuringSanitize_leavesItPending_andALaterSanitizeClearsIt() {
        try (TestDevice t = open()) {
            startSanitize(t, Cci.MAILBOX);
            t.advance(Duration.ofSeconds(1));
            t.coldReset();
            assertThat(t.bgStatus(Cci.MAILBOX).inProgress()).isFalse();
            assertMediaDisabled(t);
            t.advance(Duration.ofSeconds(60));
            assertMediaDisabled(t);
            startSanitize(t, Cci.MCTP);
            assertThat(t.finishBackground(Cci.MCTP)).isZero();
            assertThat(t.device().sanitizePending()).isFalse();
            assertThat(t.device().memoryDeviceStatus().mediaStatus()).isEqualTo(MemoryDeviceStatus.MEDIA_READY);
            assertThat(Files.exists(dir.resolve(SanitizeMark.FILE))).isFalse();
        }
    }

    @Test
    void aRestartWithTheMarkPresent_opensWithMediaDisabled_untilASanitizeCompletes() {
        try (TestDevice t = open()) {
            startSanitize(t, Cci.MCTP);
            t.crashAndReopen(); // killed mid-Sanitize
            assertMediaDisabled(t);
            assertThat(t.bgStatus(Cci.MCTP).inProgress()).as("nothing resumes").isFalse();
            assertThat(rc(t.send(Cci.MCTP, CommandId.GET_LSA,
                    new io.cxlkit.protocol.payload.GetLsaRequest(0, 4).encode()).returnCode())).isEqualTo("0007h");
            t.reopen(); // and a graceful restart too
            assertMediaDisabled(t);
            startSanitize(t, Cci.MAILBOX);
            assertThat(t.finishBackground(Cci.MAILBOX)).isZero();
            t.reopen();
            assertThat(t.device().sanitizePending()).isFalse();
            assertThat(t.device().memoryDeviceStatus().mediaStatus()).isEqualTo(MemoryDeviceStatus.MEDIA_READY);
        }
    }

    @Test
    void stateListenersHearOfTheStart_mediaDisabled_andOfTheCompletion() {
        try (TestDevice t = open()) {
            java.util.List<Boolean> heard = new java.util.ArrayList<>();
            t.device().addStateListener(d -> heard.add(d.sanitizePending()));
            startSanitize(t, Cci.MCTP);
            assertThat(heard).containsExactly(true);
            assertThat(t.finishBackground(Cci.MCTP)).isZero();
            assertThat(heard).containsExactly(true, false);
        }
    }

    @Test
    void aSanitizeIsRefusedWhileAnotherBackgroundOperationRuns_0006h() {
        try (TestDevice t = TestDevice.builder(dir).timing(TIMING.withPartTime(Duration.ofSeconds(1))).open()) {
            assertThat(t.transfer(Cci.MAILBOX, TransferFwRequest.initiate(0, ByteBuffer.wrap(new byte[128]))))
                    .isEqualTo(1);
            for (Cci any : Cci.values()) {
                assertThat(rc(t.send(any, CommandId.SANITIZE).returnCode())).isEqualTo("0006h");
            }
            assertThat(t.device().sanitizePending()).isFalse();
            assertThat(Files.exists(dir.resolve(SanitizeMark.FILE))).isFalse();
        }
    }
}
