package io.cxlkit.cli.serve;

import io.cxlkit.cli.CliCommand;
import io.cxlkit.cli.CompletionChoices;
import io.cxlkit.cli.Failure;
import io.cxlkit.cli.FileErrors;
import io.cxlkit.cli.StateDirOption;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.Logs;
import io.cxlkit.server.PlatformConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxlkit serve}: runs the emulated platform until SIGINT or SIGTERM (cli.md "serve
 * options", wire.md §2). Every option is validated before anything starts: a bad value is one
 * line and exit 2.
 */
@Command(name = "serve", description = "Run the emulated platform: devices, host driver, CCI endpoint, control API.")
public final class ServeCommand extends CliCommand {

    /** The most devices one daemon serves. */
    static final int MAX_DEVICES = 4096;

    @Mixin
    StateDirOption stateDir;

    @Option(names = "--devices", paramLabel = "N",
            description = "Number of devices, mem0..mem(N-1) (default: those the state directory holds, else 1).")
    Integer devices;

    @Option(names = "--config", paramLabel = "FILE", description = "Per-device settings (YAML or JSON).")
    Path config;

    @Option(names = "--drop-devices", description = "Delete the state of persisted devices that --devices or "
            + "--config leaves out (without it such a start is refused).")
    boolean dropDevices;

    @Option(names = "--detach", description = "Start in the background and return once the daemon is ready "
            + "(its output goes to DIR/" + Detach.LOG_FILE + ").")
    boolean detach;

    @Option(names = "--cci-listen", paramLabel = "HOST:PORT", description = "CCI socket endpoint (repeatable; default "
            + PlatformConfig.DEFAULT_CCI_LISTEN + ").")
    List<String> cciListen = new ArrayList<>();

    @Option(names = "--cci-unix", paramLabel = "PATH", description = "Also listen on a Unix domain socket.")
    Path cciUnix;

    @Option(names = "--http-listen", paramLabel = "HOST:PORT", description = "Control API (default "
            + PlatformConfig.DEFAULT_HTTP_LISTEN + ").")
    String httpListen = PlatformConfig.DEFAULT_HTTP_LISTEN;

    @Option(names = "--max-connections", paramLabel = "N", description = "CCI connections at once (default "
            + PlatformConfig.DEFAULT_MAX_CONNECTIONS + ").")
    Integer maxConnections;

    @Option(names = "--cci-stall-timeout", paramLabel = "DURATION",
            description = "A CCI frame may pause this long before its connection closes (default 5s).")
    String cciStallTimeout;

    @Option(names = "--http-header-timeout", paramLabel = "DURATION",
            description = "A control API request's line and headers must arrive within this (default 10s).")
    String httpHeaderTimeout;

    @Option(names = "--http-body-timeout", paramLabel = "DURATION",
            description = "A control API request's body may pause this long between bytes (default 10s).")
    String httpBodyTimeout;

    @Option(names = "--http-max-connections", paramLabel = "N", description = "Control API connections at once "
            + "(default " + io.cxlkit.server.http.HttpLimits.DEFAULT_MAX_CONNECTIONS + ").")
    Integer httpMaxConnections;

    @Option(names = "--log-level", paramLabel = "LEVEL", completionCandidates = CompletionChoices.LogLevels.class,
            description = "error, warn, info or debug (default info).")
    String logLevel = "info";

    @Option(names = "--timing", paramLabel = "PRESET", completionCandidates = CompletionChoices.TimingPresets.class,
            description = "instant, realistic or qemu (default realistic).")
    String timing;

    @Option(names = "--fw-part-time", paramLabel = "DURATION", description = "Fixed time of an Initiate/Continue part.")
    String partTime;

    @Option(names = "--fw-full-time", paramLabel = "DURATION", description = "Fixed time of a Full transfer.")
    String fullTime;

    @Option(names = "--fw-activate-time", paramLabel = "DURATION", description = "Fixed time of an online activation.")
    String activateTime;

    @Option(names = "--sanitize-time", paramLabel = "DURATION",
            description = "Fixed time of a Sanitize (default: by the timing preset and the capacity).")
    String sanitizeTime;

    @Option(names = "--slots", paramLabel = "N", description = "Firmware slots, 2..4 (default 2).")
    Integer slots;

    @Option(names = "--payload-size", paramLabel = "SIZE", description = "Mailbox payload size (default 4KiB).")
    String payloadSize;

    @Option(names = "--mctp-message-size", paramLabel = "SIZE", description = "MCTP CCI message size (default 1KiB).")
    String mctpMessageSize;

    @Option(names = "--fw-verify", paramLabel = "POLICY", completionCandidates = CompletionChoices.VerifyPolicies.class,
            description = "none, package or signed (default package).")
    String fwVerify;

    @Option(names = "--trusted-key", paramLabel = "FILE",
            description = "Public key (PEM, as 'fw keygen' writes KEYFILE.pub) the signed policy trusts (repeatable).")
    List<Path> trustedKeys = new ArrayList<>();

    @Option(names = "--fw-max-size", paramLabel = "SIZE", description = "Largest package, 128B..4GiB (default 32MiB).")
    String fwMaxSize;

    @Option(names = "--fw-part-timeout", paramLabel = "DURATION", description = "Inter-part timeout (default 30s).")
    String partTimeout;

    @Option(names = "--online-activate", paramLabel = "BOOL", completionCandidates = CompletionChoices.Booleans.class,
            description = "true or false (default true).")
    String onlineActivate;

    @Option(names = "--event-log-size", paramLabel = "N", description = "Records per event log, 1..1024 (default 8).")
    Integer eventLogSize;

    @Option(names = "--life-used-critical", paramLabel = "PERCENT",
            description = "Life used above this is critical, 41..100 (default 75).")
    Integer lifeUsedCritical;

    @Option(names = "--over-temp-critical", paramLabel = "CELSIUS",
            description = "A temperature at or above this is critical, 76..32767 (default 85).")
    Integer overTempCritical;

    @Option(names = "--under-temp-critical", paramLabel = "CELSIUS",
            description = "A temperature at or below this is critical, -32768..4 (default 0).")
    Integer underTempCritical;

    @Option(names = "--partitionable-capacity", paramLabel = "SIZE",
            description = "Capacity Set Partition Info splits into volatile and persistent, a multiple of 256MiB "
                    + "(default 0).")
    String partitionableCapacity;

    @Option(names = "--partition-align", paramLabel = "SIZE", description = "The steps of that split, a multiple of "
            + "256MiB dividing the partitionable capacity (default 256MiB with partitionable capacity, else 0).")
    String partitionAlign;

    @Option(names = "--lsa-size", paramLabel = "SIZE", description = "Label Storage Area, 1280B..16MiB (default 128KiB).")
    String lsaSize;

    @Option(names = "--scan-media-time", paramLabel = "DURATION",
            description = "Fixed time of a Scan Media (default: by the timing preset and the scanned length).")
    String scanMediaTime;

    @Option(names = "--poison-max-records", paramLabel = "N",
            description = "Records the poison list holds, 1..16777215 (default 256).")
    Integer poisonMaxRecords;

    @Option(names = "--inject-poison-limit", paramLabel = "N",
            description = "Lines Inject Poison may hold poisoned at once, 0..65535 (default 0: no limit).")
    Integer injectPoisonLimit;

    @Override
    protected int execute() throws Exception {
        PlatformConfig platformConfig;
        Level level;
        try {
            level = Logs.parseLevel(logLevel);
            platformConfig = platformConfig();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        // the daemon --detach starts runs in the foreground whatever its arguments say: one level only
        if (detach && System.getenv(Detach.DETACHED_ENV) == null) {
            return new Detach(platformConfig.stateDir(), childArguments(), out(), err()).run();
        }
        Logs.configure(level);
        Logs.reportUncaughtExceptions();
        if (System.getenv(Detach.DETACHED_ENV) != null) {
            // started by serve --detach: no terminal of its own to hang up
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sun.misc.SignalHandler.SIG_IGN);
            } catch (IllegalArgumentException e) {
                // the JVM keeps SIGHUP to itself (-Xrs): it then ignores it anyway
            }
        }
        // handlers first: a signal that comes while starting still ends in a clean stop
        CountDownLatch stop = stopOnSignal();
        Daemon daemon;
        try {
            daemon = Daemon.start(platformConfig, this::warn);
        } catch (DeviceStateException | IOException e) {
            throw new Failure(e.getMessage());
        }
        stop.await();
        daemon.close();
        return 0;
    }

    private void warn(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("cxlkit: serve: warning: " + message);
        err.flush();
    }

    /** This command's arguments (argument files expanded) without {@code --detach}, for the daemon it starts. */
    private List<String> childArguments() {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().expandedArgs());
        args.removeIf(a -> a.equals("--detach") || a.startsWith("--detach="));
        if (args.isEmpty() || !args.get(0).equals("serve")) {
            args.add(0, "serve");
        }
        return args;
    }

    /** A latch that SIGINT or SIGTERM opens; serve then shuts down cleanly and exits 0 (wire.md §2). */
    private static CountDownLatch stopOnSignal() {
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
        }
        return stop;
    }

    PlatformConfig platformConfig() {
        DeviceSettings flags = flagSettings();
        List<DeviceSettings> perDevice = new ArrayList<>();
        LimitSettings limits = LimitSettings.NONE;
        if (config != null) {
            try {
                ConfigFile.Contents contents = ConfigFile.read(config);
                perDevice.addAll(contents.devices());
                limits = contents.limits();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + config + ": " + FileErrors.reason(config, e));
            }
            if (devices != null && devices != perDevice.size()) {
                throw new IllegalArgumentException("--devices " + devices + " but " + config + " has "
                        + perDevice.size() + " device entries");
            }
        } else {
            int n = devices == null ? 1 : devices;
            if (n < 1 || n > MAX_DEVICES) {
                throw new IllegalArgumentException("--devices must be 1.." + MAX_DEVICES + ", not " + n);
            }
            for (int i = 0; i < n; i++) {
                perDevice.add(DeviceSettings.NONE);
            }
        }
        if (perDevice.size() > MAX_DEVICES) {
            throw new IllegalArgumentException(config + " has " + perDevice.size() + " devices; at most "
                    + MAX_DEVICES);
        }
        List<DeviceConfig> configs = new ArrayList<>();
        for (int i = 0; i < perDevice.size(); i++) {
            configs.add(flags.overriddenBy(perDevice.get(i)).toConfig(i));
        }
        limits = limits.overriddenBy(flagLimits());
        for (String l : cciListen) {
            io.cxlkit.server.Daemon.parseHostPort(l);
        }
        io.cxlkit.server.Daemon.parseHostPort(httpListen);
        Path dir = resolveStateDir();
        ServeDevices.Source source = config != null ? ServeDevices.Source.CONFIG
                : devices != null ? ServeDevices.Source.COUNT : ServeDevices.Source.DEFAULT;
        ServeDevices plan = new ServeDevices(source, dir, config, dropDevices, MAX_DEVICES, flags::toConfig,
                this::warn);
        return new PlatformConfig(dir, configs, cciListen, Optional.ofNullable(cciUnix), httpListen,
                limits.resolvedMaxConnections(), limits.resolvedCciStallTimeout(), limits.resolvedHttpLimits(), plan);
    }

    private LimitSettings flagLimits() {
        return new LimitSettings(Optional.ofNullable(maxConnections),
                opt(cciStallTimeout).map(d -> Units.parseDuration(d)),
                opt(httpHeaderTimeout).map(d -> Units.parseDuration(d)),
                opt(httpBodyTimeout).map(d -> Units.parseDuration(d)), Optional.ofNullable(httpMaxConnections));
    }

    private DeviceSettings flagSettings() {
        return new DeviceSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.ofNullable(slots),
                opt(payloadSize).map(Units::parseSize), opt(mctpMessageSize).map(Units::parseSize),
                opt(timing).map(Timing.Preset::fromLabel), opt(partTime).map(Units::parseDuration),
                opt(fullTime).map(Units::parseDuration), opt(activateTime).map(Units::parseDuration),
                opt(sanitizeTime).map(Units::parseDuration), opt(fwVerify),
                opt(fwMaxSize).map(Units::parseSize), opt(partTimeout).map(Units::parseDuration),
                opt(onlineActivate).map(ServeCommand::parseBool), Optional.empty(), Optional.empty(),
                opt(partitionableCapacity).map(Units::parseSize), opt(partitionAlign).map(Units::parseSize),
                opt(lsaSize).map(Units::parseSize),
                trustedKeys.isEmpty() ? Optional.empty() : Optional.of(DeviceSettings.readTrustedKeys(trustedKeys)),
                new HealthSettings(Optional.ofNullable(eventLogSize), Optional.ofNullable(lifeUsedCritical),
                        Optional.ofNullable(overTempCritical), Optional.ofNullable(underTempCritical)),
                new MediaSettings(opt(scanMediaTime).map(Units::parseDuration), Optional.ofNullable(poisonMaxRecords),
                        Optional.ofNullable(injectPoisonLimit)));
    }

    private static Optional<String> opt(String s) {
        return Optional.ofNullable(s);
    }

    private static boolean parseBool(String s) {
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--online-activate takes true or false, not '" + s + "'");
        };
    }

    private Path resolveStateDir() {
        return stateDir.resolve();
    }
}
