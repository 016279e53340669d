package io.cxlkit.cli.update;

import io.cxlkit.cli.ApiError;
import io.cxlkit.cli.DaemonClient;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subscription to the control API's server-sent events ({@code GET /v1/events}), read on a
 * thread of its own so that the waiting thread can wake up for its own reasons too (a redraw)
 * and {@link #close} ends it at once. Subscribed once {@link #open} returns: the daemon answers
 * only after it has taken the subscriber in.
 */
final class EventStream implements UploadWaiter.Events {

    /** The daemon writes a keep-alive every 15 s: a stream silent for this long is dead. */
    static final int READ_TIMEOUT_MILLIS = 40_000;

    /** One event: its {@code event:} type and its {@code data:} lines, joined by newlines. */
    record Event(String type, String data) {
    }

    private final InputStream in;
    /** Events, then the IOException that ended the stream (an EOFException for a clean end). */
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private EventStream(InputStream in) {
        this.in = in;
    }

    /** Subscribes to {@code path} (e.g. {@code /v1/events?types=upload}) and starts reading. */
    static EventStream open(DaemonClient daemon, String path) throws IOException, ApiError {
        EventStream s = new EventStream(daemon.openStream(path, READ_TIMEOUT_MILLIS));
        Thread reader = new Thread(s::read, "cxlkit-events");
        reader.setDaemon(true); // never keeps the command from exiting
        reader.start();
        return s;
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (Event e = next(r); e != null; e = next(r)) {
                queue.add(e);
            }
            queue.add(new EOFException("the daemon ended the event stream"));
        } catch (IOException e) {
            queue.add(closed ? new EOFException("closed") : e);
        }
    }

    /**
     * The next event of {@code r} in the text/event-stream format: lines {@code field: value} up
     * to a blank line, comments ({@code :...}) skipped, the type {@code message} when no
     * {@code event:} line names one, an event without data dropped, as an EventSource does. Null at
     * the end of the stream (an event cut off by it is dropped too).
     */
    static Event next(BufferedReader r) throws IOException {
        String type = "";
        StringBuilder data = null;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(type.isEmpty() ? "message" : type, data.toString());
                }
                type = "";
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                type = value;
            } else if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return null;
    }

    @Override
    public Optional<UploadEvent> next(long timeoutNanos) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            Object o = queue.poll(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            if (o == null) {
                return Optional.empty();
            }
            if (o instanceof IOException e) {
                queue.add(e); // ended for good: every later call says so too
                throw e;
            }
            Event e = (Event) o;
            if (e.type().equals("upload")) {
                return Optional.of(UploadEvent.parse(e.data()));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            in.close();
        } catch (IOException e) {
            // nothing is left to read from it either way
        }
    }
}
