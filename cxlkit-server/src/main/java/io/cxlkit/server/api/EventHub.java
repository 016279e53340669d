package io.cxlkit.server.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server-sent event stream of {@code GET /v1/events}: at most {@link #MAX_SUBSCRIBERS}
 * subscribers, each with its own bounded queue drained by its own handler thread, so a slow
 * subscriber never blocks a device or another request. Upload progress is coalesced to at most
 * ten events a second per device; the last event of an upload is always sent. A subscriber may
 * take only some event types ({@code GET /v1/events?types=upload}): {@code device} events cost
 * the host driver two mailbox commands each, so the daemon builds them only while a subscriber
 * wants them ({@link #wants}), and a client that waits for uploads to end adds no mailbox traffic.
 */
public final class EventHub {

    public static final int MAX_SUBSCRIBERS = 16;
    /** Every event type, as {@code event:} lines name them. */
    public static final List<String> TYPES = List.of("upload", "device", "reset");
    static final long PROGRESS_INTERVAL_NANOS = 100_000_000L;
    private static final int QUEUE_LIMIT = 1024;
    /** Wakes a waiting pump when the hub closes; never written. */
    private static final String CLOSING = "";

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Map<String, Long> lastProgress = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One subscriber's queue of encoded events. */
    public final class Subscriber implements AutoCloseable {
        private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
        private final Set<String> types;

        private Subscriber(Set<String> types) {
            this.types = types;
        }

        /** Writes events to {@code out} until the client goes away or the hub closes. */
        public void pump(OutputStream out) throws IOException, InterruptedException {
            out.write(": cxlkit events\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!closed) {
                String event = queue.poll(15, TimeUnit.SECONDS);
                if (closed) {
                    return; // the hub's close woke us: the stream ends with the daemon
                }
                // a comment line every 15 s tells a dead client apart (the write fails)
                out.write((event != null ? event : ": keep-alive\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }

        /** Events waiting to be written (for tests). */
        int queued() {
            return queue.size();
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }

    /** A new subscriber to every event type, or empty when {@link #MAX_SUBSCRIBERS} are already connected. */
    public java.util.Optional<Subscriber> subscribe() {
        return subscribe(Set.copyOf(TYPES));
    }

    /** A new subscriber to {@code types} (of {@link #TYPES}), or empty when {@link #MAX_SUBSCRIBERS} are connected. */
    public synchronized java.util.Optional<Subscriber> subscribe(Set<String> types) {
        if (subscribers.size() >= MAX_SUBSCRIBERS) {
            return java.util.Optional.empty();
        }
        Subscriber s = new Subscriber(Set.copyOf(types));
        subscribers.add(s);
        return java.util.Optional.of(s);
    }

    /** Whether any subscriber takes events of {@code type}: the events nobody takes need not be built. */
    public boolean wants(String type) {
        for (Subscriber s : subscribers) {
            if (s.types.contains(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An event: {@code data} is one compact JSON object, which goes out as one {@code data:} line
     * (a newline in it would end the line early and break the event apart).
     */
    public void publish(String type, String data) {
        if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(type + " event data spans lines: " + data);
        }
        String event = "event: " + type + "\ndata: " + data + "\n\n";
        for (Subscriber s : subscribers) {
            if (s.types.contains(type)) {
                // a subscriber that fell 1024 events behind loses the newest; it can re-read the state
                s.queue.offer(event);
            }
        }
    }

    /**
     * Upload progress, coalesced per device unless {@code last}; {@code data} is built only if the
     * event is sent: an upload reports every part, most of them dropped here.
     */
    public void publishProgress(String memdev, java.util.function.Supplier<String> data, boolean last, long nowNanos) {
        if (!wants("upload")) {
            return;
        }
        Long previous = lastProgress.get(memdev);
        if (!last && previous != null && nowNanos - previous < PROGRESS_INTERVAL_NANOS) {
            return;
        }
        lastProgress.put(memdev, nowNanos);
        publish("upload", data.get());
    }

    /** Ends every stream: each waiting pump wakes at once and returns, so no thread needs interrupting. */
    public void close() {
        closed = true;
        for (Subscriber s : subscribers) {
            s.queue.offer(CLOSING); // if the queue is full, the pump is not waiting anyway
        }
    }
}
