package io.cxlkit.server;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.exec.SerialExecutor;
import io.cxlkit.device.clock.SystemClock;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.host.cci.MailboxTransport;
import io.cxlkit.host.driver.MemdevDriver;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.server.state.StateDirectory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * The emulated platform: devices opened on a state directory, one host driver attached to each
 * device's mailbox (as the kernel's driver sits on the PCI mailbox). The socket endpoint and the
 * control API are started on top of it by {@link Daemon}.
 */
public final class Platform implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.cxlkit.server");

    /** How long {@link #close()} waits for uploads to end and device work to drain, in all. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final ExecutorService pool;
    private final SpoolDirectory spool;
    private final Map<String, Memdev> memdevs;
    private final ExecutorService uploads = Executors.newFixedThreadPool(
            Math.max(4, 4 * Runtime.getRuntime().availableProcessors()), Threads.daemon("cxlkit-upload"));

    private Platform(ExecutorService pool, SpoolDirectory spool, Map<String, Memdev> memdevs) {
        this.pool = pool;
        this.spool = spool;
        this.memdevs = memdevs;
    }

    /**
     * Opens every device (a power-on: staged firmware is activated) and attaches its host driver.
     *
     * @param uploadListener told of every upload status change of a memdev
     */
    public static Platform open(StateDirectory stateDir, List<DeviceConfig> configs,
                                BiConsumer<String, UploadStatus> uploadListener)
            throws IOException, DeviceStateException {
        ExecutorService pool = Executors.newCachedThreadPool(Threads.daemon("cxlkit-device"));
        Map<String, Memdev> memdevs = new LinkedHashMap<>();
        PolicyChecker checker = new PolicyChecker(); // stateless: one serves every device
        // The mailbox engine is the thread that rings the doorbell: the host waits for the doorbell
        // to clear anyway, and a hand-off there and back costs more than most commands. Device events
        // of all devices go out in order on one serial executor.
        DeviceThreads threads = new DeviceThreads(pool, pool, Runnable::run, new SerialExecutor(pool));
        try {
            SpoolDirectory spool = SpoolDirectory.open(stateDir.path());
            int index = 0;
            for (DeviceConfig config : configs) {
                CxlDevice device = CxlDevice.open(config, stateDir.deviceDirectory(config.name()), SystemClock.get(),
                        threads, CrashHook.NONE, checker);
                MailboxTransport mailbox = new MailboxTransport(device.mailbox(), System::nanoTime, config.name());
                String name = config.name();
                MemdevDriver driver = new MemdevDriver(name, config.pciAddress(), device.serial(), mailbox,
                        Clock.systemUTC(), status -> uploadListener.accept(name, status));
                int eid = PlatformConfig.FIRST_EID + index % PlatformConfig.DEVICES_PER_LISTENER;
                memdevs.put(name, new Memdev(name, device, driver, eid));
                index++;
            }
            for (Memdev m : memdevs.values()) {
                m.driver().attach(); // the kernel's probe (memdev-commands.md §13.1); a failure is logged
            }
            LOG.info("opened " + memdevs.size() + " device(s) on " + stateDir.path());
            return new Platform(pool, spool, Collections.unmodifiableMap(memdevs));
        } catch (IOException | DeviceStateException | RuntimeException e) {
            memdevs.values().forEach(m -> m.device().close());
            pool.shutdown();
            throw e;
        } catch (InterruptedException e) {
            memdevs.values().forEach(m -> m.device().close());
            pool.shutdown();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the host drivers attached", e);
        }
    }

    public List<Memdev> memdevs() {
        return new ArrayList<>(memdevs.values());
    }

    public Optional<Memdev> memdev(String name) {
        return Optional.ofNullable(memdevs.get(name));
    }

    /** The pool that runs device work. */
    public ExecutorService pool() {
        return pool;
    }

    /** Where uploads keep their images while they run. */
    SpoolDirectory spool() {
        return spool;
    }

    /**
     * Runs firmware uploads, a few at a time: a fleet of uploads started at once then queues
     * (each shown in progress) instead of a thousand host threads starving the devices they drive
     * past the host's 2-second mailbox timeout.
     */
    public ExecutorService uploads() {
        return uploads;
    }

    /**
     * A power-off, in the order that leaves nothing half-done and interrupts no thread: running
     * uploads are cancelled; every device is closed (its background operation dropped, which
     * wakes an upload waiting for it; later commands are answered 0018h); then every host driver
     * (its Sanitize watcher stops, security waiters return); uploads then end and
     * clean up on their own threads; the device workers finish the file work already queued (a
     * staging discard). Waits at most {@link #CLOSE_WAIT} in all. Files stay as they are.
     */
    @Override
    public void close() {
        close(System.nanoTime() + CLOSE_WAIT.toNanos());
    }

    /** {@link #close()}, waiting until {@code deadline} ({@link System#nanoTime()}) at most. */
    public void close(long deadline) {
        for (Memdev m : memdevs.values()) {
            m.uploader().cancel();
        }
        for (Memdev m : memdevs.values()) {
            m.device().close();
        }
        // after the devices: nothing waits for them any more; a Sanitize watcher stops and every
        // GET .../security?wait_ms waiter is let go
        for (Memdev m : memdevs.values()) {
            try {
                m.driver().close();
            } catch (IOException e) {
                LOG.warning(m.name() + ": closing the host driver failed: " + e.getMessage());
            }
        }
        uploads.shutdown();
        if (!awaitUntil(uploads, deadline)) {
            LOG.warning("stopping with uploads still ending");
        }
        pool.shutdown();
        if (!awaitUntil(pool, deadline)) {
            LOG.warning("stopping with device file work still running");
        }
    }

    private static boolean awaitUntil(ExecutorService e, long deadlineNanos) {
        try {
            return e.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
