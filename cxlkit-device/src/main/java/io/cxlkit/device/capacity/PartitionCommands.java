package io.cxlkit.device.capacity;

import io.cxlkit.device.command.OperationRunner;
import io.cxlkit.device.command.Outcome;
import io.cxlkit.device.command.StateWriter;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.PartitionInfo;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Get Partition Info (4100h) and Set Partition Info (4101h), memdev-commands.md §5, and applying a
 * pending share at a cold reset or a restart (§11). Handlers run under the device lock; Set
 * Partition Info persists its change on the device's {@link StateWriter}, under the lock too (a
 * few bytes; the order against a cold reset's own write is then the lock's), and answers once it
 * has landed. An Immediate one runs checks 3 and 4 twice: when it arrives and again in the
 * writer's task, under the lock, just before the share changes.
 */
public final class PartitionCommands {

    private static final Logger LOG = Logger.getLogger(PartitionCommands.class.getName());
    private static final long UNIT = DeviceConfig.CAPACITY_UNIT;

    private final DeviceConfig config;
    private final PartitionStore store;
    private final OperationRunner runner;
    private final BooleanSupplier mediaDisabled;
    private final MediaWipe mediaWipe;
    private final StateWriter writer;
    private final Object lock;

    /**
     * @param mediaDisabled memdev-commands.md §2.4's "media disabled", read under the lock
     * @param mediaWipe     what applying a changed share does to the media (the media model's)
     */
    public PartitionCommands(DeviceConfig config, PartitionStore store, OperationRunner runner,
                             BooleanSupplier mediaDisabled, MediaWipe mediaWipe, StateWriter writer, Object lock) {
        this.config = config;
        this.store = store;
        this.runner = runner;
        this.mediaDisabled = mediaDisabled;
        this.mediaWipe = mediaWipe;
        this.writer = writer;
        this.lock = lock;
    }

    /** The volatile partition's size now, V + the active share, in bytes: the DPAs below it are volatile. */
    public long volatileBytes() {
        return config.volatileCapacity() + store.share();
    }

    /** Get Partition Info now, in 256 MiB units (Table 8-128; both Next fields 0 with nothing pending). */
    public PartitionInfo partitionInfo() {
        long v = config.volatileCapacity();
        long p = config.persistentCapacity();
        long x = config.partitionableCapacity();
        long s = store.share();
        OptionalLong next = store.pending();
        return new PartitionInfo((v + s) / UNIT, (p + x - s) / UNIT,
                next.isPresent() ? (v + next.getAsLong()) / UNIT : 0,
                next.isPresent() ? (p + x - next.getAsLong()) / UNIT : 0);
    }

    public Outcome getPartitionInfo(Cci cci, ByteBuffer in, int maxOut) {
        return Outcome.Done.success(partitionInfo().encode());
    }

    public Outcome setPartitionInfo(Cci cci, ByteBuffer in, int maxOut) {
        SetPartitionInfoRequest req = SetPartitionInfoRequest.decode(in);
        long alignUnits = config.partitionAlignment() / UNIT;
        long shareUnits = req.volatileCapacity(); // unsigned on the wire
        // 1. nothing partitionable
        if (alignUnits == 0) {
            return Outcome.done(ReturnCode.UNSUPPORTED);
        }
        // 2. not a multiple of the alignment, or above the partitionable capacity
        if (Long.compareUnsigned(shareUnits, config.partitionableCapacity() / UNIT) > 0
                || shareUnits % alignUnits != 0) {
            return Outcome.done(ReturnCode.INVALID_INPUT);
        }
        // 3. Immediate and media disabled
        if (req.immediate() && mediaDisabled.getAsBoolean()) {
            return Outcome.done(ReturnCode.MEDIA_DISABLED);
        }
        // 4. Immediate while a background operation runs
        if (req.immediate() && runner.busy()) {
            return Outcome.done(ReturnCode.BUSY);
        }
        long share = shareUnits * UNIT;
        boolean immediate = req.immediate();
        return writer.submit("Set Partition Info", () -> {
            synchronized (lock) {
                if (immediate) {
                    // checks 3 and 4 again, now that the write is due: a fault injected or an
                    // operation started since the command arrived decides, with no effect (§2.1)
                    if (mediaDisabled.getAsBoolean()) {
                        return ReturnCode.MEDIA_DISABLED;
                    }
                    if (runner.busy()) {
                        return ReturnCode.BUSY;
                    }
                    apply(share);
                } else {
                    // equal to the active share: nothing is pending
                    store.set(store.share(), share == store.share() ? OptionalLong.empty() : OptionalLong.of(share));
                }
                return ReturnCode.SUCCESS;
            }
        });
    }

    /**
     * The partition part of a cold reset or a restart (§11): a pending share is applied. Under the
     * device lock; the write lands before it returns.
     */
    public void applyPendingShare() throws IOException {
        OptionalLong next = store.pending();
        if (next.isPresent()) {
            apply(next.getAsLong());
            LOG.info(config.name() + ": volatile share " + (next.getAsLong() >> 20) + " MiB applied");
        }
    }

    /** Makes {@code share} active and drops any pending one; a changed share wipes the media first. */
    private void apply(long share) throws IOException {
        if (share != store.share()) {
            mediaWipe.wipeForRepartition();
        }
        store.set(share, OptionalLong.empty());
    }
}
