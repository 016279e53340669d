package io.cxlkit.cli.update;

import io.cxlkit.cli.ApiError;
import io.cxlkit.cli.progress.ProgressBar;
import io.cxlkit.host.json.MemdevView;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code update-firmware -w}: waits until the uploads on some memdevs end, on the control API's
 * event stream ({@code GET /v1/events?types=upload}). The daemon sends an {@code upload} event
 * per memdev at most ten times a second while an upload runs and always its last one, so the wait
 * ends within milliseconds of the upload's end and costs the device nothing: a look at a memdev
 * ({@code GET /v1/memdevs/NAME}) costs its host driver two mailbox commands, which compete with the
 * upload, and {@code types=upload} keeps the daemon from building {@code device} events for it.
 *
 * <p>Looks: one per memdev right after subscribing (an upload that ended before the subscription
 * shows there, one that ends after it comes as an event: none is missed), except for memdevs
 * whose upload the command started or cancelled after it subscribed (their end is sure to come as
 * an event); and one per memdev after its end event, for the object the command prints. When the
 * stream cannot be had (429
 * beyond 16 subscribers, an older daemon) or breaks, the wait goes on by looking every
 * {@link #POLL_MILLIS} at the memdevs still running, as before there was a stream; a daemon that
 * stops ends its streams, so its end is then seen as a failed look.
 */
final class UploadWaiter {

    /** How often the wait looks at each running memdev when it has no event stream. */
    static final long POLL_MILLIS = 100;
    /** How long the wait sleeps on a silent stream before redrawing (rate and ETA move with time). */
    static final long TICK_NANOS = 200_000_000L;
    static final String EVENTS_PATH = "/v1/events?types=upload";

    /** The event stream as the wait reads it. */
    interface Events extends AutoCloseable {
        /** The next upload event, or empty after {@code timeoutNanos}; throws once the stream ended or broke. */
        Optional<UploadEvent> next(long timeoutNanos) throws IOException, InterruptedException;

        @Override
        void close();
    }

    /** What the wait asks of the daemon. */
    interface Daemon {
        /** Subscribes to upload events; throws when the stream cannot be had. */
        Events subscribe() throws IOException, ApiError;

        /** The memdev as it is now; a failure ends the wait. */
        MemdevView look(String memdev) throws IOException, ApiError, InterruptedException;
    }

    /** What the command learns as the wait goes. */
    interface Listener {
        /** {@code memdev}'s upload was seen running. */
        void running(String memdev);

        /** {@code memdev} has no upload running (any more). */
        void ended(String memdev);
    }

    /** Opens the progress display for these memdevs' lines; null for none (stderr is not a terminal). */
    @FunctionalInterface
    interface Display {
        ProgressBar open(List<String> memdevs);
    }

    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final Daemon daemon;
    private final Listener listener;
    private final Display display;
    /** Says a line of {@code -v}; null without {@code -v}. */
    private final Consumer<String> verbose;
    private final Sleeper sleeper;

    private ProgressBar bar;
    private final Map<String, String> lastStage = new HashMap<>();
    private final Map<String, Long> totals = new HashMap<>();

    UploadWaiter(Daemon daemon, Listener listener, Display display, Consumer<String> verbose, Sleeper sleeper) {
        this.daemon = daemon;
        this.listener = listener;
        this.display = display;
        this.verbose = verbose;
        this.sleeper = sleeper;
    }

    /**
     * Waits until no memdev in {@code names} has an upload running; their final objects, in that
     * order. The display shows the uploads this wait is about: those in {@code knownTotals} (started
     * or cancelled here, with their image sizes) and those seen running; a memdev object shows
     * {@code remaining_size} only while an upload runs, so the sizes are remembered, and a failed or
     * cancelled upload's bar ends where it stopped.
     */
    Map<String, MemdevView> await(List<String> names, Map<String, Long> knownTotals,
                                  Set<String> runningSinceSubscribing)
            throws IOException, ApiError, InterruptedException {
        totals.putAll(knownTotals);
        Events events = subscribe();
        try {
            Map<String, MemdevView> views = new LinkedHashMap<>();
            Set<String> running = new LinkedHashSet<>();
            for (String name : names) {
                if (events != null && runningSinceSubscribing.contains(name)) {
                    running.add(name);
                    listener.running(name);
                    continue;
                }
                MemdevView v = daemon.look(name);
                views.put(name, v);
                if (UploadOutcome.inProgress(v)) {
                    running.add(name);
                    listener.running(name);
                    totals.put(name, UploadOutcome.progress(v)[1]);
                } else {
                    listener.ended(name);
                }
            }
            List<String> shown = names.stream().filter(totals::containsKey).toList();
            bar = shown.isEmpty() ? null : display.open(shown);
            for (String name : names) {
                MemdevView v = views.get(name);
                if (v == null) {
                    progress(name, 0, "receiving"); // just started or cancelled: its events tell the rest
                } else if (running.contains(name)) {
                    progress(name, UploadOutcome.progress(v)[0], stage(v));
                } else if (totals.containsKey(name)) {
                    ended(name, v); // it ended before the first look
                } else {
                    say(name + ": no upload running");
                }
            }
            while (!running.isEmpty()) {
                if (events == null) {
                    poll(running, views);
                    continue;
                }
                Optional<UploadEvent> next;
                try {
                    next = events.next(TICK_NANOS);
                } catch (IOException e) {
                    events.close();
                    events = null;
                    say("the event stream broke (" + e.getMessage() + "); looking every " + POLL_MILLIS + " ms");
                    continue;
                }
                if (next.isEmpty()) {
                    tick();
                    continue;
                }
                UploadEvent e = next.get();
                String name = e.memdev();
                if (!running.contains(name)) {
                    continue;
                }
                totals.put(name, e.imageSize());
                if (!e.ended()) {
                    progress(name, e.bytesSent(), e.status());
                    continue;
                }
                // still running after an end event: the end of an earlier upload, queued before the
                // first look; this one goes on
                look(name, running, views);
            }
            if (bar != null) {
                bar.finish();
            }
            Map<String, MemdevView> inOrder = new LinkedHashMap<>();
            names.forEach(name -> inOrder.put(name, views.get(name)));
            return inOrder;
        } finally {
            if (events != null) {
                events.close();
            }
        }
    }

    /** The event stream, or null (then the wait looks every {@link #POLL_MILLIS}). */
    private Events subscribe() {
        try {
            return daemon.subscribe();
        } catch (IOException | ApiError e) {
            say("no event stream (" + e.getMessage() + "); looking every " + POLL_MILLIS + " ms");
            return null;
        }
    }

    /** One look at each running memdev, then a pause if any still runs. */
    private void poll(Set<String> running, Map<String, MemdevView> views)
            throws IOException, ApiError, InterruptedException {
        for (String name : List.copyOf(running)) {
            look(name, running, views);
        }
        if (!running.isEmpty()) {
            sleeper.sleep(POLL_MILLIS);
        }
    }

    /** One look at {@code name}: its progress if it still runs, else its end (and it leaves {@code running}). */
    private void look(String name, Set<String> running, Map<String, MemdevView> views)
            throws IOException, ApiError, InterruptedException {
        MemdevView v = daemon.look(name);
        views.put(name, v);
        if (UploadOutcome.inProgress(v)) {
            totals.put(name, UploadOutcome.progress(v)[1]);
            progress(name, UploadOutcome.progress(v)[0], stage(v));
        } else {
            running.remove(name);
            listener.ended(name);
            ended(name, v);
        }
    }

    private void progress(String name, long done, String stage) {
        if (!stage.equals(lastStage.put(name, stage))) {
            say(name + ": " + stage);
        }
        Long total = totals.get(name);
        if (bar != null && total != null) { // a memdev without a size has no line
            bar.update(name, done, total, stage);
        }
    }

    private void ended(String name, MemdevView v) {
        String state = FinalState.of(v);
        say(name + ": " + state);
        if (bar != null) {
            long done = v.cxlkit().map(c -> c.upload().bytesSent()).orElse(0L);
            bar.end(name, done, totals.getOrDefault(name, done), state);
        }
    }

    private void tick() {
        if (bar != null) {
            bar.tick();
        }
    }

    private void say(String line) {
        if (verbose != null) {
            verbose.accept(line);
        }
    }

    private static String stage(MemdevView v) {
        return v.cxlkit().map(c -> c.upload().status()).orElse("");
    }
}
