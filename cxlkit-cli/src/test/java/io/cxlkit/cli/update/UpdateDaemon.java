package io.cxlkit.cli.update;

import io.cxlkit.cli.Cli;
import io.cxlkit.cli.Main;
import io.cxlkit.cli.Terminal;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.host.upload.FirmwareUploader;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.PlatformConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * An in-process daemon for update-firmware tests (as io.cxlkit.cli.EmbeddedDaemon, which this
 * package cannot see), with direct looks at each memdev's uploader and slots for polling.
 */
final class UpdateDaemon implements AutoCloseable {

    final Path stateDir;
    final Daemon daemon;

    private UpdateDaemon(Path stateDir, Daemon daemon) {
        this.stateDir = stateDir;
        this.daemon = daemon;
    }

    /** Device {@code i}: defaults, instant timing but {@code partTime} per Transfer FW part, {@code policy}. */
    static DeviceConfig device(int i, VerifyPolicy policy, Duration partTime) {
        return DeviceConfig.defaults(i).toBuilder().timing(Timing.instant().withPartTime(partTime))
                .verifyPolicy(policy).build();
    }

    /** {@code --fw-verify none}, 1 ms per part. */
    static DeviceConfig fast(int i) {
        return device(i, VerifyPolicy.NONE, Duration.ofMillis(1));
    }

    static UpdateDaemon start(Path stateDir, DeviceConfig... devices) throws Exception {
        PlatformConfig config = new PlatformConfig(stateDir, Arrays.asList(devices), List.of("127.0.0.1:0"),
                Optional.empty(), "127.0.0.1:0", PlatformConfig.DEFAULT_MAX_CONNECTIONS);
        return new UpdateDaemon(stateDir, Daemon.start(config, warning -> { }));
    }

    /** The CCI endpoint, {@code tcp://127.0.0.1:P}. */
    String cci() {
        return daemon.info().cci();
    }

    FirmwareUploader uploader(String memdev) {
        return daemon.platform().memdev(memdev).orElseThrow().uploader();
    }

    UploadStatus status(String memdev) {
        return uploader(memdev).status();
    }

    Optional<Path> slotFile(String memdev, int slot) {
        return daemon.platform().memdev(memdev).orElseThrow().device().slotFile(slot);
    }

    /** Polls the memdev's upload (every 5 ms, at most 20 s) until {@code until} holds; the status then. */
    UploadStatus await(String memdev, Predicate<UploadStatus> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            UploadStatus s = status(memdev);
            if (until.test(s)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(memdev + ": condition not reached in 20 s; upload " + s);
            }
            Thread.sleep(5);
        }
    }

    UploadStatus awaitIdle(String memdev) throws InterruptedException {
        return await(memdev, s -> !s.inProgress());
    }

    /** Runs {@code cxlkit} with {@code --state-dir} of this daemon appended. */
    Cli.Run run(String... args) {
        return Cli.run(withStateDir(args));
    }

    String[] withStateDir(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--state-dir";
        all[args.length + 1] = stateDir.toString();
        return all;
    }

    @Override
    public void close() {
        daemon.close();
    }
}
