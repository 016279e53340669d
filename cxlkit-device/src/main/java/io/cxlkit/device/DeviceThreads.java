package io.cxlkit.device;

import java.util.concurrent.Executor;

/**
 * The threads a device borrows; it owns none. The daemon shares one pool among all its devices;
 * unit tests run everything inline or hold it back with a manual executor.
 *
 * @param workers       lends threads to the device's worker: file work, one task at a time in
 *                      submission order (the device runs it through a SerialExecutor over this)
 * @param hashing       runs the staged body's digest and write-behind flushes beside the transfer
 * @param mailboxEngine runs mailbox commands after the doorbell, one at a time
 * @param events        runs state listeners, in order; the same executor for all devices of a platform
 */
public record DeviceThreads(Executor workers, Executor hashing, Executor mailboxEngine, Executor events) {

    private static final Executor INLINE = Runnable::run;

    /** Everything on the calling thread: commands complete before they return. */
    public static DeviceThreads inline() {
        return new DeviceThreads(INLINE, INLINE, INLINE, INLINE);
    }

    public DeviceThreads withWorkers(Executor e) {
        return new DeviceThreads(e, hashing, mailboxEngine, events);
    }

    public DeviceThreads withMailboxEngine(Executor e) {
        return new DeviceThreads(workers, hashing, e, events);
    }

    public DeviceThreads withEvents(Executor e) {
        return new DeviceThreads(workers, hashing, mailboxEngine, e);
    }
}
