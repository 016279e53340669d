package io.cxlkit.host.driver;

import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.host.cci.CciTransport;
import io.cxlkit.host.upload.FirmwareAction;
import io.cxlkit.host.upload.FirmwareBusyException;
import io.cxlkit.host.upload.FirmwareUploader;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.host.verification.VerificationLogReader;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.ActivateFwAction;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.AlertConfig;
import io.cxlkit.protocol.payload.CelEntry;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.DpaRange;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.LogIds;
import io.cxlkit.protocol.payload.MalformedPayloadException;
import io.cxlkit.protocol.payload.PartitionInfo;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import io.cxlkit.protocol.payload.SetLsaRequest;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import io.cxlkit.protocol.payload.ShutdownState;
import io.cxlkit.protocol.payload.SupportedLogEntry;
import io.cxlkit.protocol.payload.VerificationLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The host's driver for one memory device, as the kernel's cxl_pci/cxl_mem pair sits on a PCI
 * function: what enumeration tells it (name, PCI address, serial from the DSN capability) plus a
 * CCI client over the device's mailbox, the firmware uploader, and the commands behind sysfs.
 * Mailbox commands from the views, activation and the uploader share one transport, which runs
 * one command at a time.
 *
 * <p>{@link #attach()} is the kernel's probe (memdev-commands.md §13.1): what it learns (the
 * capacities, the LSA size, the CEL) stays until the next attach, after a cold reset.
 */
public final class MemdevDriver implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MemdevDriver.class.getName());

    /** What a failed Set LSA leaves, in libcxl's words: the labels may be half written. */
    public static final String LABELS_INCONSISTENT = "labels may be in an inconsistent state";

    /**
     * What attaching learned, as the kernel keeps it after its probe.
     *
     * @param identify Identify Memory Device's output at attach
     * @param cel      the opcodes the Command Effects Log lists
     * @param ramSize  the volatile capacity in bytes: Get Partition Info's active volatile capacity when the
     *                 device has a partition alignment, else Identify's Volatile Only Capacity
     * @param pmemSize the persistent capacity in bytes, likewise
     */
    public record Attachment(IdentifyMemoryDevice identify, Set<Opcode> cel, long ramSize, long pmemSize) {
        public Attachment {
            Objects.requireNonNull(identify, "identify");
            cel = Set.copyOf(cel);
        }

        /** The Label Storage Area's size in bytes (Identify 38h). */
        public long lsaSize() {
            return identify.lsaSize();
        }

        public boolean celLists(CommandId command) {
            return cel.contains(command.opcode());
        }
    }

    private final String name;
    private final String host;
    private final long serial;
    private final CciClient client;
    private final FirmwareUploader uploader;
    private final VerificationLogReader verificationLog;
    /**
     * The last successful attach; null before one. An attach publishes here last, and only when it
     * succeeds: a failed one leaves what an earlier one learned.
     */
    private volatile Attachment attachment;
    /** What failed the last attach when it failed and none succeeded since; null otherwise. */
    private volatile Exception attachFailure;
    /** Held across one whole attach: two attaches never run at once. */
    private final ReentrantLock attaching = new ReentrantLock();
    /**
     * Held across one whole label operation (its chunks): two operations on this driver's labels
     * never interleave chunk by chunk, so a read sees a write through the driver whole or not at all.
     */
    private final ReentrantLock labels = new ReentrantLock(true);
    /**
     * Held across one whole poison list read (its Get Poison List continuations) and across each
     * Inject/Clear Poison, as the kernel's poison mutex: the device keeps one continuation point per
     * CCI, which two interleaved reads would steal from each other.
     */
    private final ReentrantLock poison = new ReentrantLock(true);
    private final SanitizeTracker sanitize;

    public MemdevDriver(String name, String host, long serial, CciTransport mailbox, Clock wallClock,
                        Consumer<UploadStatus> uploadListener) {
        this.name = name;
        this.host = host;
        this.serial = serial;
        this.client = new CciClient(mailbox);
        this.uploader = new FirmwareUploader(client, wallClock, uploadListener);
        this.verificationLog = new VerificationLogReader(client);
        this.sanitize = new SanitizeTracker(name, client);
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public long serial() {
        return serial;
    }

    public CciClient client() {
        return client;
    }

    public FirmwareUploader uploader() {
        return uploader;
    }

    /** The device's Verification Log, read over this driver's mailbox. */
    public VerificationLogReader verificationLog() {
        return verificationLog;
    }

    /** Get FW Info, or empty if the device refuses or does not answer (the view then omits it). */
    public Optional<FwInfo> firmwareInfo() throws InterruptedException {
        return answerOrEmpty(client::getFwInfo);
    }

    /** Identify Memory Device, or empty if the device refuses or does not answer. */
    public Optional<IdentifyMemoryDevice> identify() throws InterruptedException {
        return answerOrEmpty(client::identifyMemoryDevice);
    }

    /**
     * Activate FW for {@code slot}: online (waiting for a background activation) or on the next
     * reset. Never in the middle of an upload: the firmware is claimed for the activation first.
     * An online activation that fails (000Ch, 000Dh) carries the device's reason when its
     * Verification Log has a new record for it.
     *
     * @throws FirmwareBusyException if an upload or a reset runs on this memdev
     * @throws CciTimeoutException   if the device does not answer; also when it does not answer the
     *                               Get Log before Activate FW, which then is not sent: its doorbell
     *                               is stuck, and Activate FW would have timed out there
     */
    public void activate(int slot, boolean online)
            throws IOException, InterruptedException, CciCommandException, FirmwareBusyException {
        try (FirmwareUploader.Claim claim = uploader.claim(FirmwareAction.ACTIVATION)) {
            if (!online) {
                client.activateFw(ActivateFwRequest.of(ActivateFwAction.ON_NEXT_RESET, slot));
                return;
            }
            OptionalLong mark = verificationLog.mark();
            try {
                client.activateFw(ActivateFwRequest.of(ActivateFwAction.ONLINE, slot));
            } catch (CciCommandException e) {
                if (e.returnCode() == ReturnCode.ACTIVATION_FAILED_ROLLED_BACK
                        || e.returnCode() == ReturnCode.ACTIVATION_FAILED_COLD_RESET_REQUIRED) {
                    throw e.withReason(verificationLog.newestSince(mark, VerificationLog.Operation.ONLINE_ACTIVATION,
                            slot).map(VerificationLog.Record::reason));
                }
                throw e;
            }
        }
    }

    /**
     * Attaches as the kernel's probe does (memdev-commands.md §13.1): Identify Memory Device and
     * the CEL (Get Supported Logs, Get Log); the capacities from Get Partition Info when Identify's
     * Partition Alignment is not zero, else from its Volatile Only and Persistent Only capacities;
     * then, if the CEL lists Set Shutdown State and the persistent capacity is not zero, Set
     * Shutdown State dirty, whose failure is logged and changes nothing else. It does not set the
     * timestamp and leaves the event logs alone. A failure of the other commands fails the attach
     * (logged; what an earlier attach learned stays). Only the daemon's start and a cold reset
     * attach (§13.1): {@link #attachment()} and {@link #attached()} never do. Attaches run one at a
     * time, and what one learns is published only once it succeeded.
     *
     * @return what it learned, or empty when it failed
     */
    public Optional<Attachment> attach() throws InterruptedException {
        attaching.lockInterruptibly();
        try {
            Attachment a = attachOrThrow();
            attachFailure = null;
            attachment = a; // published last, and only on success
            return Optional.of(a);
        } catch (IOException | CciCommandException e) {
            attachFailure = e;
            LOG.warning(name + ": attach failed: " + e.getMessage());
            return Optional.empty();
        } finally {
            attaching.unlock();
        }
    }

    /**
     * What the last successful attach learned, or empty before one; never sends a command, never
     * waits for an attach in progress (which publishes only once it succeeded).
     */
    public Optional<Attachment> attachment() {
        return Optional.ofNullable(attachment);
    }

    /**
     * What the last successful attach learned; sends no command. Without one it throws what failed
     * the last attach (an {@link IOException} when none ran yet).
     */
    public Attachment attached() throws IOException, CciCommandException {
        Attachment a = attachment;
        if (a != null) {
            return a;
        }
        Exception e = attachFailure;
        if (e instanceof CciCommandException c) {
            throw c;
        }
        if (e instanceof IOException io) {
            throw io;
        }
        throw new IOException(name + ": the host driver has not attached");
    }

    private Attachment attachOrThrow() throws IOException, InterruptedException, CciCommandException {
        try {
            IdentifyMemoryDevice identify = client.identifyMemoryDevice();
            Set<Opcode> cel = commandEffectsLog();
            long unit = IdentifyMemoryDevice.CAPACITY_UNIT;
            long ram;
            long pmem;
            if (identify.partitionAlignment() != 0) {
                PartitionInfo p = client.getPartitionInfo();
                ram = p.activeVolatile() * unit;
                pmem = p.activePersistent() * unit;
            } else {
                ram = identify.volatileOnlyCapacity() * unit;
                pmem = identify.persistentOnlyCapacity() * unit;
            }
            Attachment a = new Attachment(identify, cel, ram, pmem);
            if (pmem != 0 && a.celLists(CommandId.SET_SHUTDOWN_STATE)) {
                try {
                    client.setShutdownState(ShutdownState.DIRTY);
                } catch (IOException | CciCommandException e) {
                    LOG.warning(name + ": Set Shutdown State (dirty) failed at attach: " + e.getMessage());
                }
            }
            return a;
        } catch (MalformedPayloadException e) {
            throw new IOException(client.transport().describe() + ": malformed answer: " + e.getMessage(), e);
        }
    }

    /** The opcodes the CEL lists: its size from Get Supported Logs, its bytes by Get Log in Payload Size reads. */
    private Set<Opcode> commandEffectsLog() throws IOException, InterruptedException, CciCommandException {
        long size = client.getSupportedLogs().entries().stream().filter(e -> e.logId().equals(LogIds.CEL_UUID))
                .mapToLong(SupportedLogEntry::logSize).findFirst()
                .orElseThrow(() -> new IOException(client.transport().describe() + ": Get Supported Logs lists no CEL"));
        int chunk = client.transport().maxPayload();
        Set<Opcode> opcodes = new TreeSet<>();
        for (long offset = 0; offset + CelEntry.SIZE <= size; ) {
            long n = Math.min(chunk - chunk % CelEntry.SIZE, size - offset);
            ByteBuffer b = ByteBuffer.wrap(client.getLog(LogIds.CEL_UUID, offset, n));
            if (b.remaining() != n) {
                throw new IOException(client.transport().describe() + ": Get Log of the CEL returned " + b.remaining()
                        + " bytes for " + n);
            }
            while (b.remaining() >= CelEntry.SIZE) {
                opcodes.add(CelEntry.decode(b).opcode());
            }
            offset += n;
        }
        return opcodes;
    }

    /** Get Health Info, or empty if the device refuses or does not answer (the view then omits it). */
    public Optional<HealthInfo> healthInfo() throws InterruptedException {
        return answerOrEmpty(client::getHealthInfo);
    }

    /** Get Alert Configuration, or empty if the device refuses or does not answer. */
    public Optional<AlertConfig> alertConfig() throws InterruptedException {
        return answerOrEmpty(client::getAlertConfig);
    }

    /** Get Partition Info, or empty if the device refuses or does not answer. */
    public Optional<PartitionInfo> partitionInfo() throws InterruptedException {
        return answerOrEmpty(client::getPartitionInfo);
    }

    /** One command whose answer a view shows, or empty if the device refuses or does not answer. */
    private static <T> Optional<T> answerOrEmpty(Query<T> query) throws InterruptedException {
        try {
            return Optional.of(query.ask());
        } catch (IOException | CciCommandException e) {
            return Optional.empty();
        }
    }

    /** A {@link CciClient} call. */
    @FunctionalInterface
    private interface Query<T> {
        T ask() throws IOException, InterruptedException, CciCommandException;
    }

    /** Set Alert Configuration, as ndctl's {@code set-alert-config} sends it. */
    public void setAlertConfig(SetAlertConfigRequest request)
            throws IOException, InterruptedException, CciCommandException {
        client.setAlertConfig(request);
    }

    /**
     * Set Partition Info of {@code volatileBytes} (a multiple of 256 MiB) without Immediate: the
     * change waits for the next cold reset, as the kernel, which refuses Immediate from user space,
     * leaves it.
     */
    public void setPartition(long volatileBytes) throws IOException, InterruptedException, CciCommandException {
        if (volatileBytes < 0 || volatileBytes % IdentifyMemoryDevice.CAPACITY_UNIT != 0) {
            throw new IllegalArgumentException("the volatile capacity must be a multiple of 256 MiB: " + volatileBytes);
        }
        client.setPartitionInfo(new SetPartitionInfoRequest(volatileBytes / IdentifyMemoryDevice.CAPACITY_UNIT,
                false));
    }

    /** The most label bytes one Get LSA or Set LSA carries: the Payload Size less Set LSA's 8-byte header. */
    public int labelChunk() throws IOException, InterruptedException {
        return client.transport().maxPayload() - SetLsaRequest.HEADER_SIZE;
    }

    /**
     * {@code length} bytes of the Label Storage Area from {@code offset}, by Get LSA in chunks of
     * {@link #labelChunk()}; the first failure stops it.
     */
    public byte[] readLabels(long offset, int length) throws IOException, InterruptedException, CciCommandException {
        byte[] out = new byte[length];
        labels.lock();
        try {
            int chunk = labelChunk();
            for (int done = 0; done < length; ) {
                int n = Math.min(chunk, length - done);
                System.arraycopy(client.getLsa(offset + done, n), 0, out, done, n);
                done += n;
            }
        } finally {
            labels.unlock();
        }
        return out;
    }

    /**
     * Writes {@code data} to the Label Storage Area at {@code offset}, by Set LSA in chunks of
     * {@link #labelChunk()}; the first failure stops it, and then the labels may be half written
     * ({@link #LABELS_INCONSISTENT}).
     */
    public void writeLabels(long offset, byte[] data) throws IOException, InterruptedException, CciCommandException {
        setLabels(offset, data.length, data);
    }

    /** Writes {@code length} zero bytes at {@code offset}, as {@link #writeLabels} writes. */
    public void zeroLabels(long offset, int length) throws IOException, InterruptedException, CciCommandException {
        setLabels(offset, length, null);
    }

    /** Set LSA in chunks: {@code data}'s bytes, or zeros when it is null. */
    private void setLabels(long offset, int length, byte[] data)
            throws IOException, InterruptedException, CciCommandException {
        labels.lock();
        try {
            int chunk = labelChunk();
            byte[] zeros = data == null ? new byte[Math.min(chunk, length)] : null;
            for (int done = 0; done < length; ) {
                int n = Math.min(chunk, length - done);
                if (data == null) {
                    client.setLsa(offset + done, zeros, 0, n);
                } else {
                    client.setLsa(offset + done, data, done, n);
                }
                done += n;
            }
        } finally {
            labels.unlock();
        }
    }

    // ------------------------------------------------------------------ media errors, poison

    /** The most records the host takes from one partition's poison list (the kernel's CXL_POISON_LIST_MAX). */
    public static final int POISON_LIST_MAX = 1024;

    /**
     * The poison list as the kernel reads it for {@code trigger_poison_list} (memdev-commands.md
     * §13.4): for each non-empty partition, volatile first ([0, ram), then [ram, ram + pmem), the
     * capacities the last attach learned), Get Poison List over the whole partition, again while
     * More is set, until min(M, {@value #POISON_LIST_MAX}) records came (M: Identify Memory Device
     * 3Ch); records beyond that are dropped. Every output in order, each with its own flags and
     * overflow timestamp. Empty when any Get Poison List fails or the driver has not attached.
     */
    public Optional<List<GetPoisonListResponse>> poisonList() throws InterruptedException {
        Attachment a = attachment;
        if (a == null) {
            return Optional.empty();
        }
        int max = Math.min(a.identify().poisonListMaxMediaErrorRecords(), POISON_LIST_MAX);
        List<GetPoisonListResponse> out = new ArrayList<>();
        poison.lockInterruptibly();
        try {
            long[][] partitions = {{0, a.ramSize()}, {a.ramSize(), a.pmemSize()}};
            for (long[] p : partitions) {
                if (p[1] == 0) {
                    continue;
                }
                GetPoisonListRequest request = GetPoisonListRequest.of(p[0], p[1] / DpaRange.LINE);
                int records = 0;
                GetPoisonListResponse r;
                do {
                    r = client.getPoisonList(request);
                    if (records + r.records().size() > max) {
                        r = new GetPoisonListResponse(r.more(), r.overflow(), r.scanMediaInProgress(),
                                r.restartAck(), r.overflowTimestamp(), r.records().subList(0, max - records));
                    }
                    records += r.records().size();
                    out.add(r);
                } while (r.more() && records < max);
            }
        } catch (IOException | CciCommandException e) {
            LOG.fine(() -> name + ": Get Poison List failed: " + e.getMessage());
            return Optional.empty();
        } finally {
            poison.unlock();
        }
        return Optional.of(out);
    }

    /**
     * Inject Poison of the 64-byte line at {@code dpa}, as the kernel's {@code inject_poison} debugfs
     * file sends it.
     *
     * @throws IllegalArgumentException if {@code dpa} is not 64-byte aligned
     */
    public void injectPoison(long dpa) throws IOException, InterruptedException, CciCommandException {
        InjectPoisonRequest request = new InjectPoisonRequest(dpa);
        poison.lockInterruptibly();
        try {
            client.injectPoison(request);
        } finally {
            poison.unlock();
        }
    }

    /**
     * Clear Poison of the line at {@code dpa} with 64 zero bytes, as the kernel's {@code clear_poison}
     * debugfs file sends it.
     *
     * @throws IllegalArgumentException if {@code dpa} is not 64-byte aligned
     */
    public void clearPoison(long dpa) throws IOException, InterruptedException, CciCommandException {
        ClearPoisonRequest request = ClearPoisonRequest.of(dpa, new byte[ClearPoisonRequest.DATA_SIZE]);
        poison.lockInterruptibly();
        try {
            client.clearPoison(request);
        } finally {
            poison.unlock();
        }
    }

    // ------------------------------------------------------------------ sanitize, secure erase

    /**
     * Sanitize, or Secure Erase with {@code secureErase}, as the kernel sends them
     * (memdev-commands.md §13.3): Get Security State first, then the command.
     *
     * @return true when a Sanitize runs on in the background (the state is {@code sanitize} until
     *         it completes), false when the command finished with its answer
     * @throws SanitizeRefusedException a Sanitize sent through this driver still runs, or a user
     *                                  passphrase is set
     * @throws CciCommandException      Get Security State or the command failed
     */
    public boolean sanitize(boolean secureErase)
            throws IOException, InterruptedException, CciCommandException, SanitizeRefusedException {
        return sanitize.start(secureErase) == SanitizeTracker.Start.RUNNING;
    }

    /** The security state and how the last Sanitize ended; sends no command. */
    public SecurityStatus securityStatus() {
        return sanitize.status();
    }

    /** The security state once no Sanitize runs, or after {@code max} (real time) if one still does. */
    public SecurityStatus awaitSanitize(Duration max) throws InterruptedException {
        return sanitize.awaitIdle(max);
    }

    /**
     * The device was just cold reset (call it synchronously, before {@link #attach()}, also when
     * the reset reported an I/O error: its volatile part ran anyway): the reset dropped a running
     * Sanitize, so the security state is {@code disabled} and {@code last_sanitize} 0018h
     * Interrupted from now on, and the next Sanitize may start. Sends no command.
     */
    public void coldResetDone() {
        sanitize.reset();
    }

    @Override
    public void close() throws IOException {
        sanitize.close();
        client.close();
    }
}
