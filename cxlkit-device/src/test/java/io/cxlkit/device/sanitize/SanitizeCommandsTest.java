package io.cxlkit.device.sanitize;

import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.testing.Events;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.GetLsaRequest;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.payload.MemoryModuleEvent;
import io.cxlkit.protocol.payload.SecurityState;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import io.cxlkit.protocol.payload.SetLsaRequest;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.regs.MemoryDeviceStatus;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Get Security State, Sanitize and Secure Erase (memdev-commands.md §9, §2.4, §1), on both CCIs:
 * their checks, what a Sanitize changes at its start and at its completion, in which order, and
 * what it keeps.
 */
class SanitizeCommandsTest {

    @TempDir
    Path dir;

    private RecordingMediaErase media;

    private TestDevice open(Timing timing) {
        media = new RecordingMediaErase(dir);
        return TestDevice.builder(dir).timing(timing).mediaErase(media).open();
    }

    private TestDevice instant() {
        return open(Timing.instant());
    }

    private Path mark() {
        return dir.resolve(SanitizeMark.FILE);
    }

    private static String send(TestDevice t, Cci cci, CommandId id, byte[] payload) {
        return rc(t.send(cci, id, payload).returnCode());
    }

    private static String setLsa(TestDevice t, Cci cci, int offset, byte[] data) {
        return send(t, cci, CommandId.SET_LSA, new SetLsaRequest(offset, ByteBuffer.wrap(data)).encode());
    }

    private static TestDevice.Reply getLsa(TestDevice t, Cci cci, int offset, int length) {
        return t.send(cci, CommandId.GET_LSA, new GetLsaRequest(offset, length).encode());
    }

    // ---- Get Security State 4500h ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void getSecurityState_isFourZeroBytes_noPassphraseUnlockedNotFrozen(Cci cci) {
        try (TestDevice t = instant()) {
            TestDevice.Reply r = t.send(cci, CommandId.GET_SECURITY_STATE);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.output()).containsExactly(0, 0, 0, 0);
            assertThat(SecurityState.decode(ByteBuffer.wrap(r.output()))).isEqualTo(SecurityState.NONE);
            assertThat(send(t, cci, CommandId.GET_SECURITY_STATE, new byte[1])).isEqualTo("0016h");
            // also while media is disabled: it reads no media
            t.inject(FaultSet::setMediaDisabled);
            assertThat(rc(t.send(cci, CommandId.GET_SECURITY_STATE).returnCode())).isEqualTo("0000h");
        }
    }

    // ---- Sanitize 4400h: checks ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void sanitize_takesExactlyZeroInputBytes_0016h(Cci cci) {
        try (TestDevice t = instant()) {
            assertThat(send(t, cci, CommandId.SANITIZE, new byte[1])).isEqualTo("0016h");
            assertThat(send(t, cci, CommandId.SANITIZE, new byte[8])).isEqualTo("0016h");
            assertThat(media.calls()).isEmpty();
            assertThat(t.device().sanitizePending()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void sanitize_withTheMediaDisabledFault_0007h_andNothingStarts(Cci cci) {
        try (TestDevice t = open(Timing.instant().withSanitizeTime(Duration.ofSeconds(5)))) {
            t.inject(FaultSet::setMediaDisabled);
            assertThat(send(t, cci, CommandId.SANITIZE, new byte[0])).isEqualTo("0007h");
            assertThat(t.bgStatus(cci).inProgress()).isFalse();
            assertThat(t.device().sanitizePending()).isFalse();
            assertThat(Files.exists(mark())).isFalse();
            assertThat(media.calls()).isEmpty();
        }
    }

    // ---- Sanitize: zero duration ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void sanitize_withZeroDuration_completesSynchronously_0000h(Cci cci) {
        try (TestDevice t = instant()) {
            assertThat(setLsa(t, cci, 10, new byte[] {1, 2, 3})).isEqualTo("0000h");
            TestDevice.Reply r = t.send(cci, CommandId.SANITIZE);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.backgroundFlag()).isFalse();
            assertThat(t.device().sanitizePending()).isFalse();
            assertThat(Files.exists(mark())).isFalse();
            assertThat(getLsa(t, cci, 0, 16).output()).containsExactly(new byte[16]);
            // the start's media-status record went with the logs at the completion
            assertThat(Events.allRecords(t)).isEmpty();
            assertThat(media.calls()).containsExactly("sanitizeMedia mark=true lsa=true",
                    "discardScanResults mark=true lsa=false");
        }
    }

    // ---- Sanitize: start ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void sanitize_start_persistsTheMarkBeforeAnswering_andDisablesMedia(Cci cci) {
        try (TestDevice t = open(Timing.instant().withSanitizeTime(Duration.ofSeconds(10)))) {
            assertThat(setLsa(t, cci, 0, new byte[] {9})).isEqualTo("0000h");
            TestDevice.Reply r = t.send(cci, CommandId.SANITIZE);
            assertThat(rc(r.returnCode())).isEqualTo("0001h");
            if (cci == Cci.MCTP) {
                assertThat(r.backgroundFlag()).isTrue();
            }
            assertThat(Files.exists(mark())).as("the mark is on disk when the command answers").isTrue();
            assertThat(t.device().sanitizePending()).isTrue();
            // §2.4 on both CCIs: the register, the health Media Status, the media-gated commands
            MemoryDeviceStatus mds = t.device().memoryDeviceStatus();
            assertThat(mds.mediaStatus()).isEqualTo(MemoryDeviceStatus.MEDIA_DISABLED);
            assertThat(mds.resetNeeded()).isEqualTo(MemoryDeviceStatus.RESET_COLD);
            for (Cci any : Cci.values()) {
                HealthInfo h = Events.health(t, any);
                assertThat(h.mediaStatus()).isEqualTo(HealthInfo.MEDIA_NOT_READY);
                assertThat(h.healthStatus()).as("bit 0 only for the fault").isZero();
                assertThat(rc(getLsa(t, any, 0, 4).returnCode())).isEqualTo("0007h");
                assertThat(setLsa(t, any, 0, new byte[] {1})).isEqualTo("0007h");
                assertThat(send(t, any, CommandId.SECURE_ERASE, new byte[0])).isEqualTo("0007h");
            }
            // the media-status change adds one Failure Memory Module record (§3.3)
            List<EventRecord> failures = Events.records(t, EventLog.FAILURE);
            assertThat(failures).hasSize(1);
            MemoryModuleEvent mm = failures.get(0).memoryModule().orElseThrow();
            assertThat(mm.deviceEventType()).isEqualTo(MemoryModuleEvent.MEDIA_STATUS_CHANGE);
            assertThat(mm.health().mediaStatus()).isEqualTo(HealthInfo.MEDIA_NOT_READY);
        }
    }

    // ---- Sanitize: completion ----

    @Test
    void sanitize_completion_zeroesLsaAndEmptiesLogs_keepingHandlesCountersAndAlerts_markLast() {
        try (TestDevice t = open(Timing.instant().withSanitizeTime(Duration.ofSeconds(2)))) {
            // a Dirty Shutdown Count of 1: dirty, then a kill and a restart
            assertThat(send(t, Cci.MAILBOX, CommandId.SET_SHUTDOWN_STATE, new byte[] {1})).isEqualTo("0000h");
            t.crashAndReopen();
            assertThat(Events.health(t, Cci.MCTP).dirtyShutdownCount()).isEqualTo(1);
            // an over-temperature warning at 80 °C, enabled
            assertThat(Events.setAlerts(t, Cci.MAILBOX, new SetAlertConfigRequest(0x02, 0x02, 0, 80, 0, 0, 0)))
                    .isZero();
            byte[] alerts = t.send(Cci.MCTP, CommandId.GET_ALERT_CONFIGURATION).output();
            t.device().injectCorrectedErrors(0, 3);
            long correctedBefore = Events.health(t, Cci.MCTP).correctedPersistentErrorCount();
            assertThat(correctedBefore).isEqualTo(3);
            byte[] lsa = new byte[300];
            java.util.Arrays.fill(lsa, (byte) 0x5A);
            assertThat(setLsa(t, Cci.MCTP, 100, lsa)).isEqualTo("0000h");
            assertThat(setLsa(t, Cci.MAILBOX, 1000, lsa)).isEqualTo("0000h"); // a journal record too
            int infoBefore = Events.records(t, EventLog.INFORMATIONAL).size();
            assertThat(infoBefore).isPositive();

            assertThat(send(t, Cci.MAILBOX, CommandId.SANITIZE, new byte[0])).isEqualTo("0001h");
            int startRecord = Events.records(t, EventLog.FAILURE).get(0).handle();
            // the work has run (inline worker); the effects wait for the completion instant
            assertThat(media.calls()).containsExactly("sanitizeMedia mark=true lsa=true");
            t.advance(Duration.ofMillis(1999));
            assertThat(t.device().sanitizePending()).isTrue();
            assertThat(Events.records(t, EventLog.FAILURE)).hasSize(1);
            t.advance(Duration.ofMillis(1));
            assertThat(t.bgStatus(Cci.MAILBOX).returnCode()).isZero();
            assertThat(t.bgStatus(Cci.MAILBOX).percentComplete()).isEqualTo(100);

            assertThat(media.calls()).containsExactly("sanitizeMedia mark=true lsa=true",
                    "discardScanResults mark=true lsa=false");
            assertThat(Files.exists(mark())).isFalse();
            assertThat(t.device().sanitizePending()).isFalse();
            assertThat(t.device().memoryDeviceStatus().mediaStatus()).isEqualTo(MemoryDeviceStatus.MEDIA_READY);
            for (Cci cci : Cci.values()) {
                byte[] whole = new byte[2048];
                for (int at = 0; at < whole.length; at += 512) {
                    TestDevice.Reply r = getLsa(t, cci, at, 512);
                    assertThat(rc(r.returnCode())).isEqualTo("0000h");
                    System.arraycopy(r.output(), 0, whole, at, 512);
                }
                assertThat(whole).containsOnly(0);
            }
            // Not Ready -> Normal adds nothing: every log is empty
            assertThat(Events.allRecords(t)).isEmpty();
            HealthInfo after = Events.health(t, Cci.MCTP);
            assertThat(after.mediaStatus()).isEqualTo(HealthInfo.MEDIA_NORMAL);
            assertThat(after.dirtyShutdownCount()).isEqualTo(1);
            assertThat(after.correctedPersistentErrorCount()).isEqualTo(correctedBefore);
            assertThat(t.send(Cci.MCTP, CommandId.GET_ALERT_CONFIGURATION).output()).containsExactly(alerts);
            // handles keep counting: the next Failure record follows the start's, not 0001h
            t.inject(f -> f.setMediaStatus(FaultSet.MediaStatus.DATA_LOST));
            assertThat(Events.records(t, EventLog.FAILURE).get(0).handle()).isEqualTo(startRecord + 1);
            t.device().injectCorrectedErrors(0, 1);
            assertThat(Events.records(t, EventLog.INFORMATIONAL).get(0).handle()).isEqualTo(infoBefore + 1);
            // the LSA is writable again
            assertThat(setLsa(t, Cci.MCTP, 0, new byte[] {7})).isEqualTo("0000h");
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void sanitize_whoseMediaWorkFails_0004h_staysPending(Cci cci) {
        try (TestDevice t = open(Timing.instant().withSanitizeTime(Duration.ofSeconds(1)))) {
            media.failNextSanitize();
            assertThat(send(t, cci, CommandId.SANITIZE, new byte[0])).isEqualTo("0001h");
            assertThat(rc(t.finishBackground(cci))).isEqualTo("0004h");
            assertThat(t.device().sanitizePending()).isTrue();
            assertThat(Files.exists(mark())).isTrue();
            assertThat(media.calls()).containsExactly("sanitizeMedia mark=true lsa=false");
            // a second Sanitize is the way out
            assertThat(send(t, cci, CommandId.SANITIZE, new byte[0])).isEqualTo("0001h");
            assertThat(rc(t.finishBackground(cci))).isEqualTo("0000h");
            assertThat(t.device().sanitizePending()).isFalse();
        }
    }

    // ---- Secure Erase 4401h ----

    @ParameterizedTest
    @EnumSource(Cci.class)
    void secureErase_erasesMediaSynchronously_keepingLsaAndLogs(Cci cci) {
        try (TestDevice t = open(Timing.realistic())) {
            assertThat(send(t, cci, CommandId.SECURE_ERASE, new byte[1])).isEqualTo("0016h");
            assertThat(setLsa(t, cci, 5, new byte[] {4, 5})).isEqualTo("0000h");
            t.device().injectCorrectedErrors(0, 1);
            List<EventRecord> records = Events.allRecords(t);
            TestDevice.Reply r = t.send(cci, CommandId.SECURE_ERASE);
            assertThat(rc(r.returnCode())).isEqualTo("0000h");
            assertThat(r.backgroundFlag()).isFalse();
            assertThat(r.output()).isEmpty();
            assertThat(media.calls()).containsExactly("secureEraseMedia mark=false lsa=true");
            assertThat(getLsa(t, cci, 5, 2).output()).containsExactly(4, 5);
            assertThat(Events.allRecords(t)).isEqualTo(records);
            assertThat(t.device().sanitizePending()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void secureErase_mediaDisabled_0007h_byTheFault_orByAPendingSanitize(Cci cci) {
        try (TestDevice t = open(Timing.instant().withSanitizeTime(Duration.ofSeconds(1)))) {
            t.inject(FaultSet::setMediaDisabled);
            assertThat(send(t, cci, CommandId.SECURE_ERASE, new byte[0])).isEqualTo("0007h");
            t.inject(FaultSet::clear);
            assertThat(send(t, cci, CommandId.SANITIZE, new byte[0])).isEqualTo("0001h");
            assertThat(t.requestAbort(cci)).isZero();
            assertThat(send(t, cci, CommandId.SECURE_ERASE, new byte[0])).isEqualTo("0007h");
            assertThat(media.calls()).noneMatch(c -> c.startsWith("secureEraseMedia"));
        }
    }

    @ParameterizedTest
    @EnumSource(Cci.class)
    void secureErase_whileABackgroundOperationRuns_0006h_onEitherCci(Cci cci) {
        try (TestDevice t = open(Timing.realistic().withPartTime(Duration.ofSeconds(1)))) {
            assertThat(t.transfer(cci, TransferFwRequest.initiate(0, ByteBuffer.wrap(new byte[128])))).isEqualTo(1);
            for (Cci any : Cci.values()) {
                assertThat(send(t, any, CommandId.SECURE_ERASE, new byte[0])).isEqualTo("0006h");
            }
            assertThat(media.calls()).isEmpty();
            assertThat(t.finishBackground(cci)).isZero();
            assertThat(send(t, cci, CommandId.SECURE_ERASE, new byte[0])).isEqualTo("0000h");
        }
    }
}
