package io.cxlkit.server;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.host.json.JsonC;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.server.api.ControlApi;
import io.cxlkit.server.api.EventHub;
import io.cxlkit.server.endpoint.CciEndpoint;
import io.cxlkit.server.state.DaemonInfo;
import io.cxlkit.server.state.StateDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running cxlkit daemon: the state directory (locked), the platform, the CCI socket endpoint
 * listeners and the control API; daemon.json is written once all of them accept. {@link #close()}
 * is the clean shutdown of wire.md §2.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.cxlkit.server");
    /** wire.md §2: a clean stop within 5 s; this leaves a second for the JVM's own exit. */
    static final Duration STOP_WAIT = Duration.ofSeconds(4);

    private final StateDirectory stateDir;
    private final Platform platform;
    private final List<CciEndpoint> endpoints;
    private final ControlApi api;
    private final ScheduledExecutorService eventTimer;
    private final DaemonInfo info;

    private Daemon(StateDirectory stateDir, Platform platform, List<CciEndpoint> endpoints, ControlApi api,
                   ScheduledExecutorService eventTimer, DaemonInfo info) {
        this.stateDir = stateDir;
        this.platform = platform;
        this.endpoints = endpoints;
        this.api = api;
        this.eventTimer = eventTimer;
        this.info = info;
    }

    /**
     * Starts everything, in an order that leaves nothing behind when a step fails: the state directory's
     * lock; the devices to serve ({@link PlatformConfig#devicePlan()} against those the directory holds); every
     * listener bound (the CCI endpoint's and the control API's), so an address in use fails the start before
     * any device is opened or created ({@link ListenException}); the state of devices the plan drops deleted;
     * the devices opened; the listeners accepting; daemon.json written last. On failure releases what was
     * started and rethrows: a start refused over its devices or its listeners leaves the directory with
     * nothing but its lock file.
     *
     * @param warn where one-line warnings go (narrowed state directory, non-loopback listeners)
     */
    public static Daemon start(PlatformConfig config, java.util.function.Consumer<String> warn)
            throws IOException, DeviceStateException {
        StateDirectory dir = StateDirectory.acquire(config.stateDir(), warn);
        EventHub events = new EventHub();
        ScheduledExecutorService eventTimer = null;
        Platform platform = null;
        List<CciEndpoint.Bound> bound = new ArrayList<>();
        java.nio.channels.ServerSocketChannel httpBound = null;
        List<CciEndpoint> endpoints = new ArrayList<>();
        ControlApi api = null;
        try {
            DevicePlan.Choice choice = config.devicePlan().choose(config.devices(), dir.persistedDevices());
            config = config.withDevices(choice.devices());
            List<SocketAddress> addresses = listenerAddresses(config, warn);
            InetSocketAddress http = parseHostPort(config.httpListen());
            warnIfReachable(http, "control API", warn);
            for (SocketAddress a : addresses) {
                bound.add(bind(a));
            }
            httpBound = bindHttp(http);
            for (String name : choice.drop()) {
                dir.dropDevice(name);
                LOG.info("dropped " + name + ": its state is deleted");
            }
            platform = Platform.open(dir, config.devices(), (name, status) -> uploadChanged(events, name, status));
            eventTimer = Executors.newSingleThreadScheduledExecutor(Threads.daemon("cxlkit-events"));
            ScheduledExecutorService timerExecutor = eventTimer;
            DeviceEventThrottle.Timer timer = (delay, task) -> timerExecutor.schedule(task, delay,
                    TimeUnit.NANOSECONDS);
            for (Memdev m : platform.memdevs()) {
                Memdev memdev = m;
                var throttle = new DeviceEventThrottle(() -> publishState(events, memdev), platform.pool(), timer,
                        System::nanoTime);
                // a view costs two mailbox commands: build it only for someone who takes device events
                m.device().addStateListener(d -> {
                    if (events.wants("device")) {
                        throttle.changed();
                    }
                });
            }
            List<CxlDevice> devices = platform.memdevs().stream().map(Memdev::device).toList();
            int slices = config.listenersNeeded();
            // --max-connections bounds the whole endpoint, across its listeners
            var limit = io.cxlkit.server.endpoint.ConnectionLimit.of(config.maxConnections());
            var endpointLog = Logger.getLogger(CciEndpoint.LOGGER_NAME);
            for (int k = 0; k < bound.size(); k++) {
                // a listener beyond the device blocks (the Unix socket) serves the blocks again from the first
                endpoints.add(CciEndpoint.start(bound.get(k), CciEndpoint.slice(devices, k % slices), limit,
                        config.cciStallTimeout(), endpointLog));
            }
            String token = newToken();
            List<String> urls = endpoints.stream().map(CciEndpoint::url).toList();
            CciDirectory cci = CciDirectory.of(platform.memdevs(), urls, slices);
            java.nio.channels.ServerSocketChannel httpChannel = httpBound;
            httpBound = null; // the API owns it from here on, also if its start fails
            api = ControlApi.start(httpChannel, token, new PlatformRoutes(platform, events, cci), config.httpLimits());
            String firstTcp = urls.stream().filter(u -> u.startsWith("tcp://")).findFirst().orElse("");
            DaemonInfo info = new DaemonInfo(ProcessHandle.current().pid(), api.url(), firstTcp, urls, token);
            dir.writeDaemonFile(info);
            LOG.info("serving " + devices.size() + " device(s); control API " + api.url() + "; CCI "
                    + String.join(", ", urls));
            return new Daemon(dir, platform, endpoints, api, eventTimer, info);
        } catch (IOException | DeviceStateException | RuntimeException e) {
            if (api != null) {
                api.close();
            }
            endpoints.forEach(CciEndpoint::close);
            bound.forEach(CciEndpoint.Bound::close);
            if (httpBound != null) {
                try {
                    httpBound.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            if (eventTimer != null) {
                eventTimer.shutdown();
            }
            if (platform != null) {
                platform.close();
            }
            try {
                dir.close();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Binds a CCI listener; a failure is one line naming the address and the way out. */
    private static CciEndpoint.Bound bind(SocketAddress a) throws ListenException {
        try {
            return CciEndpoint.bind(a);
        } catch (IOException | java.nio.channels.UnresolvedAddressException e) {
            throw ListenException.of(a instanceof java.net.UnixDomainSocketAddress ? ListenException.Listener.CCI_UNIX
                    : ListenException.Listener.CCI, a, e);
        }
    }

    private static java.nio.channels.ServerSocketChannel bindHttp(InetSocketAddress a) throws ListenException {
        try {
            return io.cxlkit.server.http.HttpServer.bind(a);
        } catch (IOException | java.nio.channels.UnresolvedAddressException e) {
            throw ListenException.of(ListenException.Listener.CONTROL_API, a, e);
        }
    }

    /**
     * The listeners in order: the TCP ones (the default {@value PlatformConfig#DEFAULT_CCI_LISTEN} when
     * none is given), extra TCP listeners on the first one's host with free ports until every block of
     * 247 devices has one, then the Unix socket.
     */
    static List<SocketAddress> listenerAddresses(PlatformConfig config, java.util.function.Consumer<String> warn) {
        List<String> tcp = new ArrayList<>(config.cciListen());
        if (tcp.isEmpty()) {
            tcp.add(PlatformConfig.DEFAULT_CCI_LISTEN);
        }
        String host = hostOf(tcp.get(0));
        while (tcp.size() < config.listenersNeeded()) {
            tcp.add(host + ":0");
        }
        List<SocketAddress> out = new ArrayList<>();
        for (String hp : tcp) {
            InetSocketAddress a = parseHostPort(hp);
            warnIfReachable(a, "CCI endpoint", warn);
            out.add(a);
        }
        config.cciUnix().ifPresent(p -> out.add(UnixDomainSocketAddress.of(p)));
        return out;
    }

    private static String hostOf(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    /** {@code HOST:PORT}, IPv6 hosts in brackets. */
    public static InetSocketAddress parseHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + hostPort + "' is not HOST:PORT");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + hostPort + "' has a bad port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + hostPort + "': port must be 0..65535");
        }
        return new InetSocketAddress(host, port);
    }

    private static void warnIfReachable(InetSocketAddress a, String what, java.util.function.Consumer<String> warn) {
        InetAddress addr = a.getAddress();
        if (addr != null && !addr.isLoopbackAddress()) {
            warn.accept(what + " on " + a.getHostString() + ":" + a.getPort() + " is reachable from the network");
        }
    }

    private static String newToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * An {@code upload} event: {@code memdev}, {@code status}, {@code image_size}, {@code remaining_size},
     * {@code bytes_sent}, {@code parts_sent}, then after a failure {@code error} and, when the host
     * found the device's reason, {@code reason}.
     */
    private static void uploadChanged(EventHub events, String name, UploadStatus s) {
        events.publishProgress(name, () -> {
            JsonC.ObjBuilder o = JsonC.object().put("memdev", name).put("status", s.stage().label())
                    .put("image_size", s.imageSize()).put("remaining_size", s.remainingSize())
                    .put("bytes_sent", s.bytesSent()).put("parts_sent", s.partsSent());
            s.error().ifPresent(e -> o.put("error", e));
            s.failureReason().ifPresent(r -> o.put("reason", r));
            return JsonC.toPlainString(o.build());
        }, !s.inProgress(), System.nanoTime());
    }

    private static void publishState(EventHub events, Memdev m) {
        if (!events.wants("device")) {
            return;
        }
        try {
            events.publish("device", MemdevViews.compactJson(m));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public DaemonInfo info() {
        return info;
    }

    public Platform platform() {
        return platform;
    }

    /**
     * Clean shutdown (wire.md §2), within {@link #STOP_WAIT}: stop accepting on every door (CCI
     * listeners and their connections, the control API and its event streams), then the platform's
     * power-off (uploads cancelled and cleaned up, background operations dropped, queued file work
     * finished), then the API's last handlers; daemon.json goes last of all, with the lock. No
     * thread is interrupted: one inside file I/O would leave it half done.
     */
    @Override
    public void close() {
        long start = System.nanoTime();
        long deadline = start + STOP_WAIT.toNanos();
        // shares of the budget: the doors first (a CCI connection may be inside a command with up
        // to 1 s of foreground work), then the platform's power-off, then the API's last handlers
        long doorsDeadline = start + STOP_WAIT.toNanos() / 4;
        for (CciEndpoint e : endpoints) {
            e.close(Duration.ofNanos(Math.max(0, doorsDeadline - System.nanoTime())));
        }
        api.stopAccepting();
        platform.close(deadline - STOP_WAIT.toNanos() / 8);
        if (!api.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            LOG.warning("stopping with control API requests still running");
        }
        eventTimer.shutdown();
        try {
            stateDir.removeDaemonFile();
        } catch (IOException e) {
            LOG.warning("could not remove daemon.json: " + e.getMessage());
        }
        try {
            stateDir.close();
        } catch (IOException e) {
            LOG.warning("could not release the state directory lock: " + e.getMessage());
        }
        LOG.info("stopped");
    }
}
