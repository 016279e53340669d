package io.cxlkit.server;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.DeviceConfig;
import io.cxlkit.device.SerialExecutor;
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

    private final StateDirectory stateDir;
    private final ExecutorService pool;
    private final Map<String, Memdev> memdevs;
    private final ExecutorService uploads = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(4, 4 * Runtime.getRuntime().availableProcessors()), Threads.daemon("cxlkit-upload"));

    private Platform(StateDirectory stateDir, ExecutorService pool, Map<String, Memdev> memdevs) {
        this.stateDir = stateDir;
        this.pool = pool;
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
        try {
            int index = 0;
            for (DeviceConfig config : configs) {
                // The mailbox engine is the thread that rings the doorbell: the host waits for the
                // doorbell to clear anyway, and a hand-off there and back costs more than most commands.
                CxlDevice device = CxlDevice.open(config, stateDir.deviceDirectory(config.name()), SystemClock.get(),
                        new SerialExecutor(pool), Runnable::run, CrashHook.NONE, checker);
                MailboxTransport mailbox = new MailboxTransport(device.mailbox(), System::nanoTime, config.name());
                String name = config.name();
                MemdevDriver driver = new MemdevDriver(name, config.pciAddress(), device.serial(), mailbox,
                        Clock.systemUTC(), status -> uploadListener.accept(name, status));
                int eid = PlatformConfig.FIRST_EID + index % PlatformConfig.DEVICES_PER_LISTENER;
                Memdev memdev = new Memdev(name, device, driver, eid);
                // an image spooled for an upload that a crash cut short is of no use to anyone
                java.nio.file.Files.deleteIfExists(memdev.spoolFile());
                memdevs.put(name, memdev);
                index++;
            }
        } catch (IOException | DeviceStateException | RuntimeException e) {
            memdevs.values().forEach(m -> m.device().close());
            pool.shutdownNow();
            throw e;
        }
        LOG.info("opened " + memdevs.size() + " device(s) on " + stateDir.path());
        return new Platform(stateDir, pool, Collections.unmodifiableMap(memdevs));
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

    /**
     * Runs firmware uploads, a few at a time: a fleet of uploads started at once then queues
     * (each shown in progress) instead of a thousand host threads starving the devices they drive
     * past the host's 2-second mailbox timeout.
     */
    public ExecutorService uploads() {
        return uploads;
    }

    /** Drops running background operations; files stay as they are (what a power-off does). */
    @Override
    public void close() {
        for (Memdev m : memdevs.values()) {
            m.uploader().cancel();
            m.device().close();
        }
        uploads.shutdownNow();
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
