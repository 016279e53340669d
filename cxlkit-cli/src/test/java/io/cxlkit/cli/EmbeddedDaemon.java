package io.cxlkit.cli;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.PlatformConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A daemon started in-process for command tests: a temporary state directory, the CCI endpoint
 * on 127.0.0.1:0 and the control API on 127.0.0.1:0.
 */
final class EmbeddedDaemon implements AutoCloseable {

    final Path stateDir;
    final Daemon daemon;

    private EmbeddedDaemon(Path stateDir, Daemon daemon) {
        this.stateDir = stateDir;
        this.daemon = daemon;
    }

    /** Device {@code i} with the defaults and instant timing. */
    static DeviceConfig instant(int i) {
        return DeviceConfig.defaults(i).toBuilder().timing(Timing.instant()).build();
    }

    /** Device {@code i} with the defaults (realistic timing). */
    static DeviceConfig realistic(int i) {
        return DeviceConfig.defaults(i);
    }

    /** {@code n} devices with instant timing. */
    static EmbeddedDaemon start(Path stateDir, int n) throws Exception {
        List<DeviceConfig> devices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            devices.add(instant(i));
        }
        return start(stateDir, devices.toArray(DeviceConfig[]::new));
    }

    static EmbeddedDaemon start(Path stateDir, DeviceConfig... devices) throws Exception {
        PlatformConfig config = new PlatformConfig(stateDir, Arrays.asList(devices), List.of("127.0.0.1:0"),
                Optional.empty(), "127.0.0.1:0", PlatformConfig.DEFAULT_MAX_CONNECTIONS);
        return new EmbeddedDaemon(stateDir, Daemon.start(config, warning -> { }));
    }

    /** The first TCP listener, {@code tcp://127.0.0.1:P}. */
    String cci() {
        return daemon.info().cci();
    }

    /** Runs {@code cxlkit} with {@code --state-dir} of this daemon appended. */
    Cli.Run run(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--state-dir";
        all[args.length + 1] = stateDir.toString();
        return Cli.run(all);
    }

    @Override
    public void close() {
        daemon.close();
    }
}
