package io.cxlkit.host.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.fw.VerificationLogRing;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.host.cci.RecordingTransport;
import io.cxlkit.host.cci.RecordingTransport.Command;
import io.cxlkit.host.upload.FirmwareUploader.CancelResult;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.fwpkg.VerificationCheck;
import io.cxlkit.protocol.fwpkg.VerificationFailure;
import io.cxlkit.protocol.payload.ActivateFwAction;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwAction;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.protocol.payload.VerificationLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The upload state machine against a recording transport: the kernel's command sequence with its
 * defects fixed, cancel, and the error table of reference.md §6.
 */
class FirmwareUploaderTest {

    private static final int P = 4096;
    private static final int CHUNK = P - 128;
    private static final Clock WALL = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final RecordingTransport transport = new RecordingTransport().maxPayload(P);
    private final List<UploadStatus> published = Collections.synchronizedList(new ArrayList<>());
    private final FirmwareUploader uploader = new FirmwareUploader(new CciClient(transport), WALL, published::add);
    private final List<FileChannel> open = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() throws IOException {
        pool.shutdownNow();
        for (FileChannel ch : open) {
            ch.close();
        }
    }

    private byte[] bytes(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private FileChannel channel(byte[] image) throws IOException {
        Path f = Files.createTempFile(dir, "fw", ".img");
        Files.write(f, image);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
        open.add(ch);
        return ch;
    }

    /** begin + run, as the daemon and update-firmware --cci do. */
    private UploadStatus upload(byte[] image) throws Exception {
        FileChannel ch = channel(image);
        return uploader.begin(image.length).run(ch);
    }

    /**
     * Commands before the first part: Get Log of the Verification Log's header (what the log held
     * before the upload, docs/verification-log.md) and Get FW Info.
     */
    private static final int BEFORE_PARTS = 2;

    /** Answers {@code rc} to the {@code nth} Transfer FW command (1 = the first). */
    private static Integer onTransfer(Command c, int nth, int rc) {
        return c.isTransfer() && c.index() == BEFORE_PARTS + nth - 1 ? rc : null;
    }

    private static void assertNoErrorDetail(UploadStatus s) {
        assertThat(s.failedOpcode()).isEmpty();
        assertThat(s.failedReturnCode()).isEmpty();
    }

    // ---- the command sequence ----

    @Test
    void anEightMiBImageGoesAs2115TransferFwCommandsThenOneActivateOnNextReset() throws Exception {
        byte[] image = bytes(8 << 20);

        UploadStatus end = upload(image);

        List<Command> all = transport.commands();
        assertThat(all.get(0).is(CommandId.GET_LOG)).isTrue();
        assertThat(all.get(1).is(CommandId.GET_FW_INFO)).isTrue();
        List<Command> transfers = transport.transfers();
        assertThat(transfers).hasSize(2115);
        assertThat(all).hasSize(BEFORE_PARTS + 2115 + 1);
        for (int i = 0; i < transfers.size(); i++) {
            TransferFwRequest r = transfers.get(i).transfer();
            TransferFwAction expected = i == 0 ? TransferFwAction.INITIATE
                    : i == 2114 ? TransferFwAction.END : TransferFwAction.CONTINUE;
            assertThat(r.knownAction()).as("part %d", i).contains(expected);
            assertThat(r.slot()).as("slot of part %d", i).isEqualTo(i == 2114 ? 2 : 0);
            assertThat(r.offsetUnits()).as("offset of part %d", i).isEqualTo((long) i * CHUNK / 128);
            assertThat(r.dataLength()).as("length of part %d", i).isEqualTo(i == 2114 ? 256 : CHUNK);
            assertThat(transfers.get(i).payload().length).isLessThanOrEqualTo(P);
        }
        assertThat(transport.transferredData()).isEqualTo(image);
        assertThat(transport.aborts()).isEmpty();

        assertThat(transport.activations()).hasSize(1);
        Command activate = all.get(all.size() - 1);
        assertThat(activate.isActivate()).isTrue();
        assertThat(activate.activate().knownAction()).contains(ActivateFwAction.ON_NEXT_RESET);
        assertThat(activate.activate().action()).isEqualTo(0x01);
        assertThat(activate.activate().slot()).isEqualTo(2);

        assertThat(end.stage()).isEqualTo(UploadStage.IDLE);
        assertThat(end.error()).isEmpty();
        assertThat(end.failureMessage()).isEmpty();
        assertNoErrorDetail(end);
        assertThat(end.imageSize()).isEqualTo(8 << 20);
        assertThat(end.remainingSize()).isZero();
        assertThat(end.bytesSent()).isEqualTo(8 << 20);
        assertThat(end.partsSent()).isEqualTo(2115);
        assertThat(end.started()).contains(WALL.instant());
        assertThat(end.finished()).contains(WALL.instant());
        assertThat(uploader.status()).isEqualTo(end);
        assertThat(uploader.inProgress()).isFalse();
        assertThat(transport.maxPayloadCalls()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} slots, active {1}: End and Activate to slot {2}")
    @CsvSource({"2,1,2", "2,2,1", "3,1,2", "3,2,3", "3,3,1", "4,4,1", "4,3,4"})
    void theTargetSlotRotatesFromTheActiveSlot(int slots, int active, int target) throws Exception {
        transport.fwInfo(slots, active);

        upload(bytes(3 * CHUNK + 5));

        List<Command> transfers = transport.transfers();
        assertThat(transfers.get(transfers.size() - 1).transfer().knownAction()).contains(TransferFwAction.END);
        assertThat(transfers.get(transfers.size() - 1).transfer().slot()).isEqualTo(target);
        assertThat(transfers.subList(0, transfers.size() - 1)).allSatisfy(c -> assertThat(c.transfer().slot()).isZero());
        assertThat(transport.activations()).singleElement()
                .satisfies(c -> assertThat(c.activate().slot()).isEqualTo(target));
    }

    @Test
    void aFullGoesToTheRotatedSlotToo() throws Exception {
        transport.fwInfo(3, 3);

        upload(bytes(1000));

        assertThat(transport.transfers()).singleElement().satisfies(c -> {
            assertThat(c.transfer().knownAction()).contains(TransferFwAction.FULL);
            assertThat(c.transfer().slot()).isEqualTo(1);
        });
        assertThat(transport.activations()).singleElement()
                .satisfies(c -> assertThat(c.activate().slot()).isEqualTo(1));
    }

    @Test
    void anImageOfExactlyPMinus128BytesGoesAsOneFullNeverALoneInitiate() throws Exception {
        byte[] image = bytes(P - 128);

        UploadStatus end = upload(image);

        assertThat(transport.transfers()).singleElement().satisfies(c -> {
            TransferFwRequest r = c.transfer();
            assertThat(r.knownAction()).contains(TransferFwAction.FULL);
            assertThat(r.slot()).isEqualTo(2);
            assertThat(r.offsetUnits()).isZero();
            assertThat(r.dataLength()).isEqualTo(P - 128);
            assertThat(c.payload()).hasSize(P);
        });
        assertThat(transport.transferredData()).isEqualTo(image);
        assertThat(transport.activations()).hasSize(1);
        assertThat(end.error()).isEmpty();
        assertThat(end.partsSent()).isEqualTo(1);
    }

    @Test
    void anImageOfPMinus127BytesGoesAsInitiateAndAOneByteEnd() throws Exception {
        byte[] image = bytes(P - 127);

        UploadStatus end = upload(image);

        List<Command> transfers = transport.transfers();
        assertThat(transfers).hasSize(2);
        assertThat(transfers.get(0).transfer())
                .isEqualTo(TransferFwRequest.initiate(0, java.nio.ByteBuffer.wrap(image, 0, CHUNK)));
        assertThat(transfers.get(1).transfer())
                .isEqualTo(TransferFwRequest.end(2, CHUNK / 128, java.nio.ByteBuffer.wrap(image, CHUNK, 1)));
        assertThat(end.error()).isEmpty();
        assertThat(end.partsSent()).isEqualTo(2);
        assertThat(end.bytesSent()).isEqualTo(P - 127);
    }

    @Test
    void remainingSizeCountsDownPerPartToZeroWithBytesAndPartsSent() throws Exception {
        int size = 4 * CHUNK + 100;

        upload(bytes(size));

        List<UploadStatus> seen = List.copyOf(published);
        assertThat(seen.get(0).stage()).isEqualTo(UploadStage.RECEIVING);
        assertThat(seen.get(0).remainingSize()).isEqualTo(size);
        assertThat(seen).extracting(UploadStatus::stage).containsSubsequence(UploadStage.RECEIVING,
                UploadStage.PREPARING, UploadStage.TRANSFERRING, UploadStage.PROGRAMMING, UploadStage.IDLE);
        List<UploadStatus> transferring = seen.stream().filter(s -> s.stage() == UploadStage.TRANSFERRING).toList();
        assertThat(transferring).extracting(UploadStatus::remainingSize)
                .containsExactly((long) size, (long) size - CHUNK, (long) size - 2 * CHUNK, (long) size - 3 * CHUNK,
                        100L, 0L);
        assertThat(transferring).extracting(UploadStatus::bytesSent)
                .containsExactly(0L, (long) CHUNK, 2L * CHUNK, 3L * CHUNK, 4L * CHUNK, (long) size);
        assertThat(transferring).extracting(UploadStatus::partsSent).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(uploader.status());
        assertThat(seen.get(seen.size() - 1).remainingSize()).isZero();
    }

    @Test
    void theStatusShowsTheRunningUploadWhileItRuns() throws Exception {
        List<UploadStatus> during = new ArrayList<>();
        transport.onCommand(c -> {
            if (c.isTransfer()) {
                during.add(uploader.status());
            }
        });

        upload(bytes(3 * CHUNK));

        assertThat(during).hasSize(3).allSatisfy(s -> {
            assertThat(s.stage()).isEqualTo(UploadStage.TRANSFERRING);
            assertThat(s.inProgress()).isTrue();
        });
        assertThat(during).extracting(UploadStatus::remainingSize)
                .containsExactly(3L * CHUNK, 2L * CHUNK, (long) CHUNK);
    }

    @Test
    void theSameSequenceWorksWhenTheDeviceRunsPartsInTheBackground() throws Exception {
        transport.background(true);
        byte[] image = bytes(5 * CHUNK + 7);

        UploadStatus end = upload(image);

        assertThat(transport.transfers()).hasSize(6);
        assertThat(transport.transferredData()).isEqualTo(image);
        assertThat(transport.activations()).hasSize(1);
        assertThat(end.error()).isEmpty();
    }

    @Test
    void aSecondBeginWhileAnUploadRunsIsRefusedAndTheUploadIsNotDisturbed() throws Exception {
        List<FirmwareAction> refusedFor = new ArrayList<>();
        transport.onCommand(c -> {
            if (c.isTransfer()) {
                try {
                    uploader.begin(123);
                } catch (FirmwareBusyException e) {
                    refusedFor.add(e.running());
                }
            }
        });

        UploadStatus end = upload(bytes(2 * CHUNK + 1));

        assertThat(refusedFor).containsExactly(FirmwareAction.UPLOAD, FirmwareAction.UPLOAD, FirmwareAction.UPLOAD);
        assertThat(end.error()).isEmpty();
        assertThat(end.imageSize()).isEqualTo(2 * CHUNK + 1);
        assertThat(uploader.begin(10)).isNotNull();
    }

    @Test
    void aNewUploadClearsThePreviousError() throws Exception {
        transport.script(c -> c.is(CommandId.GET_FW_INFO) && c.index() == 1 ? 0x0004 : null);
        assertThat(upload(bytes(100)).error()).contains("preparing:hw-error");
        assertThat(uploader.status().error()).contains("preparing:hw-error");

        FirmwareUploader.Upload upload = uploader.begin(100);
        assertThat(uploader.status().error()).isEmpty();
        assertThat(uploader.status().stage()).isEqualTo(UploadStage.RECEIVING);
        UploadStatus second = upload.run(channel(bytes(100)));

        assertThat(second.error()).isEmpty();
        assertNoErrorDetail(second);
    }

    @Test
    void imageReceivedSetsTheSizeOfAClaimedUpload() throws Exception {
        FirmwareUploader.Upload upload = uploader.begin(0);
        upload.imageReceived(5000);

        assertThat(uploader.status().imageSize()).isEqualTo(5000);
        assertThat(uploader.status().remainingSize()).isEqualTo(5000);
        UploadStatus end = upload.run(channel(bytes(5000)));
        assertThat(end.error()).isEmpty();
        assertThat(end.remainingSize()).isZero();
    }

    // ---- cancel ----

    @Test
    void cancelFromTheTransportMidUploadSendsExactlyOneAbortAndNoActivate() throws Exception {
        AtomicReference<CancelResult> result = new AtomicReference<>();
        transport.onCommand(c -> {
            if (c.isTransfer() && c.index() == BEFORE_PARTS + 2) { // the second Continue
                result.set(uploader.cancel());
            }
        });

        UploadStatus end = upload(bytes(10 * CHUNK));

        assertThat(result.get()).isEqualTo(CancelResult.CANCELLING);
        List<Command> all = transport.commands();
        assertThat(all).hasSize(6); // Get Log, Get FW Info, Initiate, Continue, Continue, Abort
        Command abort = all.get(5);
        assertThat(abort.transfer().knownAction()).contains(TransferFwAction.ABORT);
        assertThat(abort.payload()).hasSize(128);
        assertThat(abort.transfer().dataLength()).isZero();
        assertThat(transport.aborts()).hasSize(1);
        assertThat(transport.activations()).isEmpty();
        assertThat(end.error()).contains("transferring:user-abort");
        assertThat(end.failureMessage()).contains("transferring:user-abort");
        assertNoErrorDetail(end);
        assertThat(end.partsSent()).isEqualTo(3);
        assertThat(end.remainingSize()).isEqualTo(7L * CHUNK);
        assertThat(end.stage()).isEqualTo(UploadStage.IDLE);
        assertThat(uploader.inProgress()).isFalse();
    }

    @Test
    void cancelFromAnotherThreadStopsTheUploadBetweenParts() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        transport.onCommand(c -> {
            if (c.isTransfer() && c.index() == BEFORE_PARTS + 3) {
                reached.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        FileChannel ch = channel(bytes(20 * CHUNK));
        FirmwareUploader.Upload upload = uploader.begin(20 * CHUNK);
        Future<UploadStatus> running = pool.submit(() -> upload.run(ch));

        assertThat(reached.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(uploader.cancel()).isEqualTo(CancelResult.CANCELLING);
        assertThat(upload.cancelRequested()).isTrue();
        release.countDown();
        UploadStatus end = running.get(10, TimeUnit.SECONDS);

        assertThat(end.error()).contains("transferring:user-abort");
        List<Command> all = transport.commands();
        assertThat(all).hasSize(7);
        assertThat(all.get(6).isTransfer(TransferFwAction.ABORT)).isTrue();
        assertThat(transport.aborts()).hasSize(1);
        assertThat(transport.activations()).isEmpty();
    }

    // ---- one firmware action at a time ----

    @Test
    void anActivationOrAResetIsRefusedWhileAnUploadRunsAndTheUploadIsRefusedWhileTheyRun() throws Exception {
        FirmwareUploader.Upload upload = uploader.begin(100);
        assertThatThrownBy(() -> uploader.claim(FirmwareAction.ACTIVATION))
                .isInstanceOfSatisfying(FirmwareBusyException.class,
                        e -> assertThat(e.running()).isEqualTo(FirmwareAction.UPLOAD))
                .hasMessage("a firmware upload is running");
        assertThatThrownBy(() -> uploader.claim(FirmwareAction.RESET)).isInstanceOf(FirmwareBusyException.class);
        upload.end(upload.failure(UploadError.USER_ABORT));

        try (FirmwareUploader.Claim activation = uploader.claim(FirmwareAction.ACTIVATION)) {
            assertThatThrownBy(() -> uploader.begin(100))
                    .isInstanceOfSatisfying(FirmwareBusyException.class,
                            e -> assertThat(e.running().conflict()).isEqualTo("activation-in-progress"));
            assertThatThrownBy(() -> uploader.claim(FirmwareAction.RESET))
                    .isInstanceOfSatisfying(FirmwareBusyException.class,
                            e -> assertThat(e.running()).isEqualTo(FirmwareAction.ACTIVATION));
            assertThat(uploader.status().error()).contains("receiving:user-abort"); // a claim is not an upload
        }
        try (FirmwareUploader.Claim reset = uploader.claim(FirmwareAction.RESET)) {
            assertThatThrownBy(() -> uploader.begin(100)).isInstanceOfSatisfying(FirmwareBusyException.class,
                    e -> assertThat(e.running().conflict()).isEqualTo("reset-in-progress"));
        }
        assertThat(uploader.begin(100).run(channel(bytes(100))).error()).isEmpty();
    }

    @Test
    void theEndIsPublishedOnlyWhenItsOwnerEndsTheUploadAndThenTheNextOneMayBeginAtOnce() throws Exception {
        List<UploadStatus> seenByListener = new ArrayList<>();
        FirmwareUploader[] self = new FirmwareUploader[1];
        List<Boolean> nextBegan = new ArrayList<>();
        self[0] = new FirmwareUploader(new CciClient(transport), WALL, s -> {
            seenByListener.add(s);
            if (!s.inProgress() && s.finished().isPresent() && nextBegan.isEmpty()) {
                try {
                    nextBegan.add(self[0].begin(10) != null); // reacting to the end, on the announcing thread
                } catch (FirmwareBusyException e) {
                    nextBegan.add(false);
                }
            }
        });
        FirmwareUploader.Upload upload = self[0].begin(100);

        UploadStatus ending = upload.transfer(channel(bytes(100)));

        assertThat(ending.inProgress()).isFalse();
        assertThat(self[0].inProgress()).as("transferred but not yet ended").isTrue();
        assertThat(seenByListener).allSatisfy(s -> assertThat(s.inProgress()).isTrue());
        assertThatThrownBy(() -> self[0].begin(10)).isInstanceOf(FirmwareBusyException.class);
        assertThat(self[0].cancel()).isEqualTo(CancelResult.TOO_LATE);

        upload.end(ending);

        assertThat(seenByListener.get(seenByListener.size() - 2)).isEqualTo(ending);
        assertThat(nextBegan).containsExactly(true);
    }

    @Test
    void cancelWhileIdleReturnsIdleAndDoesNotPoisonTheNextUpload() throws Exception {
        assertThat(uploader.cancel()).isEqualTo(CancelResult.IDLE);

        UploadStatus end = upload(bytes(3 * CHUNK));

        assertThat(end.error()).isEmpty();
        assertThat(transport.aborts()).isEmpty();
        assertThat(transport.activations()).hasSize(1);
        assertThat(uploader.cancel()).isEqualTo(CancelResult.IDLE);
        assertThat(uploader.status().error()).isEmpty();
    }

    @Test
    void aCancelledUploadDoesNotPoisonTheNextOne() throws Exception {
        transport.onCommand(c -> {
            if (c.isTransfer() && c.index() == BEFORE_PARTS) {
                uploader.cancel();
            }
        });
        assertThat(upload(bytes(3 * CHUNK)).error()).contains("transferring:user-abort");

        transport.onCommand(c -> { });
        UploadStatus second = upload(bytes(3 * CHUNK));

        assertThat(second.error()).isEmpty();
        assertThat(transport.activations()).hasSize(1);
    }

    @Test
    void cancelAfterTheEndWasSentIsTooLateAndTheUploadCompletes() throws Exception {
        AtomicReference<CancelResult> atEnd = new AtomicReference<>();
        AtomicReference<CancelResult> atActivate = new AtomicReference<>();
        transport.onCommand(c -> {
            if (c.isTransfer(TransferFwAction.END)) {
                atEnd.set(uploader.cancel());
            }
            if (c.isActivate()) {
                atActivate.set(uploader.cancel());
            }
        });

        UploadStatus end = upload(bytes(3 * CHUNK));

        assertThat(atEnd.get()).isEqualTo(CancelResult.TOO_LATE);
        assertThat(atActivate.get()).isEqualTo(CancelResult.TOO_LATE);
        assertThat(end.error()).isEmpty();
        assertThat(transport.aborts()).isEmpty();
        assertThat(transport.activations()).hasSize(1);
    }

    @Test
    void cancelAfterTheFullWasSentIsTooLate() throws Exception {
        AtomicReference<CancelResult> atFull = new AtomicReference<>();
        transport.onCommand(c -> {
            if (c.isTransfer(TransferFwAction.FULL)) {
                atFull.set(uploader.cancel());
            }
        });

        UploadStatus end = upload(bytes(100));

        assertThat(atFull.get()).isEqualTo(CancelResult.TOO_LATE);
        assertThat(end.error()).isEmpty();
        assertThat(transport.activations()).hasSize(1);
    }

    @Test
    void cancelWhilePreparingSendsNoTransferAtAll() throws Exception {
        transport.onCommand(c -> {
            if (c.is(CommandId.GET_FW_INFO)) {
                assertThat(uploader.cancel()).isEqualTo(CancelResult.CANCELLING);
            }
        });

        UploadStatus end = upload(bytes(3 * CHUNK));

        assertThat(end.error()).contains("preparing:user-abort");
        assertThat(transport.transfers()).isEmpty();
        assertThat(transport.activations()).isEmpty();
    }

    @Test
    void cancelBeforeTheFirstPartSendsNoAbortBecauseNothingIsOpen() throws Exception {
        FirmwareUploader[] self = new FirmwareUploader[1];
        FirmwareUploader u = new FirmwareUploader(new CciClient(transport), WALL, s -> {
            if (s.stage() == UploadStage.TRANSFERRING && s.partsSent() == 0) {
                self[0].cancel();
            }
        });
        self[0] = u;
        UploadStatus end = u.begin(3 * CHUNK).run(channel(bytes(3 * CHUNK)));

        assertThat(end.error()).contains("transferring:user-abort");
        assertThat(transport.transfers()).isEmpty();
    }

    @Test
    void cancelWhileReceivingEndsTheUploadBeforeAnyCommand() throws Exception {
        FirmwareUploader.Upload upload = uploader.begin(1000);
        assertThat(uploader.cancel()).isEqualTo(CancelResult.CANCELLING);
        assertThat(upload.cancelRequested()).isTrue();

        UploadStatus end = upload.run(channel(bytes(1000)));

        assertThat(end.error()).contains("receiving:user-abort");
        assertThat(transport.commands()).isEmpty();
        assertThat(uploader.begin(1000).cancelRequested()).isFalse();
    }

    @Test
    void anUploadWhoseImageNeverArrivedEndsWithTheFailureItsOwnerGives() throws Exception {
        FirmwareUploader.Upload upload = uploader.begin(1000);

        upload.end(upload.failure(UploadError.USER_ABORT));

        assertThat(uploader.inProgress()).isFalse();
        assertThat(uploader.status().error()).contains("receiving:user-abort");
        assertThatThrownBy(() -> upload.end(upload.failure(UploadError.READ_WRITE_ERROR)))
                .isInstanceOf(IllegalStateException.class); // an upload ends once
        assertThat(uploader.status().error()).contains("receiving:user-abort");
        assertThat(published.get(published.size() - 1)).isEqualTo(uploader.status());
    }

    @Test
    void aCancelAcceptedWhileTheLastPartIsBeingReadStopsTheUpload() throws Exception {
        // The cancel lands after the uploader's last between-parts check has passed but before
        // End goes out: cancel() answers CANCELLING, so End must not be sent.
        byte[] image = bytes(3 * CHUNK);
        AtomicReference<CancelResult> result = new AtomicReference<>();
        FileChannel ch = new HookedChannel(channel(image), position -> {
            if (position == 2L * CHUNK) {
                result.set(uploader.cancel());
            }
        });
        open.add(ch);
        UploadStatus end = uploader.begin(image.length).run(ch);

        assertThat(result.get()).isEqualTo(CancelResult.CANCELLING);
        assertThat(end.error()).contains("transferring:user-abort");
        assertThat(transport.transfers().stream().filter(c -> c.isTransfer(TransferFwAction.END))).isEmpty();
        assertThat(transport.aborts()).hasSize(1);
        assertThat(transport.activations()).isEmpty();
    }

    @Test
    void aCancelAcceptedWhileAFullIsBeingReadSendsNothing() throws Exception {
        byte[] image = bytes(1000);
        AtomicReference<CancelResult> result = new AtomicReference<>();
        FileChannel ch = new HookedChannel(channel(image), position -> result.compareAndSet(null, uploader.cancel()));
        open.add(ch);
        UploadStatus end = uploader.begin(image.length).run(ch);

        assertThat(result.get()).isEqualTo(CancelResult.CANCELLING);
        assertThat(end.error()).contains("transferring:user-abort");
        assertThat(transport.transfers()).isEmpty(); // nothing was open: no Abort either
    }

    @Test
    void aCancelRacingTheFinalPartIsEitherHonouredOrTooLateNeverLost() throws Exception {
        // Many runs with a canceller thread firing at a random moment: whatever cancel() answered
        // must match what happened (CANCELLING -> user-abort and no Activate; TOO_LATE -> success).
        for (int run = 0; run < 200; run++) {
            RecordingTransport t = new RecordingTransport().maxPayload(256);
            FirmwareUploader u = new FirmwareUploader(new CciClient(t), WALL, s -> { });
            byte[] image = bytes(128 * 3);
            FirmwareUploader.Upload upload = u.begin(image.length);
            FileChannel ch = channel(image);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<CancelResult> cancel = CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Thread.onSpinWait();
                return u.cancel();
            }, pool);
            go.countDown();
            UploadStatus end = upload.run(ch);
            CancelResult r = cancel.get(10, TimeUnit.SECONDS);
            switch (r) {
                case CANCELLING -> {
                    assertThat(end.error()).as("run %d", run).hasValueSatisfying(e -> assertThat(e).endsWith(":user-abort"));
                    assertThat(t.activations()).isEmpty();
                }
                case TOO_LATE -> {
                    assertThat(end.error()).as("run %d", run).isEmpty();
                    assertThat(t.activations()).hasSize(1);
                }
                case IDLE -> assertThat(end.error()).as("run %d", run).isEmpty();
                default -> throw new AssertionError(r);
            }
        }
    }

    // ---- the error table of reference.md §6 ----

    @Test
    void getFwInfoRefusedIsPreparingHwErrorWithItsReturnCode() throws Exception {
        transport.script(c -> c.is(CommandId.GET_FW_INFO) ? 0x0004 : null);

        UploadStatus end = upload(bytes(3 * CHUNK));

        assertThat(end.error()).contains("preparing:hw-error");
        assertThat(end.failedOpcode()).contains(Opcode.of(0x0200));
        assertThat(end.failedReturnCode()).contains(ReturnCode.INTERNAL_ERROR);
        assertThat(end.failureMessage()).contains("preparing:hw-error (Get FW Info: Internal Error, 0004h)");
        assertThat(transport.transfers()).isEmpty();
        assertThat(transport.activations()).isEmpty();
    }

    @Test
    void getFwInfoNotAnsweredIsPreparingHwError() throws Exception {
        transport.script(c -> {
            if (c.is(CommandId.GET_FW_INFO)) {
                throw new CciTimeoutException("no answer");
            }
            return null;
        });

        UploadStatus end = upload(bytes(100));

        assertThat(end.error()).contains("preparing:hw-error");
        assertNoErrorDetail(end);
        assertThat(transport.transfers()).isEmpty();
    }

    @Test
    void aDeviceAnswerThatMakesNoPlanPossibleIsPreparingHwError() throws Exception {
        transport.fwInfo(new FwInfo(0, 0, 0, false, List.of("", "", "", "")));
        assertThat(upload(bytes(100)).error()).contains("preparing:hw-error");

        transport.fwInfo(2, 1).maxPayload(128);
        assertThat(upload(bytes(100)).error()).contains("preparing:hw-error");
        assertThat(transport.transfers()).isEmpty();
        assertThat(uploader.inProgress()).isFalse();
    }

    @Test
    void anEmptyImageIsPreparingInvalidFileSizeAndSendsNothing() throws Exception {
        UploadStatus end = uploader.begin(0).run(channel(new byte[0]));

        assertThat(end.error()).contains("preparing:invalid-file-size");
        assertThat(transport.commands()).isEmpty();
        assertThat(uploader.inProgress()).isFalse();
    }

    @ParameterizedTest(name = "{0} at Transfer FW #{1}")
    @CsvSource({"6,1", "6,3", "8,1", "8,2"})
    void busyOrTransferInProgressIsDeviceBusyWithoutRetry(int rc, int failingIndex) throws Exception {
        transport.script(c -> onTransfer(c, failingIndex, rc));

        UploadStatus end = upload(bytes(5 * CHUNK));

        assertThat(end.error()).contains("transferring:device-busy");
        assertThat(end.failedOpcode()).contains(Opcode.of(0x0201));
        assertThat(end.failedReturnCode().map(ReturnCode::value)).contains(rc);
        List<Command> all = transport.commands();
        // no retry; once a part was accepted, one Abort closes the transfer the refusal left open
        boolean opened = failingIndex > 1;
        assertThat(all).hasSize(BEFORE_PARTS + failingIndex + (opened ? 1 : 0));
        if (opened) {
            assertThat(all.get(all.size() - 1).isTransfer(TransferFwAction.ABORT)).isTrue();
        }
        assertThat(transport.activations()).isEmpty();
        assertThat(end.partsSent()).isEqualTo(failingIndex - 1);
    }

    @Test
    void verificationFailedAtEndIsFirmwareInvalidWithTheDocsMessage() throws Exception {
        transport.script(c -> c.isTransfer(TransferFwAction.END) ? 0x000A : null);

        UploadStatus end = upload(bytes(3 * CHUNK));

        assertThat(end.error()).contains("transferring:firmware-invalid");
        assertThat(end.failedOpcode()).contains(Opcode.of(0x0201));
        assertThat(end.failedReturnCode()).contains(ReturnCode.FW_VERIFICATION_FAILED);
        assertThat(end.failureMessage())
                .contains("transferring:firmware-invalid (Transfer FW: FW Verification Failed, 000Ah)");
        assertThat(transport.activations()).isEmpty();
        assertThat(transport.aborts()).isEmpty();
        assertThat(uploader.status()).isEqualTo(end);
    }

    @Test
    void verificationFailedCarriesTheDevicesReasonFromItsVerificationLog() throws Exception {
        VerificationLogRing log = new VerificationLogRing(new VirtualClock());
        log.record(VerificationLog.Operation.TRANSFER, 2, VerificationFailure.of(VerificationCheck.BAD_MAGIC)); // older
        transport.verificationLog(log::bytes).script(c -> {
            if (c.isTransfer(TransferFwAction.END)) {
                log.record(VerificationLog.Operation.TRANSFER, 2, VerificationFailure.keyNotTrusted("f3af909053e689d9"));
                return 0x000A;
            }
            return null;
        });

        UploadStatus end = upload(bytes(3 * CHUNK));

        assertThat(end.error()).contains("transferring:firmware-invalid");
        assertThat(end.failureReason()).contains("signed by key f3af909053e689d9, which is not trusted by this device");
        assertThat(end.failureMessage()).contains("transferring:firmware-invalid: signed by key f3af909053e689d9, "
                + "which is not trusted by this device (Transfer FW: FW Verification Failed, 000Ah)");
        assertThat(transport.commands().get(0).is(CommandId.GET_LOG)).as("the mark, before Get FW Info").isTrue();
        assertThat(uploader.status()).isEqualTo(end);
    }

    @Test
    void anInjected000AhGetsNoReason_thoughAnOlderRecordForTheSlotExists() throws Exception {
        VerificationLogRing log = new VerificationLogRing(new VirtualClock());
        log.record(VerificationLog.Operation.TRANSFER, 2, VerificationFailure.of(VerificationCheck.BAD_MAGIC));
        transport.verificationLog(log::bytes).script(c -> c.isTransfer(TransferFwAction.FULL) ? 0x000A : null);

        UploadStatus end = upload(bytes(300));

        assertThat(end.failureReason()).isEmpty();
        assertThat(end.failureMessage())
                .contains("transferring:firmware-invalid (Transfer FW: FW Verification Failed, 000Ah)");
    }

    @Test
    void aReasonThatCannotBeReadLeavesTheFailureAsItIs() throws Exception {
        VerificationLogRing log = new VerificationLogRing(new VirtualClock());
        transport.verificationLog(log::bytes).script(c -> {
            if (c.isTransfer(TransferFwAction.END)) {
                log.record(VerificationLog.Operation.TRANSFER, 2, VerificationFailure.of(VerificationCheck.BAD_MAGIC));
                return 0x000A;
            }
            if (c.is(CommandId.GET_LOG) && c.index() > 0) {
                throw new IOException("connection reset"); // the reads after the failure
            }
            return null;
        });

        UploadStatus end = upload(bytes(3 * CHUNK));

        assertThat(end.error()).contains("transferring:firmware-invalid");
        assertThat(end.failedReturnCode()).contains(ReturnCode.FW_VERIFICATION_FAILED);
        assertThat(end.failureReason()).isEmpty();
    }

    @Test
    void aMarkThatIsNotAnsweredChangesNothing() throws Exception {
        transport.script(c -> {
            if (c.is(CommandId.GET_LOG)) {
                throw new CciTimeoutException("no answer");
            }
            return null;
        });

        UploadStatus end = upload(bytes(3 * CHUNK));

        assertThat(end.error()).isEmpty();
        assertThat(transport.activations()).hasSize(1);
        // and a device that does not answer at all fails Get FW Info next, as before
        transport.script(c -> {
            throw new CciTimeoutException("no answer");
        });
        assertThat(upload(bytes(100)).error()).contains("preparing:hw-error");
    }

    @Test
    void onlyTheFinalPartsVerificationFailureIsExplained() throws Exception {
        VerificationLogRing log = new VerificationLogRing(new VirtualClock());
        transport.verificationLog(log::bytes).script(c -> {
            if (c.isTransfer(TransferFwAction.CONTINUE)) {
                log.record(VerificationLog.Operation.TRANSFER, 2, VerificationFailure.of(VerificationCheck.BAD_MAGIC));
                return 0x000A; // no device answers a Continue so, but if one did, it is no verification of ours
            }
            return null;
        });
        UploadStatus end = upload(bytes(3 * CHUNK));
        assertThat(end.error()).contains("transferring:firmware-invalid");
        assertThat(end.failureReason()).isEmpty();
    }

    @Test
    void verificationFailedAtFullIsFirmwareInvalid() throws Exception {
        transport.script(c -> c.isTransfer(TransferFwAction.FULL) ? 0x000A : null);

        UploadStatus end = upload(bytes(300));

        assertThat(end.failureMessage())
                .contains("transferring:firmware-invalid (Transfer FW: FW Verification Failed, 000Ah)");
        assertThat(transport.activations()).isEmpty();
    }

    @Test
    void verificationFailedReportedInTheBackgroundIsFirmwareInvalid() throws Exception {
        transport.background(true).script(c -> c.isTransfer(TransferFwAction.END) ? 0x000A : null);

        UploadStatus end = upload(bytes(3 * CHUNK));

        assertThat(end.error()).contains("transferring:firmware-invalid");
        assertThat(end.failedReturnCode()).contains(ReturnCode.FW_VERIFICATION_FAILED);
        assertThat(transport.activations()).isEmpty();
    }

    @Test
    void aTransferTimeoutIsTransferringTimeout() throws Exception {
        transport.script(c -> {
            if (c.isTransfer() && c.index() == BEFORE_PARTS + 2) {
                throw new CciTimeoutException("background Transfer FW did not finish within 30 s");
            }
            return null;
        });

        UploadStatus end = upload(bytes(6 * CHUNK));

        assertThat(end.error()).contains("transferring:timeout");
        assertNoErrorDetail(end);
        assertThat(end.failureMessage()).contains("transferring:timeout");
        assertThat(transport.commands()).hasSize(BEFORE_PARTS + 3);
        assertThat(transport.activations()).isEmpty();
    }

    @Test
    void aReturnCodeTheSpecDoesNotDefineIsAMalformedAnswerAndReadWriteError() throws Exception {
        transport.script(c -> onTransfer(c, 2, 0x00FF));

        UploadStatus end = upload(bytes(4 * CHUNK));

        assertThat(end.error()).contains("transferring:read-write-error");
        assertNoErrorDetail(end); // no code a user could look up: the answer itself was broken
        assertThat(transport.commands().get(BEFORE_PARTS + 2).isTransfer(TransferFwAction.ABORT)).isTrue();
    }

    @ParameterizedTest(name = "{0}h")
    @ValueSource(ints = {0x0002, 0x0003, 0x0004, 0x0007, 0x0009, 0x000B, 0x0012, 0x0016, 0x0018})
    void anyOtherTransferFwCodeIsReadWriteError(int rc) throws Exception {
        transport.script(c -> onTransfer(c, 2, rc));

        UploadStatus end = upload(bytes(4 * CHUNK));

        assertThat(end.error()).contains("transferring:read-write-error");
        assertThat(end.failedOpcode()).contains(Opcode.of(0x0201));
        assertThat(end.failedReturnCode().map(ReturnCode::value)).contains(rc);
        assertThat(end.failureMessage()).contains("transferring:read-write-error (Transfer FW: "
                + ReturnCode.nameOf(rc) + ", " + ReturnCode.hex(rc) + ")");
        // the refused part left the transfer open: one Abort closes it
        assertThat(transport.commands()).hasSize(BEFORE_PARTS + 3);
        assertThat(transport.commands().get(BEFORE_PARTS + 2).isTransfer(TransferFwAction.ABORT)).isTrue();
        assertThat(transport.activations()).isEmpty();
    }

    @Test
    void aTransportFailureThatIsNotATimeoutIsReadWriteError() throws Exception {
        transport.script(c -> {
            if (c.isTransfer() && c.index() == BEFORE_PARTS + 1) {
                throw new IOException("connection reset");
            }
            return null;
        });

        UploadStatus end = upload(bytes(4 * CHUNK));

        assertThat(end.error()).contains("transferring:read-write-error");
        assertNoErrorDetail(end);
    }

    @Test
    void activateFwRefusedIsTransferringHwError() throws Exception {
        transport.script(c -> c.isActivate() ? 0x000B : null);

        UploadStatus end = upload(bytes(3 * CHUNK));

        assertThat(end.error()).contains("transferring:hw-error");
        assertThat(end.failedOpcode()).contains(Opcode.of(0x0202));
        assertThat(end.failedReturnCode()).contains(ReturnCode.INVALID_SLOT);
        assertThat(end.failureMessage()).contains("transferring:hw-error (Activate FW: Invalid Slot, 000Bh)");
        assertThat(transport.activations()).hasSize(1);
        assertThat(end.partsSent()).isEqualTo(3);
        assertThat(end.remainingSize()).isZero();
    }

    @Test
    void activateFwNotAnsweredIsTransferringHwError() throws Exception {
        transport.script(c -> {
            if (c.isActivate()) {
                throw new CciTimeoutException("no answer");
            }
            return null;
        });

        UploadStatus end = upload(bytes(100));

        assertThat(end.error()).contains("transferring:hw-error");
        assertNoErrorDetail(end);
    }

    @Test
    void anImageThatCannotBeReadMidUploadIsReadWriteErrorAndTheOpenTransferIsAborted() throws Exception {
        Path f = dir.resolve("shrinking.img");
        Files.write(f, bytes(4 * CHUNK));
        FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
        open.add(ch);
        transport.onCommand(c -> {
            if (c.isTransfer() && c.index() == BEFORE_PARTS + 1) {
                try {
                    ch.truncate(2 * CHUNK + 10);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        UploadStatus end = uploader.begin(4 * CHUNK).run(ch);

        assertThat(end.error()).contains("transferring:read-write-error");
        List<Command> all = transport.commands();
        assertThat(all.get(all.size() - 1).isTransfer(TransferFwAction.ABORT)).isTrue();
        assertThat(transport.aborts()).hasSize(1);
        assertThat(transport.activations()).isEmpty();
    }

    @Test
    void everyFailureEndsInAFinalStateTheListenerSees() throws Exception {
        transport.script(c -> c.isTransfer(TransferFwAction.END) ? 0x000A : null);

        UploadStatus end = upload(bytes(2 * CHUNK + 1));

        UploadStatus last = published.get(published.size() - 1);
        assertThat(last).isEqualTo(end);
        assertThat(last.inProgress()).isFalse();
        assertThat(last.finished()).isEqualTo(Optional.of(WALL.instant()));
    }
}
