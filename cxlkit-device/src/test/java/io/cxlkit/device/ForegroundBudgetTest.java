package io.cxlkit.device;

import io.cxlkit.device.config.Timing;
import static io.cxlkit.device.testing.TestDevice.pkg;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.testing.ManualExecutor;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zero-duration command whose real work outlasts the foreground budget (1 s of real time) goes
 * to the background, so no CCI answer ever comes near the 2-second mailbox timeout: a busy disk
 * under a fleet of uploads must not make the host time out.
 */
class ForegroundBudgetTest {

    @TempDir
    Path dir;

    @Test
    void slowRealWorkOfAnInstantFullGoesToTheBackgroundAfterTheBudget() {
        ManualExecutor worker = new ManualExecutor(); // the file work waits until the test runs it
        byte[] pkg = pkg("SLOW", 300);
        try (TestDevice t = TestDevice.builder(dir).timing(Timing.instant()).worker(worker).open()) {
            long start = System.nanoTime();
            assertThat(rc(t.transfer(Cci.MCTP, TransferFwRequest.full(2, ByteBuffer.wrap(pkg))))).isEqualTo("0001h");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(CxlDevice.FOREGROUND_BUDGET_NANOS);
            assertThat(t.bgStatus(Cci.MCTP).inProgress()).isTrue();
            assertThat(t.fwInfo().revision(2)).isEmpty();

            worker.runAll();
            assertThat(t.bgStatus(Cci.MCTP)).isEqualTo(new BackgroundOperationStatus(false, 100,
                    CommandId.TRANSFER_FW.opcode(), 0, 0));
            assertThat(t.fwInfo().revision(2)).isEqualTo("SLOW");
        }
    }
}
