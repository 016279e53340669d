package io.cxlkit.device;

import io.cxlkit.device.config.Timing;
import io.cxlkit.device.exec.SerialExecutor;
import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's arrangement: the worker a {@link SerialExecutor} on a shared pool. Initiate and
 * Continue run on the CCI's thread, the body is hashed on the pool while parts arrive, and End
 * still verifies exactly the stored bytes.
 */
class PooledWorkerUploadTest {

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger poolTasks = new AtomicInteger();
    private final SerialExecutor worker = new SerialExecutor(task -> {
        poolTasks.incrementAndGet();
        threads.execute(task);
    });

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private TestDevice open() {
        // 16 KiB mailbox payloads and MCTP messages: parts of 4 and 8 KiB fit
        return TestDevice.builder(dir).timing(Timing.instant()).worker(worker)
                .config(c -> c.payloadSizeExponent(14).mctpMessageSizeExponent(14)).open();
    }

    @Test
    void partsRunOnTheCallersThreadAndThePackageIsStoredOnBothCcis() throws Exception {
        byte[] first = pkg("POOLED 1", 600_000);
        byte[] second = pkg("POOLED 2", 300_000);
        try (TestDevice t = open()) {
            assertThat(rc(t.upload(Cci.MAILBOX, 2, first, 4096))).isEqualTo("0000h");
            int parts = (first.length + 4095) / 4096;
            // the pool saw End's work, the hash batches and the write-behind, not one task per part
            assertThat(poolTasks.get()).isLessThan(parts / 10);
            assertThat(Files.readAllBytes(t.device().slotFile(2).orElseThrow())).isEqualTo(first);
            assertThat(t.fwInfo().revision(2)).isEqualTo("POOLED 1");

            assertThat(rc(t.upload(Cci.MCTP, 2, second, 8192))).isEqualTo("0000h");
            assertThat(Files.readAllBytes(t.device().slotFile(2).orElseThrow())).isEqualTo(second);
            assertThat(t.fwInfo().revision(2)).isEqualTo("POOLED 2");
        }
    }

    @Test
    void theCorruptStagingFaultIsCaughtThoughTheBodyWasHashedOnTheWay() {
        byte[] p = pkg("CORRUPT", 400_000);
        try (TestDevice t = open()) {
            t.inject(f -> f.setCorruptStaging());
            assertThat(rc(t.upload(Cci.MAILBOX, 2, p, 4096))).isEqualTo("000Ah");
            assertThat(t.fwInfo().revision(2)).isEmpty();
        }
    }

    @Test
    void aRetransmittedPartThatDiffersIsWhatGetsVerified() {
        byte[] p = pkg("RESEND", 20_000);
        try (TestDevice t = open()) {
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.initiate(0, ByteBuffer.wrap(p, 0, 4096)))))
                    .isEqualTo("0000h");
            byte[] wrong = new byte[4096];
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.continuePart(32, ByteBuffer.wrap(wrong)))))
                    .isEqualTo("0000h");
            // a retransmission of the same range replaces the bytes: the package is whole again
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.continuePart(32, ByteBuffer.wrap(p, 4096, 4096)))))
                    .isEqualTo("0000h");
            int off = 8192;
            assertThat(rc(t.transfer(Cci.MAILBOX, TransferFwRequest.end(2, off / 128,
                    ByteBuffer.wrap(p, off, p.length - off))))).isEqualTo("0000h");
            assertThat(t.fwInfo().revision(2)).isEqualTo("RESEND");
        }
    }
}
