package io.cxlkit.device;

import io.cxlkit.device.capacity.PartitionCommands;
import io.cxlkit.device.capacity.PartitionStore;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.exec.SerialExecutor;
import io.cxlkit.device.cci.CciPort;
import io.cxlkit.device.clock.DeviceClock;
import io.cxlkit.device.clock.DeviceTimestamp;
import io.cxlkit.device.command.CommandSpec;
import io.cxlkit.device.command.CommandTable;
import io.cxlkit.device.command.Dispatcher;
import io.cxlkit.device.command.OperationRunner;
import io.cxlkit.device.command.Outcome;
import io.cxlkit.device.event.EventCommands;
import io.cxlkit.device.event.EventLogs;
import io.cxlkit.device.command.StateWriter;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.fw.FirmwareCommands;
import io.cxlkit.device.fw.FirmwareStore;
import io.cxlkit.device.fw.PackageChecker;
import io.cxlkit.device.fw.VerificationLogRing;
import io.cxlkit.device.health.AlertSettings;
import io.cxlkit.device.health.DeviceHealth;
import io.cxlkit.device.health.HealthCommands;
import io.cxlkit.device.health.ShutdownStore;
import io.cxlkit.device.health.StatusMonitor;
import io.cxlkit.device.label.LabelCommands;
import io.cxlkit.device.label.LabelStore;
import io.cxlkit.device.mailbox.MailboxDevice;
import io.cxlkit.device.media.MediaErase;
import io.cxlkit.device.media.MediaCommands;
import io.cxlkit.device.media.MediaModel;
import io.cxlkit.device.media.MediaStore;
import io.cxlkit.device.mctp.MctpCci;
import io.cxlkit.device.persist.AtomicFiles;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.device.sanitize.SanitizeCommands;
import io.cxlkit.device.sanitize.SanitizeMark;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.EventRecord;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.regs.MemoryDeviceStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One emulated CXL Type-3 memory device (device-behaviour.md): its firmware slots on disk, one
 * command table, and two CCIs, the primary {@link #mailbox()} and the {@link #mctp()} CCI, which
 * reach it through its {@link CciPort}. Device state changes happen under one lock; file work
 * runs on the device's worker (a {@link SerialExecutor}); time comes from the device's clock;
 * state listeners run on the events executor, in order, and never after {@link #close()}.
 */
public final class CxlDevice implements CciPort, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CxlDevice.class.getName());

    /** How long a CCI command waits for zero-duration work before it goes to the background. */
    static final long FOREGROUND_BUDGET_NANOS = 1_000_000_000L;

    private final Object lock = new Object();
    private final DeviceConfig config;
    private final DeviceClock clock;
    private final FirmwareStore store;
    private final FaultSet faults = new FaultSet();
    private final OperationRunner runner;
    private final FirmwareCommands firmware;
    private final VerificationLogRing verificationLog;
    private final EventLogs eventLogs;
    private final EventCommands eventCommands;
    private final DeviceHealth health;
    /** Adds the records of the device's own changes; evaluated after every change, under the lock. */
    private final StatusMonitor monitor;
    private final DeviceCommands commands;
    private final PartitionCommands partitions;
    private final LabelCommands labels;
    /** Sanitize, Secure Erase, Get Security State, and the pending Sanitize (docs/sanitize.md). */
    private final SanitizeCommands sanitize;
    /**
     * The media, its poison and Scan Media results (docs/media-and-poison.md); also the
     * {@link io.cxlkit.device.media.MediaErase} Sanitize and Secure Erase use, and the repartition wipe.
     */
    private final MediaModel media;
    private final MediaCommands mediaCommands;
    /** Lands Set LSA and Set Partition Info changes before they answer (docs/capacity-and-labels.md). */
    private final StateWriter stateWriter;
    private final Dispatcher dispatcher;
    private final MailboxDevice mailbox;
    private final MctpCci mctp;
    private final List<Consumer<CxlDevice>> stateListeners = new CopyOnWriteArrayList<>();
    private final Executor events;
    /** Powered off: listeners are no longer called. Guarded by {@code lock}. */
    private boolean closed;
    /**
     * A close has begun (set before {@link #closed}, while the state writer drains): commands are
     * answered 0018h and a reset does nothing. Guarded by {@code lock}.
     */
    private boolean closing;

    private CxlDevice(DeviceConfig config, DeviceClock clock, FirmwareStore store, ShutdownStore shutdown,
                      PartitionStore partitionStore, LabelStore labelStore, MediaStore mediaStore,
                      SanitizeMark sanitizeMark, MediaErase eraseOverride, SerialExecutor worker,
                      DeviceThreads threads) throws IOException {
        this.config = config;
        this.clock = clock;
        this.store = store;
        this.events = threads.events();
        this.runner = new OperationRunner(lock, clock, worker, this::backgroundEnded);
        this.verificationLog = new VerificationLogRing(clock);
        this.firmware = new FirmwareCommands(config, clock, store, faults, worker, lock, verificationLog,
                this::mediaDisabled);
        DeviceTimestamp timestamp = new DeviceTimestamp(clock);
        this.eventLogs = new EventLogs(config.eventLogSize(), timestamp::now);
        this.eventCommands = new EventCommands(eventLogs);
        // capacity and labels: their changes land through the state writer, apart from the worker
        this.stateWriter = new StateWriter(config.name(), new SerialExecutor(threads.workers()));
        this.labels = new LabelCommands(labelStore, stateWriter, lock, this::mediaDisabled);
        this.media = new MediaModel(mediaStore, config, this::volatileBytes);
        // before the health: media disabled (read from the monitor's first evaluation on) needs it
        this.sanitize = new SanitizeCommands(config, lock, runner, faults::mediaDisabled, sanitizeMark,
                eraseOverride != null ? eraseOverride : media, labels, eventLogs, this::evaluateStatuses);
        this.health = new DeviceHealth(faults, new AlertSettings(config.criticalThresholds()), shutdown,
                this::mediaDisabled);
        this.monitor = new StatusMonitor(health, eventLogs, this::inVolatilePartition);
        this.partitions = new PartitionCommands(config, partitionStore, runner, this::mediaDisabled, media,
                stateWriter, lock);
        this.mediaCommands = new MediaCommands(config, media, monitor, this::mediaDisabled, timestamp::now,
                this::volatileBytes, stateWriter, lock);
        this.commands = new DeviceCommands(config, store.serial(), timestamp, runner, firmware, verificationLog,
                eventCommands, new HealthCommands(health), partitions, labels, mediaCommands, sanitize);
        CommandTable table = CommandTable.of(commands);
        commands.setTable(table);
        this.dispatcher = new Dispatcher(table, faults, runner);
        this.mailbox = new MailboxDevice(this, config.payloadSizeExponent(), threads.mailboxEngine());
        this.mctp = new MctpCci(this, config.mctpMessageSize());
    }

    /**
     * Opens (or, on first start, creates) the device whose non-volatile state lives in {@code dir}.
     * Opening is a power-on: a staged slot is verified and activated and a pending volatile share
     * applied (cold-reset semantics), and a dirty shutdown state is counted and made clean,
     * persisted before this returns.
     *
     * @param threads where the device's worker, hashing, mailbox commands and events run
     */
    public static CxlDevice open(DeviceConfig config, Path dir, DeviceClock clock, DeviceThreads threads,
                                 CrashHook crashHook, PackageChecker checker)
            throws IOException, DeviceStateException {
        return open(config, dir, clock, threads, crashHook, checker, null);
    }

    /**
     * As {@link #open(DeviceConfig, Path, DeviceClock, DeviceThreads, CrashHook, PackageChecker)},
     * with {@code media} as what Sanitize and Secure Erase erase instead of the device's media model
     * (a recording stand-in in tests; null: the model). A Sanitize pending mark in {@code dir} means media disabled until a Sanitize completes.
     */
    public static CxlDevice open(DeviceConfig config, Path dir, DeviceClock clock, DeviceThreads threads,
                                 CrashHook crashHook, PackageChecker checker, MediaErase media)
            throws IOException, DeviceStateException {
        AtomicFiles files = new AtomicFiles(crashHook);
        FirmwareStore store = FirmwareStore.open(dir, config, files, checker, threads.hashing());
        ShutdownStore shutdown = ShutdownStore.open(dir, files, config.name());
        PartitionStore partitionStore = PartitionStore.open(dir, config, files);
        LabelStore labelStore = LabelStore.open(dir, config, files);
        MediaStore mediaStore = MediaStore.open(dir, config, files);
        SanitizeMark sanitizeMark = SanitizeMark.open(dir, files);
        CxlDevice device = new CxlDevice(config, clock, store, shutdown, partitionStore, labelStore, mediaStore,
                sanitizeMark, media, new SerialExecutor(threads.workers()), threads);
        synchronized (device.lock) {
            device.firmware.coldReset();
            device.partitions.applyPendingShare(); // a restart is a cold reset (memdev-commands.md §11)
            device.mediaCommands.coldReset();
            device.health.shutdown().powerOn();
            device.monitor.rebaseline();
        }
        return device;
    }

    public DeviceConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    @Override
    public DeviceClock clock() {
        return clock;
    }

    public MailboxDevice mailbox() {
        return mailbox;
    }

    public MctpCci mctp() {
        return mctp;
    }

    public CommandTable commandTable() {
        return dispatcher.table();
    }

    /** The device's serial, as persisted (it wins over the configuration). */
    public long serial() {
        return store.serial();
    }

    /**
     * Runs one command from {@code cci}. Blocks while an operation with zero modelled time does its
     * file work (the CCI answers only once it is done); returns 0001h at once for background ones.
     * A closed device (powered off) answers 0018h Interrupted and does nothing.
     *
     * @param declaredLength the input length the caller stated (may exceed the CCI's limit)
     */
    @Override
    public CommandResponse execute(Cci cci, Opcode opcode, int declaredLength, ByteBuffer input) {
        Outcome outcome;
        Runnable startWork = null;
        java.util.concurrent.CompletableFuture<ReturnCode> gate = null;
        synchronized (lock) {
            if (closing) {
                return CommandResponse.of(ReturnCode.INTERRUPTED);
            }
            int maxInput = cci == Cci.MAILBOX ? config.payloadSize() : config.mctpMessageSize();
            int maxOutput = cci == Cci.MAILBOX ? config.payloadSize() : commands.responseLimitBytes();
            try {
                outcome = dispatcher.dispatch(cci, opcode, declaredLength, maxInput, input, maxOutput);
            } catch (UncheckedIOException e) {
                LOG.warning(config.name() + ": " + opcode + " failed: " + e.getCause());
                outcome = Outcome.done(ReturnCode.INTERNAL_ERROR);
            }
            monitor.evaluate();
            if (outcome instanceof Outcome.Started started) {
                boolean abortable = dispatcher.table().lookup(opcode).map(CommandSpec::abortable).orElse(false);
                startWork = runner.start(started.operation(), abortable);
                gate = started.operation().answerGate();
                if (started.operation().background() && gate == null) {
                    return CommandResponse.of(ReturnCode.BACKGROUND_COMMAND_STARTED);
                }
            }
        }
        if (gate != null && ((Outcome.Started) outcome).operation().background()) {
            // the work's first step must be durable before the command answers 0001h
            CommandResponse response = awaitGate(gate, CommandResponse.of(ReturnCode.BACKGROUND_COMMAND_STARTED));
            stateChanged(); // such a start changes state already (a Sanitize disables media)
            return response;
        }
        if (startWork != null) {
            startWork.run(); // quick work, on this thread when the worker is idle: outside the lock
        }
        if (outcome instanceof Outcome.Awaiting awaiting) {
            CommandResponse response = awaitLanded(awaiting); // the change is made once it has landed
            if (changesState(opcode)) {
                stateChanged();
            }
            return response;
        }
        if (changesState(opcode)) {
            stateChanged();
        }
        if (outcome instanceof Outcome.Done done) {
            return done.response();
        }
        if (outcome instanceof Outcome.After after) {
            awaitReady(after);
            return after.response();
        }
        CommandResponse response = awaitForeground(((Outcome.Started) outcome).operation());
        if (gate != null && response.backgroundStarted()) {
            return awaitGate(gate, response); // promoted to the background: 0001h only once the gate allows it
        }
        return response;
    }

    /**
     * Waits, outside the lock and without a time limit, for an operation's answer gate
     * ({@link io.cxlkit.device.command.Operation#answeredOnce}): {@code usual} once it allows the
     * answer, else the code it gives instead.
     */
    private static CommandResponse awaitGate(java.util.concurrent.CompletableFuture<ReturnCode> gate,
                                             CommandResponse usual) {
        ReturnCode rc;
        try {
            rc = gate.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            rc = ReturnCode.INTERNAL_ERROR;
        }
        return rc == ReturnCode.SUCCESS ? usual : CommandResponse.of(rc);
    }

    /**
     * Waits for a zero-duration operation's real work, at most {@link #FOREGROUND_BUDGET_NANOS}:
     * a CCI command must answer well within the 2-second mailbox timeout (r3.1 §8.2.8.4), so work
     * that runs longer (a busy disk's fsync, a huge package) goes to the background and the
     * command answers 0001h.
     */
    private CommandResponse awaitForeground(io.cxlkit.device.command.Operation op) {
        try {
            return CommandResponse.of(op.result().get(FOREGROUND_BUDGET_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            synchronized (lock) {
                if (op.state() == io.cxlkit.device.command.Operation.State.RUNNING) {
                    op.promoteToBackground();
                    return CommandResponse.of(ReturnCode.BACKGROUND_COMMAND_STARTED);
                }
            }
            return CommandResponse.of(op.result().join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CommandResponse.of(op.result().join());
        } catch (java.util.concurrent.ExecutionException e) {
            return CommandResponse.of(ReturnCode.INTERNAL_ERROR);
        }
    }

    /**
     * Waits, outside the lock, for the worker to finish what the answer reports, within the
     * foreground budget: work stuck behind a slow disk still lands, just after the answer.
     */
    private static void awaitReady(Outcome.After after) {
        try {
            after.ready().get(FOREGROUND_BUDGET_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // answered anyway: the operation completes (or failed) on the worker
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits, outside the lock and without a time limit, for the state writer's answer (Set LSA and friends). */
    private static CommandResponse awaitLanded(Outcome.Awaiting awaiting) {
        try {
            return awaiting.response().join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return CommandResponse.of(ReturnCode.INTERNAL_ERROR);
        }
    }

    /**
     * memdev-commands.md §2.4's "media disabled": the {@code media-disabled} fault, or a pending
     * Sanitize. The media-gated commands, Transfer FW's step 10, the health Media Status and the
     * Memory Device Status register all read it; under the lock.
     */
    private boolean mediaDisabled() {
        return faults.mediaDisabled() || sanitize.pending();
    }

    /**
     * Whether a Sanitize is pending (accepted and not completed; its mark is on disk): media is
     * disabled until a Sanitize completes, across aborts, resets and restarts (docs/sanitize.md).
     */
    public boolean sanitizePending() {
        synchronized (lock) {
            return sanitize.pending();
        }
    }

    private boolean changesState(Opcode opcode) {
        return dispatcher.table().lookup(opcode)
                .map(spec -> !spec.effects().equals(io.cxlkit.protocol.CelEffects.NONE)).orElse(false);
    }

    /** Adds the records of the statuses' changes since the last evaluation; under the lock. */
    private void evaluateStatuses() {
        monitor.evaluate();
    }

    private void backgroundEnded(Cci owner) {
        monitor.evaluate(); // under the lock: a completion's effects may change the statuses
        if (owner == Cci.MAILBOX) {
            mailbox.backgroundCommandEnded();
        }
        stateChanged();
    }

    /** The mailbox's view of the running operation, for the Status and BG Command Status registers. */
    @Override
    public io.cxlkit.protocol.payload.BackgroundOperationStatus backgroundStatus(Cci cci) {
        synchronized (lock) {
            return runner.statusFor(cci);
        }
    }

    /** The Event Status register's value: bit i while event log i holds a record. */
    @Override
    public long eventStatus() {
        synchronized (lock) {
            return eventLogs.status().toRaw();
        }
    }

    /** Whether {@code dpa} lies in the volatile partition [0, V + share) (memdev-commands.md §8.1). */
    private boolean inVolatilePartition(long dpa) {
        return dpa < partitions.volatileBytes();
    }

    /** The volatile partition's size now, V + share: the DPAs below it are volatile. Under the lock. */
    private long volatileBytes() {
        return partitions.volatileBytes();
    }

    /** The Memory Device Status register's value. */
    @Override
    public MemoryDeviceStatus memoryDeviceStatus() {
        synchronized (lock) {
            boolean disabled = mediaDisabled();
            boolean cold = disabled || firmware.coldResetNeeded();
            return new MemoryDeviceStatus(false, false,
                    disabled ? MemoryDeviceStatus.MEDIA_DISABLED : MemoryDeviceStatus.MEDIA_READY, true,
                    cold ? MemoryDeviceStatus.RESET_COLD : MemoryDeviceStatus.RESET_NONE);
        }
    }

    /**
     * A cold reset (device-behaviour.md §4, docs/events-and-health.md, docs/capacity-and-labels.md):
     * first waits, outside the lock, until the state writer's queued writes have landed (an accepted
     * Set Partition Info is then active or pending, and this reset applies a pending share); then,
     * under the lock, drops the running operation and the open transfer; a graceful power-off (the shutdown state
     * becomes clean, or dirty with the {@code gpf-fail} fault); applies a pending volatile share; a
     * power-on (a dirty state is counted and made clean); then clears the timestamp, the response
     * message limit, all faults, the event logs and their interrupt policy, the alert warnings and
     * the corrected error counts, the volatile partition's media data and poison, the Scan Media
     * results and the poison list cursors (docs/media-and-poison.md), and activates a verified
     * staged slot. Slots and their packages,
     * the LSA, the share, the shutdown state and its count survive. An I/O error of the power-off,
     * the share or the power-on stops those file steps, but the volatile part still runs in full;
     * the (first) error is thrown afterwards.
     */
    public void coldReset() throws IOException {
        if (isClosing()) {
            return; // powered off: there is nothing to reset, and no file may change any more
        }
        // the Sets the state writer holds land first: an accepted share becomes pending (or active)
        // before this reset's power-off, so the reset applies it (memdev-commands.md §11)
        stateWriter.drainThen(() -> { });
        IOException failed = null;
        synchronized (lock) {
            if (closing) {
                return;
            }
            runner.dropForReset();
            try {
                health.shutdown().powerOff(faults.gpfFail());
                partitions.applyPendingShare();
                health.shutdown().powerOn();
            } catch (IOException e) {
                failed = e;
            }
            // the volatile part happens whatever the files did: a reset is never left half done
            faults.clear();
            commands.coldReset();
            mediaCommands.coldReset();
            eventCommands.coldReset();
            health.coldReset();
            try {
                firmware.coldReset();
            } catch (IOException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
            monitor.rebaseline();
        }
        if (failed != null) {
            LOG.warning(config.name() + ": cold reset done, but its state could not be persisted: " + failed);
        } else {
            LOG.info(config.name() + ": cold reset");
        }
        stateChanged();
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Changes the injected faults under the device lock (device-behaviour.md §8), then re-evaluates
     * the health statuses, adding the records of their changes (docs/events-and-health.md).
     */
    public <T> T withFaults(java.util.function.Function<FaultSet, T> change) {
        T result;
        synchronized (lock) {
            result = change.apply(faults); // also once closed: faults live in memory only
            monitor.evaluate();
        }
        stateChanged();
        return result;
    }

    /**
     * The one-shot {@code corrected-error} injection (docs/events-and-health.md): {@code count}
     * corrected errors in the partition that holds {@code dpa}, with their records.
     *
     * @throws IllegalArgumentException for a DPA outside the device or a count outside 1..FFFFFFFFh
     */
    public void injectCorrectedErrors(long dpa, long count) {
        if (count < 1 || count > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("count must be 1..4294967295, not " + count);
        }
        synchronized (lock) {
            if (dpa < 0 || dpa >= config.totalCapacity()) {
                throw new IllegalArgumentException(String.format("DPA 0x%x is outside %s (0x0..0x%x)", dpa,
                        config.name(), config.totalCapacity() - 1));
            }
            monitor.correctedErrors(dpa, count);
        }
        stateChanged();
    }

    // ---- media (docs/media-and-poison.md) ----

    /**
     * The one-shot {@code media-error} injection (memdev-commands.md §12): the lines of
     * [dpa, dpa + lengthBytes) become poisoned with source Internal (poisoned lines keep theirs),
     * one Failure General Media record per new run; durable before this returns.
     *
     * @throws IllegalArgumentException a DPA or length not 64-byte aligned, a zero length, or a
     *                                  range outside the device
     * @throws UncheckedIOException     the persistent poison could not be written (nothing changed)
     * @throws IllegalStateException    the device is powered off (no file of it changes any more)
     */
    public void injectMediaError(long dpa, long lengthBytes) {
        checkMediaRange("media-error", dpa, lengthBytes, Long.MAX_VALUE);
        synchronized (lock) {
            if (closing) {
                throw new IllegalStateException(config.name() + ": powered off, media-error not injected");
            }
            try {
                mediaCommands.injectMediaError(dpa / 64, (dpa + lengthBytes) / 64);
            } catch (IOException e) {
                throw new UncheckedIOException(config.name() + ": media-error could not be persisted", e);
            }
            monitor.evaluate();
        }
        stateChanged();
    }

    /** The largest {@link #readMedia} read: 1 MiB. */
    public static final int MAX_MEDIA_READ = 1 << 20;

    /**
     * The media data of [dpa, dpa + length), as the model holds it (poisoned lines included,
     * volatile lines zero since the last reset unless written), read without a CCI.
     *
     * @throws IllegalArgumentException a DPA or length not 64-byte aligned, a length of 0 or above
     *                                  1 MiB, or a range outside the device
     */
    public byte[] readMedia(long dpa, int length) {
        checkMediaRange("media read", dpa, length, MAX_MEDIA_READ);
        synchronized (lock) {
            try {
                return media.read(dpa, length);
            } catch (IOException e) {
                throw new UncheckedIOException(config.name() + ": media read failed", e);
            }
        }
    }

    private void checkMediaRange(String what, long dpa, long length, long maxLength) {
        long total = config.totalCapacity();
        if (dpa % 64 != 0 || length % 64 != 0 || length <= 0 || length > maxLength || dpa < 0 || dpa >= total
                || length > total - dpa) {
            throw new IllegalArgumentException(String.format("%s: %s of 0x%x bytes at DPA 0x%x is not a 64-byte "
                            + "aligned range inside 0x0..0x%x%s", config.name(), what, length, dpa, total,
                    maxLength < Long.MAX_VALUE ? " of at most " + maxLength + " bytes" : ""));
        }
    }

    /** Get Health Info as the device would answer it now (for tests and inspection). */
    public HealthInfo healthInfo() {
        synchronized (lock) {
            return health.info();
        }
    }

    /** The records event log {@code log} holds, oldest first (for tests and inspection). */
    public List<EventRecord> eventRecords(EventLog log) {
        synchronized (lock) {
            return eventLogs.records(log);
        }
    }

    public List<String> faults() {
        synchronized (lock) {
            return faults.describe();
        }
    }

    /** Get FW Info as the device would answer it now (for tests and inspection, not for host views). */
    public FwInfo fwInfo() {
        synchronized (lock) {
            return firmware.fwInfo();
        }
    }

    /** The file holding the package of {@code slot}, or empty when the slot is. */
    public java.util.Optional<Path> slotFile(int slot) {
        synchronized (lock) {
            return store.hasPackage(slot) ? java.util.Optional.of(store.slotPath(slot)) : java.util.Optional.empty();
        }
    }

    public long securityFloor() {
        synchronized (lock) {
            return store.securityFloor();
        }
    }

    /** The Verification Log as Get Log would read it now (for tests and inspection, not for host views). */
    public io.cxlkit.protocol.payload.VerificationLog verificationLog() {
        synchronized (lock) {
            return verificationLog.log();
        }
    }

    /**
     * Called on the events executor, in order, after a command that changes state, a background
     * completion, a reset or a fault change. No call starts once the device is closed (one that
     * started before may still be running).
     */
    public void addStateListener(Consumer<CxlDevice> listener) {
        stateListeners.add(listener);
    }

    /** Hands the listeners to the events executor: never on the thread (or under the lock) of the change. */
    private void stateChanged() {
        if (stateListeners.isEmpty() || isClosed()) {
            return;
        }
        try {
            events.execute(this::notifyListeners);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the platform is stopping: nobody is left to tell
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    private void notifyListeners() {
        for (Consumer<CxlDevice> l : stateListeners) {
            if (isClosed()) {
                return;
            }
            l.accept(this);
        }
    }

    /**
     * Powers the device off gracefully: drops the running operation (no effect takes place; its
     * staging discard is queued on the worker, which finishes it) and forgets the open transfer (the
     * next open deletes its staging file); models a successful global persistent flush, which makes
     * the shutdown state clean (dirty with the {@code gpf-fail} fault), persisted; then answers every
     * later command 0018h, ignores a reset and starts no listener again. Commands stop being accepted
     * first; then the state writer's queued writes land (outside the lock); only then does the
     * power-off run, so a clean shutdown state is never recorded ahead of an accepted write. No
     * write of the device lands after this returns; the other files stay as they are. A killed process does
     * none of this: its shutdown state stays as last set.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true; // from now on every command answers 0018h and a reset does nothing
        }
        // the writes accepted before the close land before the power-off records a clean state
        stateWriter.drainThen(() -> { });
        synchronized (lock) {
            runner.dropForReset();
            try {
                health.shutdown().powerOff(faults.gpfFail());
            } catch (IOException e) {
                LOG.warning(config.name() + ": the shutdown state could not be persisted at power-off: " + e);
            }
            firmware.close();
            closed = true;
        }
        // nothing can be queued any more (no command is accepted): the LSA's files close last
        stateWriter.drainThen(labels::close);
    }
}
