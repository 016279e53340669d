package io.cxlkit.server.http;

import io.cxlkit.server.logging.ThrottledWarning;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control API's HTTP/1.1 server, built so that a slow or careless client never holds a thread
 * another request needs:
 * <ul>
 *   <li>One I/O thread ({@code cxlkit-http-io}) accepts connections and reads request heads without
 *   blocking; a head must be complete within {@link HttpLimits#headerTimeout()}, else the connection
 *   is closed with one log line. A handler thread is taken only once a whole head has arrived.</li>
 *   <li>Handler threads ({@code cxlkit-http-N}) run one exchange each, reading the body in blocking
 *   mode; a body that pauses longer than {@link HttpLimits#bodyIdleTimeout()} ends its exchange and
 *   its connection, with one log line. There are as many handler threads as exchanges, at most one
 *   per connection: a stalled body holds its own thread, never another request's.</li>
 *   <li>Connections are bounded ({@link HttpLimits#maxConnections()}); at the bound the one idle
 *   longest (between requests or still sending its head) makes room, and only when every connection
 *   is in an exchange is the newcomer refused (503).</li>
 *   <li>Keep-alive: after an exchange whose body was read to its end the connection goes back to the
 *   I/O thread for its next request, which may already be buffered (pipelining).</li>
 * </ul>
 * Writes block (a client that does not read its answer holds its own handler thread, until the
 * daemon stops). Thread-safe.
 */
public final class HttpServer {

    /** A refused body still read to its end before the connection is reused (uploads up to 256 MiB). */
    static final long MAX_DRAIN = 256L << 20;
    private static final AtomicInteger SERVER_NUMBERS = new AtomicInteger();
    /** How long accepting pauses after it failed. */
    private static final long ACCEPT_PAUSE_NANOS = 100_000_000L;
    /** A refused request's body read to its end when the connection closes anyway (enough to let the answer arrive). */
    static final long SMALL_DRAIN = 64 * 1024;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final HttpLimits limits;
    private final Handler handler;
    private final Logger log;
    /** A client retrying a refused connection in a loop must not fill the log: a line a second at most. */
    private final ThrottledWarning refusals;
    private final ThreadPoolExecutor handlers;
    private final Thread io;
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<HttpConnection> returning = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connectionNumbers = new AtomicInteger();
    private volatile boolean stopping;
    /** The I/O thread's: accepting failed and waits until {@link #acceptPausedUntil}. */
    private boolean acceptPaused;
    private long acceptPausedUntil;

    private HttpServer(ServerSocketChannel server, Selector selector, HttpLimits limits, Handler handler,
                       Logger log) {
        this.server = server;
        this.selector = selector;
        this.limits = limits;
        this.handler = handler;
        this.log = log;
        this.refusals = new ThrottledWarning(log);
        AtomicInteger threadNumbers = new AtomicInteger();
        // an exchange is one per connection at most, so the bound on connections bounds the threads; the
        // pool itself has none, so a thread still leaving its last exchange never makes it refuse the next
        this.handlers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "cxlkit-http-" + threadNumbers.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.io = new Thread(this::ioLoop, "cxlkit-http-io-" + SERVER_NUMBERS.incrementAndGet());
        this.io.setDaemon(true);
    }

    /** Binds {@code address} (port 0 picks a free one) and starts serving. */
    public static HttpServer start(InetSocketAddress address, HttpLimits limits, Handler handler, Logger log)
            throws IOException {
        return start(bind(address), limits, handler, log);
    }

    /**
     * Binds {@code address} (port 0 picks a free one) without serving yet: connections queue until
     * {@link #start(ServerSocketChannel, HttpLimits, Handler, Logger)}. A daemon binds every address
     * before it opens a device, so that an address in use fails its start before anything is created.
     */
    public static ServerSocketChannel bind(InetSocketAddress address) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, 128);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Serves on a socket {@link #bind} bound; the server owns it from here on (also when this throws: then it is closed). */
    public static HttpServer start(ServerSocketChannel server, HttpLimits limits, Handler handler, Logger log)
            throws IOException {
        Selector selector;
        try {
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        HttpServer s = new HttpServer(server, selector, limits, handler, log);
        s.io.start();
        return s;
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server socket is closed", e);
        }
    }

    /** Connections open now, in any phase (for tests and logs). */
    public int openConnections() {
        return connections.size();
    }

    /** Connections waiting between two requests (for tests). */
    int idleConnections() {
        return count(HttpConnection.Phase.IDLE);
    }

    /** Connections in an exchange, on a handler thread (for tests). */
    int busyConnections() {
        return count(HttpConnection.Phase.EXCHANGE);
    }

    private int count(HttpConnection.Phase phase) {
        return (int) connections.stream().filter(c -> c.phase == phase).count();
    }

    // ---- the I/O thread ------------------------------------------------------------------------

    private void ioLoop() {
        try {
            while (!stopping) {
                try {
                    step();
                } catch (RuntimeException e) {
                    // a bug of ours: one line, and the API goes on serving
                    log.severe("control API: the I/O thread met " + e);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!stopping) {
                log.severe("control API: the I/O thread stopped: " + e);
            }
        } finally {
            closeQuietly(server);
            for (HttpConnection c : connections) {
                c.close();
            }
            connections.clear();
            try {
                selector.close();
            } catch (IOException e) {
                // stopping anyway
            }
        }
    }

    private void step() throws IOException {
        selector.select(waitMillis());
        List<HttpConnection> headsComplete = new ArrayList<>();
        for (SelectionKey key : selector.selectedKeys()) {
            if (!key.isValid()) {
                continue;
            }
            if (key.isAcceptable()) {
                acceptAll(key);
            } else if (key.isReadable()) {
                readHead((HttpConnection) key.attachment(), headsComplete);
            }
        }
        selector.selectedKeys().clear();
        for (HttpConnection c; (c = returning.poll()) != null; ) {
            takeBack(c, headsComplete);
        }
        startExchanges(headsComplete);
        expire();
        resumeAccepting();
    }

    /** Until the next head or idle deadline, at most a second. */
    private long waitMillis() {
        long now = System.nanoTime();
        long next = now + 1_000_000_000L;
        for (HttpConnection c : connections) {
            if (c.phase != HttpConnection.Phase.EXCHANGE && c.deadline < next) {
                next = c.deadline;
            }
        }
        return Math.max(1, (next - now) / 1_000_000 + 1);
    }

    /**
     * Takes every waiting connection. If accepting fails (out of file descriptors, say) it says so
     * once and pauses for {@link #ACCEPT_PAUSE_NANOS}: readiness stays set, so retrying at once would spin.
     */
    private void acceptAll(SelectionKey key) {
        SocketChannel ch;
        while (true) {
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!acceptPaused) {
                    log.warning("control API: cannot accept connections: " + e.getMessage()
                            + "; trying again in 100 ms");
                }
                acceptPaused = true;
                acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE_NANOS;
                key.interestOps(0);
                return;
            }
            if (ch == null) {
                break;
            }
            HttpConnection c = new HttpConnection(ch, connectionNumbers.incrementAndGet());
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                c.close();
                continue;
            }
            if (connections.size() >= limits.maxConnections() && !evictIdlest()) {
                refusals.warning("control API: refused " + c + ": " + connections.size()
                        + " connections open, every one in a request");
                answerAndClose(c, 503, "too-many-connections", "the control API serves at most "
                        + limits.maxConnections() + " connections at once, all busy; try again shortly");
                continue;
            }
            connections.add(c);
            c.phase = HttpConnection.Phase.HEAD;
            c.deadline = System.nanoTime() + limits.headerTimeout().toNanos();
            try {
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
            } catch (IOException e) {
                drop(c, Level.FINE, "closed: " + e.getMessage());
            }
        }
        if (acceptPaused) {
            acceptPaused = false;
            log.info("control API: accepting connections again");
        }
    }

    private void resumeAccepting() {
        if (acceptPausedUntil != 0 && System.nanoTime() >= acceptPausedUntil) {
            acceptPausedUntil = 0;
            server.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    private void readHead(HttpConnection c, List<HttpConnection> headsComplete) {
        int n;
        IOException failure = null;
        try {
            n = c.readMore();
        } catch (IOException e) {
            n = -1;
            failure = e;
        }
        if (failure != null) {
            drop(c, Level.FINE, "closed: " + failure.getMessage());
            return;
        }
        if (n < 0) {
            drop(c, Level.FINE, c.buf.hasRemaining() ? "closed by the client in the middle of a request head"
                    : "closed by the client");
            return;
        }
        if (n > 0) {
            c.lastActivity = System.nanoTime();
            if (c.phase == HttpConnection.Phase.IDLE) {
                c.phase = HttpConnection.Phase.HEAD;
                c.deadline = c.lastActivity + limits.headerTimeout().toNanos();
            }
        }
        parseHead(c, headsComplete);
    }

    /** A complete head in the buffer goes to a handler thread; a malformed one is answered and closed. */
    private void parseHead(HttpConnection c, List<HttpConnection> headsComplete) {
        try {
            RequestHead head = RequestHead.parse(c);
            if (head != null) {
                c.key.cancel();
                c.pendingHead = head;
                c.phase = HttpConnection.Phase.EXCHANGE; // on its way to a handler: never evicted or expired now
                headsComplete.add(c);
            } else if (c.phase == HttpConnection.Phase.HEAD && !c.buf.hasRemaining()) {
                c.phase = HttpConnection.Phase.IDLE; // only empty lines came: still between requests
                c.deadline = System.nanoTime() + limits.keepAliveTimeout().toNanos();
            }
        } catch (BadRequestException e) {
            log.fine(() -> "control API: " + c + ": refused a request: " + e.getMessage());
            connections.remove(c);
            c.key.cancel();
            answerAndClose(c, e.status(), "malformed-request", e.getMessage());
        }
    }

    private void startExchanges(List<HttpConnection> headsComplete) throws IOException {
        if (headsComplete.isEmpty()) {
            return;
        }
        selector.selectNow(); // deregisters the cancelled keys: the channels may then block
        for (HttpConnection c : headsComplete) {
            RequestHead head = c.pendingHead;
            c.pendingHead = null;
            try {
                c.channel.configureBlocking(true);
                handlers.execute(() -> serve(c, head));
            } catch (IOException e) {
                drop(c, Level.FINE, "closed: " + e.getMessage());
            } catch (RejectedExecutionException e) {
                drop(c, Level.FINE, "closed: the daemon is stopping");
            }
        }
    }

    /** A connection back from its exchange, waiting for its next request (perhaps already buffered). */
    private void takeBack(HttpConnection c, List<HttpConnection> headsComplete) {
        try {
            c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
        } catch (IOException e) {
            drop(c, Level.FINE, "closed: " + e.getMessage());
            return;
        }
        long now = System.nanoTime();
        c.lastActivity = now;
        skipEmptyLines(c.buf);
        if (c.buf.hasRemaining()) {
            c.phase = HttpConnection.Phase.HEAD;
            c.deadline = now + limits.headerTimeout().toNanos();
            parseHead(c, headsComplete);
        } else {
            c.phase = HttpConnection.Phase.IDLE;
            c.deadline = now + limits.keepAliveTimeout().toNanos();
        }
    }

    /** A stray CRLF after a body is not the start of another request (RFC 9112 §2.2). */
    private static void skipEmptyLines(ByteBuffer buf) {
        while (buf.hasRemaining() && (buf.get(buf.position()) == '\r' || buf.get(buf.position()) == '\n')) {
            buf.get();
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (HttpConnection c : connections) {
            if (c.phase == HttpConnection.Phase.EXCHANGE) {
                long since = c.writingSince;
                if (since != 0 && now - since >= limits.bodyIdleTimeout().toNanos() && c.claimClose()) {
                    // its handler is blocked writing to a client that takes nothing: free it
                    log.warning("control API: " + c + " closed: it took none of its response for "
                            + seconds(limits.bodyIdleTimeout()));
                    c.close();
                }
                continue;
            }
            if (c.deadline > now) {
                continue;
            }
            if (c.phase == HttpConnection.Phase.HEAD) {
                drop(c, Level.WARNING, "closed: the request line and headers did not arrive within "
                        + seconds(limits.headerTimeout()) + " (" + c.buf.remaining() + " bytes came)");
            } else {
                drop(c, Level.FINE, "closed: idle for " + seconds(limits.keepAliveTimeout()));
            }
        }
    }

    /** Closes the connection idle longest (between requests, or still sending its head); false if none is. */
    private boolean evictIdlest() {
        HttpConnection idlest = null;
        for (HttpConnection c : connections) {
            if (c.phase != HttpConnection.Phase.EXCHANGE && (idlest == null || c.lastActivity < idlest.lastActivity)) {
                idlest = c;
            }
        }
        if (idlest == null) {
            return false;
        }
        long idleMillis = (System.nanoTime() - idlest.lastActivity) / 1_000_000;
        drop(idlest, idlest.phase == HttpConnection.Phase.HEAD ? Level.WARNING : Level.FINE,
                "closed to make room for a new connection: " + (idlest.phase == HttpConnection.Phase.HEAD
                        ? "its request head was incomplete" : "it was idle") + " for " + idleMillis + " ms");
        return true;
    }

    /** Says why, then closes: whoever sees the close finds the line in the log already. */
    private void drop(HttpConnection c, Level level, String why) {
        if (log.isLoggable(level)) {
            log.log(level, "control API: " + c + " " + why);
        }
        connections.remove(c);
        if (c.key != null) {
            c.key.cancel();
        }
        c.close();
    }

    /** A short JSON error, written without blocking (what does not fit the socket's buffer is lost), then close. */
    private static void answerAndClose(HttpConnection c, int status, String error, String message) {
        String body = "{\"error\":\"" + error + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"}\n";
        String answer = "HTTP/1.1 " + status + " " + Status.reason(status) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n"
                + body;
        try {
            c.channel.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // the client is gone
        }
        c.close();
    }

    // ---- handler threads -----------------------------------------------------------------------

    private void serve(HttpConnection c, RequestHead head) {
        boolean keep = false;
        try {
            Exchange ex;
            try {
                ex = new Exchange(c, head, limits.bodyIdleTimeout(), log);
            } catch (BadRequestException e) {
                log.fine(() -> "control API: " + c + ": refused a request: " + e.getMessage());
                answerAndClose(c, e.status(), "malformed-request", e.getMessage());
                return;
            } catch (IOException e) {
                return; // the socket is gone already
            }
            try {
                handler.handle(ex);
            } catch (IOException e) {
                c.broken = true; // a stalled body (logged where it was found) or a client gone
            } catch (RuntimeException | Error e) {
                log.severe("control API: " + head.method() + " " + head.uri().getRawPath() + " failed: " + e);
                c.broken = true;
            }
            if (c.broken) {
                return; // no more bytes on it: a cut response must not look complete
            }
            if (!ex.responseStarted()) {
                answerAndClose(c, 500, "internal", "the request got no answer");
                return;
            }
            keep = ex.finish(ex.closesAfterResponse() ? SMALL_DRAIN : MAX_DRAIN) && !stopping;
        } finally {
            if (keep) {
                giveBack(c);
            } else {
                connections.remove(c);
                c.close();
            }
        }
    }

    private void giveBack(HttpConnection c) {
        try {
            c.channel.configureBlocking(false);
        } catch (IOException e) {
            connections.remove(c);
            c.close();
            return;
        }
        returning.add(c);
        selector.wakeup();
        if (stopping && returning.remove(c)) {
            connections.remove(c); // the I/O thread may be gone: nobody would take it back
            c.close();
        }
    }

    // ---- stopping ------------------------------------------------------------------------------

    /**
     * Stops taking connections and closes every one, also those in an exchange (a body still
     * arriving fails). Handlers still running finish on their own; {@link #close(Duration)} waits.
     */
    public void stopAccepting() {
        stopping = true;
        selector.wakeup();
        try {
            io.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stopAccepting()}, then waits up to {@code wait} for running handlers, interrupting none. */
    public boolean close(Duration wait) {
        stopAccepting();
        handlers.shutdown();
        try {
            return handlers.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
