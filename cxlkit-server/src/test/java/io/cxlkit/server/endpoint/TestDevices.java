package io.cxlkit.server.endpoint;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.clock.SystemClock;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.persist.CrashHook;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The endpoint tests' two devices, instant timing, serial {@link #SERIALS}[i] for device i (EID 8 + i). */
final class TestDevices implements AutoCloseable {

    static final long[] SERIALS = {0x5E7_0000_0000_0008L, 0x5E7_0000_0000_0009L};

    private final List<ExecutorService> executors = new ArrayList<>();
    private final List<CxlDevice> devices = new ArrayList<>();

    private TestDevices() {
    }

    static TestDevices open(Path dir) throws IOException, DeviceStateException {
        TestDevices t = new TestDevices();
        for (int i = 0; i < SERIALS.length; i++) {
            ExecutorService worker = Executors.newSingleThreadExecutor();
            ExecutorService engine = Executors.newSingleThreadExecutor();
            t.executors.add(worker);
            t.executors.add(engine);
            DeviceConfig config = DeviceConfig.defaults(i).toBuilder().serial(SERIALS[i]).timing(Timing.instant())
                    .build();
            t.devices.add(CxlDevice.open(config, dir.resolve("mem" + i), SystemClock.get(),
                    DeviceThreads.inline().withWorkers(worker).withMailboxEngine(engine), CrashHook.NONE,
                    new PolicyChecker()));
        }
        return t;
    }

    List<CxlDevice> list() {
        return devices;
    }

    @Override
    public void close() throws InterruptedException {
        devices.forEach(CxlDevice::close);
        for (ExecutorService e : executors) {
            e.shutdown();
            e.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
