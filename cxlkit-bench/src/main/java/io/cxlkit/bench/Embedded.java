package io.cxlkit.bench;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.PlatformConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A platform embedded in the benchmark JVM, on loopback with free ports. */
final class Embedded {
    private Embedded() {
    }

    static Daemon start(Path stateDir, List<DeviceConfig> devices) throws Exception {
        PlatformConfig config = new PlatformConfig(stateDir, devices, List.of("127.0.0.1:0"), Optional.empty(),
                "127.0.0.1:0", PlatformConfig.DEFAULT_MAX_CONNECTIONS);
        return Daemon.start(config, w -> { });
    }
}
