package io.cxlkit.device.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.command.OperationRunner;
import io.cxlkit.device.command.Outcome;
import io.cxlkit.device.command.StateWriter;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.exec.SerialExecutor;
import io.cxlkit.device.persist.AtomicFiles;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook issue 15's media model fills ({@link MediaWipe}): called exactly when a <em>changed</em>
 * share is applied (Immediate, or a pending one at a cold reset or restart), and before the new
 * share is persisted (memdev-commands.md §5; docs/capacity-and-labels.md).
 */
class MediaWipeHookTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private final Object lock = new Object();
    /** What the partition file held each time the hook ran ("-" when absent). */
    private final List<String> wipes = new ArrayList<>();

    private PartitionCommands commands() throws Exception {
        DeviceConfig config = DeviceConfig.defaults(0).toBuilder().partitionableCapacity(2 * GIB)
                .partitionAlignment(GIB / 4).build();
        Path file = dir.resolve(PartitionStore.FILE);
        MediaWipe hook = () -> wipes.add(Files.exists(file) ? Files.readString(file).replaceAll("(?m)^#.*\\n", "")
                .strip().replace('\n', ' ') : "-");
        PartitionStore store = PartitionStore.open(dir, config, new AtomicFiles(CrashHook.NONE));
        SerialExecutor inline = new SerialExecutor(Runnable::run);
        OperationRunner runner = new OperationRunner(lock, new VirtualClock(), inline, owner -> { });
        return new PartitionCommands(config, store, runner, () -> false, hook,
                new StateWriter("mem0", new SerialExecutor(Runnable::run)), lock);
    }

    private static int set(PartitionCommands c, long units, boolean immediate) {
        Outcome o = c.setPartitionInfo(Cci.MAILBOX, ByteBuffer.wrap(new SetPartitionInfoRequest(units, immediate)
                .encode()), 4096);
        return ((Outcome.Awaiting) o).response().join().returnCode().value();
    }

    @Test
    void aChangedShareWipesBeforeItIsPersisted_anUnchangedOneDoesNot() throws Exception {
        PartitionCommands c = commands();
        synchronized (lock) {
            assertThat(set(c, 4, true)).isEqualTo(ReturnCode.SUCCESS.value());
            assertThat(wipes).containsExactly("-");
            assertThat(set(c, 4, true)).isZero();
            assertThat(set(c, 8, false)).isZero();
            assertThat(set(c, 4, false)).isZero();
            assertThat(wipes).as("no change applied: no wipe").hasSize(1);
            assertThat(set(c, 0, false)).isZero();
            c.applyPendingShare();
            assertThat(wipes).containsExactly("-", "volatile_share=1073741824 pending_volatile_share=0");
            c.applyPendingShare();
            assertThat(wipes).as("nothing pending at the second reset").hasSize(2);
            assertThat(c.partitionInfo().activeVolatile()).isZero();
        }
    }

    @Test
    void aPendingShareEqualToTheActiveOneCannotExist_soAResetNeverWipesForNothing() throws Exception {
        PartitionCommands c = commands();
        synchronized (lock) {
            assertThat(set(c, 2, true)).isZero();
            assertThat(set(c, 6, false)).isZero();
            assertThat(set(c, 2, false)).isZero(); // back to the active share: nothing pending
            c.applyPendingShare();
            assertThat(wipes).hasSize(1);
            assertThat(c.partitionInfo().nextVolatile()).isZero();
        }
        assertThat(PartitionStore.open(dir, DeviceConfig.defaults(0).toBuilder().partitionableCapacity(2 * GIB)
                .partitionAlignment(GIB / 4).build(), new AtomicFiles(CrashHook.NONE)).pending())
                .isEqualTo(OptionalLong.empty());
    }
}
