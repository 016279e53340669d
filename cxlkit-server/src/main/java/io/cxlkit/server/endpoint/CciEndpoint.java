package io.cxlkit.server.endpoint;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.mctp.MctpCci;
import io.cxlkit.protocol.frame.EndpointLimits;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One listener of the CCI socket endpoint (wire.md §1): a TCP or Unix domain socket that carries
 * MCTP-addressed frames to the MCTP CCIs of up to {@value #MAX_DEVICES} devices, the device at list index j
 * answering at EID {@value #FIRST_EID} + j.
 *
 * <p>Threads: one acceptor ({@code cxlkit-cci-accept-<n>}), one stall watchdog ({@code cxlkit-cci-watch-<n>},
 * {@link StallWatchdog}) and one daemon thread per connection ({@code cxlkit-cci-<n>}) that reads its socket
 * in blocking mode, decodes frames with the protocol's {@link io.cxlkit.protocol.frame.FrameDecoder} and
 * answers each request before decoding the next, so the answers of one connection leave in request order.
 * Connections to the same device share its {@link MctpCci}, whose commands run one at a time.
 *
 * <p>Nothing a client sends affects another connection: a malformed frame (checks 1 and 3) closes its own
 * connection with one log line; a frame for an unknown EID or of another message type (check 2) is dropped
 * and logged; an oversized payload (check 4) is answered 0016h (or 0003h for an unknown opcode) while its
 * bytes are skipped unbuffered.
 *
 * <p>Nor can clients that stop sending hold the endpoint: a frame that starts must finish, with no gap
 * between its bytes longer than the stall timeout ({@link #DEFAULT_STALL_TIMEOUT} unless given), or its
 * connection is closed; a connection at a frame boundary may stay idle as long as it likes, until a new
 * connection finds the limit reached: then the one idle longest (across the listeners sharing the
 * {@link ConnectionLimit}) is evicted to make room. Only when every connection is in the middle of a frame or
 * a command is the newcomer accepted, closed at once and logged.
 *
 * <p>Log lines go to {@link Logger} {@value #LOGGER_NAME} (or the one given to
 * {@link #start(SocketAddress, List, int, Logger)}), one line per event, without stack traces for client
 * errors: WARNING for a connection closed over a malformed frame or a stalled frame and for a refused
 * connection, INFO for a dropped frame and an evicted connection, FINE for accepts, ordinary closes,
 * disconnects mid-frame and I/O errors.
 */
public final class CciEndpoint implements AutoCloseable {

    /** The logger the endpoint uses unless given another. */
    public static final String LOGGER_NAME = "io.cxlkit.server.endpoint";
    /** The EID of a listener's first device. */
    public static final int FIRST_EID = 8;
    /** Devices per listener: EIDs 8 .. 254 (255 is MCTP's broadcast EID). */
    public static final int MAX_DEVICES = 247;
    /** {@code --max-connections}' default. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** The longest gap between two bytes of one frame, unless given another ({@code --cci-stall-timeout}). */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(5);
    /** How long {@link #close()} waits for the endpoint's threads. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static final int BACKLOG = 512;
    /** Numbers the endpoint's threads (and connections, in log lines) across all listeners of the JVM. */
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

    private final ServerSocketChannel server;
    private final boolean tcp;
    private final Path unixPath;
    private final String url;
    private final int port;
    private final SocketAddress localAddress;
    private final String label;
    private final MctpCci[] cciByEid = new MctpCci[256];
    private final EndpointLimits limits;
    private final int deviceCount;
    private final ConnectionLimit limit;
    private final Duration stallTimeout;
    private final Logger log;
    /** A client retrying a refused connection in a loop must not fill the log: a line a second at most. */
    private final io.cxlkit.server.logging.ThrottledWarning refusals;
    private final Thread acceptor;
    private final StallWatchdog watchdog;

    private final Object lifecycle = new Object();
    /** Open connections; only the acceptor adds, each connection removes itself when it ends. */
    private final Set<CciConnection> connections = ConcurrentHashMap.newKeySet();
    /** Guarded by {@link #lifecycle}. */
    private boolean closed;
    private volatile boolean closing;

    private CciEndpoint(ServerSocketChannel server, Path unixPath, List<CxlDevice> devices, ConnectionLimit limit,
                        Duration stallTimeout, Logger log) throws IOException {
        this.server = server;
        this.unixPath = unixPath;
        this.tcp = unixPath == null;
        this.deviceCount = devices.size();
        this.limit = limit;
        this.stallTimeout = stallTimeout;
        this.log = log;
        this.refusals = new io.cxlkit.server.logging.ThrottledWarning(log);
        this.localAddress = server.getLocalAddress();
        if (tcp) {
            InetSocketAddress local = (InetSocketAddress) localAddress;
            String host = local.getAddress().getHostAddress();
            if (host.indexOf(':') >= 0) {
                host = "[" + host + "]";
            }
            this.port = local.getPort();
            this.url = "tcp://" + host + ":" + port;
        } else {
            this.port = -1;
            this.url = "unix:" + unixPath.toAbsolutePath();
        }
        this.label = "cci " + url;
        int[] maxPayload = new int[256];
        Arrays.fill(maxPayload, EndpointLimits.NO_ENDPOINT);
        for (int j = 0; j < devices.size(); j++) {
            MctpCci cci = devices.get(j).mctp();
            cciByEid[FIRST_EID + j] = cci;
            maxPayload[FIRST_EID + j] = cci.maxMessageSize();
        }
        this.limits = eid -> eid >= 0 && eid < maxPayload.length ? maxPayload[eid] : EndpointLimits.NO_ENDPOINT;
        int n = THREAD_NUMBERS.incrementAndGet();
        this.acceptor = new Thread(this::acceptLoop, "cxlkit-cci-accept-" + n);
        this.acceptor.setDaemon(true);
        this.watchdog = new StallWatchdog(connections, nanos(stallTimeout), "cxlkit-cci-watch-" + n);
    }

    /** {@link #start(SocketAddress, List, int)} with the default connection limit, {@value #DEFAULT_MAX_CONNECTIONS}. */
    public static CciEndpoint start(SocketAddress bindAddress, List<CxlDevice> devices) throws IOException {
        return start(bindAddress, devices, DEFAULT_MAX_CONNECTIONS);
    }

    /** {@link #start(SocketAddress, List, int, Logger)} logging to {@value #LOGGER_NAME}. */
    public static CciEndpoint start(SocketAddress bindAddress, List<CxlDevice> devices, int maxConnections)
            throws IOException {
        return start(bindAddress, devices, maxConnections, Logger.getLogger(LOGGER_NAME));
    }

    /** {@link #start(SocketAddress, List, ConnectionLimit, Duration, Logger)} with the default stall timeout. */
    public static CciEndpoint start(SocketAddress bindAddress, List<CxlDevice> devices, ConnectionLimit limit,
                                    Logger log) throws IOException {
        return start(bindAddress, devices, limit, DEFAULT_STALL_TIMEOUT, log);
    }

    /** {@link #start(SocketAddress, List, ConnectionLimit, Logger)} with a limit of this listener's own. */
    public static CciEndpoint start(SocketAddress bindAddress, List<CxlDevice> devices, int maxConnections,
                                    Logger log) throws IOException {
        return start(bindAddress, devices, ConnectionLimit.of(maxConnections), log);
    }

    /**
     * Binds {@code bindAddress} and starts accepting: {@link #bind} and then
     * {@link #start(Bound, List, ConnectionLimit, Duration, Logger)}.
     *
     * @param bindAddress    an {@link InetSocketAddress} (port 0 picks a free port) or a
     *                       {@link UnixDomainSocketAddress}; an existing socket file nobody listens on (left by
     *                       a crashed server) is replaced, a live one is not
     * @param devices        this listener's devices, at most {@value #MAX_DEVICES}: index j answers at EID 8 + j
     *                       (wire.md: listener k gets devices 247k .. 247k + 246, see {@link #slice})
     * @param limit          the bound on connections served at once, this listener's own or one shared by
     *                       several listeners; at the bound a newcomer evicts the connection idle longest, or
     *                       is accepted and closed at once if none is idle
     * @param stallTimeout   the longest a frame may wait for its next byte before its connection is closed
     *                       ({@link #DEFAULT_STALL_TIMEOUT}); positive
     * @param log            where the endpoint's log lines go
     * @throws IOException if the address cannot be bound (e.g. {@link BindException} when it is in use)
     * @throws IllegalArgumentException if {@code stallTimeout} is not positive, or for too many devices
     */
    public static CciEndpoint start(SocketAddress bindAddress, List<CxlDevice> devices, ConnectionLimit limit,
                                    Duration stallTimeout, Logger log) throws IOException {
        Objects.requireNonNull(bindAddress, "bindAddress");
        checkArguments(devices, limit, stallTimeout, log);
        return start(bind(bindAddress), devices, limit, stallTimeout, log);
    }

    /**
     * A listening socket that takes no connection yet: bound (so the address is this process's, and
     * connections queue in its backlog) but not accepting until {@link #start(Bound, List, ConnectionLimit,
     * Duration, Logger)} hands it to an endpoint. A daemon binds every address before it opens a device, so
     * that an address in use fails the start before anything is created. {@link #close()} releases it (and
     * removes its socket file) unless it was handed over.
     */
    public static final class Bound implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Path unixPath;
        private boolean handedOver;
        private boolean closed;

        private Bound(ServerSocketChannel server, Path unixPath) {
            this.server = server;
            this.unixPath = unixPath;
        }

        /** The bound address (a TCP one with the actual port). */
        public SocketAddress localAddress() throws IOException {
            return server.getLocalAddress();
        }

        private synchronized ServerSocketChannel handOver() {
            if (handedOver || closed) {
                throw new IllegalStateException("this socket was " + (closed ? "closed" : "started already"));
            }
            handedOver = true;
            return server;
        }

        /** Closes the socket and removes its socket file, if it has not been handed to an endpoint. Idempotent. */
        @Override
        public synchronized void close() {
            if (handedOver || closed) {
                return;
            }
            closed = true;
            closeQuietly(server);
            if (unixPath != null) {
                try {
                    Files.deleteIfExists(unixPath);
                } catch (IOException e) {
                    // the socket is closed; a file left there is replaced by the next bind
                }
            }
        }
    }

    /**
     * Binds {@code bindAddress} without accepting yet.
     *
     * @param bindAddress an {@link InetSocketAddress} (port 0 picks a free port) or a
     *                    {@link UnixDomainSocketAddress}; an existing socket file nobody listens on (left by a
     *                    crashed server) is replaced, a live one is not
     * @throws IOException if the address cannot be bound (e.g. {@link BindException} when it is in use)
     */
    public static Bound bind(SocketAddress bindAddress) throws IOException {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (bindAddress instanceof InetSocketAddress inet) {
            ServerSocketChannel server = ServerSocketChannel.open();
            try {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server.bind(inet, BACKLOG);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return new Bound(server, null);
        } else if (bindAddress instanceof UnixDomainSocketAddress unix) {
            return new Bound(bindUnix(unix), unix.getPath());
        }
        throw new IllegalArgumentException("not a TCP or Unix domain socket address: " + bindAddress);
    }

    /**
     * Starts accepting on a socket {@link #bind} bound; the endpoint owns it from here on (also when this
     * throws: then it is closed).
     *
     * @see #start(SocketAddress, List, ConnectionLimit, Duration, Logger)
     */
    public static CciEndpoint start(Bound bound, List<CxlDevice> devices, ConnectionLimit limit,
                                    Duration stallTimeout, Logger log) throws IOException {
        Objects.requireNonNull(bound, "bound");
        List<CxlDevice> list;
        try {
            list = checkArguments(devices, limit, stallTimeout, log);
        } catch (RuntimeException e) {
            bound.close();
            throw e;
        }
        Path unixPath = bound.unixPath;
        ServerSocketChannel server = bound.handOver();
        CciEndpoint endpoint;
        try {
            endpoint = new CciEndpoint(server, unixPath, list, limit, stallTimeout, log);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (unixPath != null) {
                Files.deleteIfExists(unixPath);
            }
            throw e;
        }
        endpoint.watchdog.start();
        endpoint.acceptor.start();
        if (log.isLoggable(Level.FINE)) {
            log.fine(endpoint.label + ": listening for " + list.size() + " devices (EIDs " + FIRST_EID + ".."
                    + (FIRST_EID + list.size() - 1) + "), at most " + limit.max() + " connections, a frame's bytes"
                    + " at most " + CciConnection.duration(nanos(stallTimeout)) + " apart");
        }
        return endpoint;
    }

    /** The checks of {@link #start}: the devices as an immutable list. */
    private static List<CxlDevice> checkArguments(List<CxlDevice> devices, ConnectionLimit limit,
                                                  Duration stallTimeout, Logger log) {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(log, "log");
        checkStallTimeout(stallTimeout);
        List<CxlDevice> list = List.copyOf(devices); // also rejects null devices
        if (list.size() > MAX_DEVICES) {
            throw new IllegalArgumentException("a listener serves at most " + MAX_DEVICES + " devices (EIDs "
                    + FIRST_EID + ".." + (FIRST_EID + MAX_DEVICES - 1) + "), got " + list.size());
        }
        return list;
    }

    /**
     * Rejects a stall timeout that is null, zero or negative; the check {@link #start} makes, for a caller
     * that validates its settings before starting anything.
     */
    public static Duration checkStallTimeout(Duration stallTimeout) {
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("the CCI stall timeout must be positive, got " + stallTimeout);
        }
        return stallTimeout;
    }

    /** In nanoseconds, a timeout beyond ~292 years counting as forever. */
    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static ServerSocketChannel bindUnix(UnixDomainSocketAddress address) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            try {
                server.bind(address, BACKLOG);
            } catch (BindException e) {
                if (!isStaleSocketFile(address)) {
                    throw e;
                }
                Files.delete(address.getPath());
                server.bind(address, BACKLOG);
            }
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A file at the address that is neither a regular file nor a directory and refuses connections. */
    private static boolean isStaleSocketFile(UnixDomainSocketAddress address) {
        Path path = address.getPath();
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
            return false;
        }
        try {
            SocketChannel.open(address).close();
            return false; // someone listens there
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The devices listener {@code k} serves out of all of them (wire.md §1): indexes 247k .. 247k + 246,
     * fewer at the end, empty past it.
     */
    public static <T> List<T> slice(List<T> all, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("listener index must not be negative: " + k);
        }
        long from = (long) k * MAX_DEVICES;
        if (from >= all.size()) {
            return List.of();
        }
        return all.subList((int) from, (int) Math.min(all.size(), from + MAX_DEVICES));
    }

    /**
     * {@code tcp://HOST:PORT} (IPv6 hosts in brackets) or {@code unix:PATH} (the absolute path), as daemon.json
     * lists it.
     */
    public String url() {
        return url;
    }

    /** The bound TCP port, or -1 for a Unix domain socket. */
    public int port() {
        return port;
    }

    /** The bound address: an {@link InetSocketAddress} (with the actual port) or a {@link UnixDomainSocketAddress}. */
    public SocketAddress localAddress() {
        return localAddress;
    }

    /** How many devices this listener serves (EIDs 8 .. 8 + count - 1). */
    public int deviceCount() {
        return deviceCount;
    }

    /** The bound this listener's connections count against (possibly shared with other listeners). */
    public ConnectionLimit connectionLimit() {
        return limit;
    }

    /** The longest a frame may wait for its next byte on this listener. */
    public Duration stallTimeout() {
        return stallTimeout;
    }

    /** This listener's connections being served now. A connection stops counting before its close is logged. */
    public int activeConnections() {
        return connections.size();
    }

    /** {@link #close()} has begun. */
    public boolean isClosed() {
        return closing;
    }

    @Override
    public String toString() {
        return label;
    }

    /**
     * Stops accepting, closes every connection, waits up to {@link #CLOSE_WAIT} for the endpoint's threads
     * (a connection in the middle of a long device command finishes it first) and removes the Unix socket
     * file. Idempotent.
     */
    @Override
    public void close() {
        close(CLOSE_WAIT);
    }

    /** As {@link #close()}, waiting at most {@code wait}; true when every thread of the endpoint ended. */
    public boolean close(Duration wait) {
        List<CciConnection> open;
        synchronized (lifecycle) {
            if (closed) {
                return true;
            }
            closed = true;
            closing = true;
            open = new ArrayList<>(connections);
        }
        closeQuietly(server);
        watchdog.stop();
        for (CciConnection c : open) {
            c.shutdown();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        boolean ended = join(acceptor, deadline) & join(watchdog.thread(), deadline);
        for (CciConnection c : open) {
            ended &= join(c.thread(), deadline);
        }
        if (unixPath != null) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException e) {
                log.warning(label + ": could not remove the socket file: " + e.getMessage());
            }
        }
        if (!ended) {
            log.warning(label + ": closed; some connection threads are still finishing a device command");
        } else if (log.isLoggable(Level.FINE)) {
            log.fine(label + ": closed");
        }
        return ended;
    }

    private static boolean join(Thread t, long deadline) {
        if (t == null || t == Thread.currentThread()) {
            return true;
        }
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    // ---------------------------------------------------------------------------------------------------

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return; // close()
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                // e.g. too many open files: say so and back off instead of spinning
                log.warning(label + ": accept failed: " + e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            } catch (RuntimeException e) {
                log.log(Level.SEVERE, label + ": accept loop failed", e);
                return;
            }
            admit(channel);
        }
    }

    private void admit(SocketChannel channel) {
        String peer = peerOf(channel);
        String from = peer == null ? "" : " from " + peer;
        CciConnection evicted = null;
        synchronized (lifecycle) {
            if (closed) {
                closeQuietly(channel);
                return;
            }
            try {
                // before it counts: once counted it may be evicted, its channel closed, at any moment
                if (tcp) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
            } catch (IOException e) {
                closeQuietly(channel); // the peer is already gone
                log.fine(label + ": dropped a new connection" + from + ": " + e);
                return;
            }
            int number = THREAD_NUMBERS.incrementAndGet();
            CciConnection connection = new CciConnection(this, number, channel, peer);
            ConnectionLimit.Admission admission = limit.admit(connection);
            if (!admission.admitted()) {
                closeQuietly(channel);
                refusals.warning(label + ": refused a connection" + from + ": " + limit.max()
                        + (limit.max() == 1 ? " connection" : " connections")
                        + " open (the limit), each in the middle of a frame or a command");
                return;
            }
            evicted = admission.evicted();
            try {
                Thread thread = new Thread(connection, "cxlkit-cci-" + number);
                thread.setDaemon(true);
                connection.attach(thread);
                connections.add(connection);
                if (log.isLoggable(Level.FINE)) {
                    log.fine(label + ": " + connection.name() + " accepted");
                }
                thread.start(); // from here on the connection's thread releases it
            } catch (RuntimeException | OutOfMemoryError e) {
                // e.g. "unable to create native thread": this connection only
                connections.remove(connection);
                limit.release(connection);
                closeQuietly(channel);
                log.warning(label + ": dropped a new connection" + from + ": " + e);
            }
        }
        if (evicted != null) {
            evicted.shutdown(); // outside the lock (the close waits for its thread); its thread logs why
        }
    }

    private String peerOf(SocketChannel channel) {
        if (!tcp) {
            return null;
        }
        try {
            SocketAddress remote = channel.getRemoteAddress();
            if (remote instanceof InetSocketAddress inet) {
                String host = inet.getAddress().getHostAddress();
                return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
            }
            return String.valueOf(remote);
        } catch (IOException e) {
            return "?";
        }
    }

    // ---- what connections use ------------------------------------------------------------------------

    String label() {
        return label;
    }

    Logger log() {
        return log;
    }

    EndpointLimits limits() {
        return limits;
    }

    /** The device's MCTP CCI at {@code eid}; only called for EIDs the limits accepted. */
    MctpCci cci(int eid) {
        return cciByEid[eid];
    }

    boolean closing() {
        return closing;
    }

    /** A connection's thread is ending: it no longer counts against the limit. */
    void ended(CciConnection connection) {
        if (connections.remove(connection)) {
            limit.release(connection);
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do: the channel is gone either way
        }
    }
}
