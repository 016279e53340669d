package io.cxlkit.cli.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cxlkit.cli.ApiError;
import io.cxlkit.cli.progress.ProgressBar;
import io.cxlkit.host.json.MemdevView;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link UploadWaiter} against a scripted daemon: which looks it makes (each costs the device two
 * mailbox commands), that it sleeps only when it has no event stream, how it catches an end that
 * came before the subscription, and what {@code -v} says. No clock, no thread: every event and
 * look is given in advance.
 */
class UploadWaiterTest {

    private static final long SIZE = 1 << 20;

    // ---- memdev objects ------------------------------------------------------------------------

    private static MemdevView memdev(String name, MemdevView.FirmwareView fw, MemdevView.UploadView upload) {
        return MemdevView.of(name, 1L << 30, 0, 0, "0000:0d:00.0").withFirmwareVersion("BWFW VERSION 0")
                .withFirmware(fw).withCxlkit(new MemdevView.CxlkitView(SIZE * 64, "none", 0, List.of(), upload));
    }

    private static MemdevView.FirmwareView slots(int active, int staged) {
        return new MemdevView.FirmwareView(2, active, staged, true, List.of("BWFW VERSION 0", "BWFW VERSION 1"),
                false, 0);
    }

    private static MemdevView.UploadView upload(String status, long sent, Optional<String> error) {
        return new MemdevView.UploadView(status, error, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), sent, sent / 4096, Optional.empty(), Optional.empty());
    }

    /** An upload of {@link #SIZE} bytes running, {@code sent} of them acknowledged. */
    private static MemdevView running(String name, long sent) {
        MemdevView.FirmwareView fw = slots(1, 0).inProgress(SIZE - sent);
        return memdev(name, fw, upload("transferring", sent, Optional.empty()));
    }

    private static MemdevView staged(String name) {
        return memdev(name, slots(1, 2), upload("idle", SIZE, Optional.empty()));
    }

    private static MemdevView failed(String name, String error, long sent) {
        return memdev(name, slots(1, 0), upload("idle", sent, Optional.of(error)));
    }

    private static UploadEvent event(String name, String status, long sent, String error) {
        return new UploadEvent(name, status, SIZE, SIZE - sent, sent, Optional.ofNullable(error));
    }

    // ---- the scripted daemon -------------------------------------------------------------------

    /** In the scripted events: a wait on the stream that times out. */
    private static final Object SILENCE = new Object();

    /** Answers looks from per-memdev scripts (the last answer repeats) and serves scripted events. */
    private static class Script implements UploadWaiter.Daemon, UploadWaiter.Events {
        final Map<String, Deque<MemdevView>> looks = new HashMap<>();
        /** Events; {@link #SILENCE} times out once, an IOException breaks the stream there. */
        final Deque<Object> events = new ArrayDeque<>();
        final List<String> log = new ArrayList<>();
        Exception refusal;
        boolean closed;

        Script look(String name, MemdevView... answers) {
            looks.computeIfAbsent(name, n -> new ArrayDeque<>()).addAll(List.of(answers));
            return this;
        }

        Script event(Object e) {
            events.add(e);
            return this;
        }

        @Override
        public UploadWaiter.Events subscribe() throws IOException, ApiError {
            log.add("subscribe");
            if (refusal instanceof ApiError a) {
                throw a;
            }
            if (refusal instanceof IOException e) {
                throw e;
            }
            return this;
        }

        @Override
        public MemdevView look(String memdev) {
            log.add("look " + memdev);
            Deque<MemdevView> answers = looks.get(memdev);
            return answers.size() > 1 ? answers.poll() : answers.peek();
        }

        @Override
        public Optional<UploadEvent> next(long timeoutNanos) throws IOException {
            Object e = events.poll();
            if (e == null) {
                throw new AssertionError("the waiter reads past the scripted events: " + log);
            }
            if (e == SILENCE) {
                log.add("tick");
                return Optional.empty();
            }
            if (e instanceof IOException broken) {
                throw broken;
            }
            return Optional.of((UploadEvent) e);
        }

        @Override
        public void close() {
            log.add("close");
            closed = true;
        }
    }

    private final List<String> said = new ArrayList<>();
    private final List<String> running = new ArrayList<>();
    private final List<String> ended = new ArrayList<>();
    private final StringWriter terminal = new StringWriter();

    private Map<String, MemdevView> await(Script daemon, List<String> names, Map<String, Long> totals,
                                          boolean bar) throws Exception {
        return await(daemon, names, totals, bar, java.util.Set.of());
    }

    private Map<String, MemdevView> await(Script daemon, List<String> names, Map<String, Long> totals,
                                          boolean bar, java.util.Set<String> startedSince) throws Exception {
        UploadWaiter.Listener listener = new UploadWaiter.Listener() {
            @Override
            public void running(String memdev) {
                running.add(memdev);
            }

            @Override
            public void ended(String memdev) {
                ended.add(memdev);
            }
        };
        UploadWaiter.Display display = shown -> bar
                ? new ProgressBar(new PrintWriter(terminal), () -> 0L, () -> 200, shown) : null;
        UploadWaiter.Sleeper sleeper = millis -> daemon.log.add("sleep " + millis);
        return new UploadWaiter(daemon, listener, display, said::add, sleeper).await(names, new HashMap<>(totals),
                startedSince);
    }

    private static Map<String, Long> started(String... names) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, SIZE);
        }
        return m;
    }

    // ---- the event stream ----------------------------------------------------------------------

    @Test
    void onTheStreamItLooksOnceBeforeAndOnceAfterTheEndAndNeverSleeps() throws Exception {
        Script d = new Script().look("mem0", running("mem0", 4096), staged("mem0"))
                .event(event("mem0", "transferring", SIZE / 2, null))
                .event(event("mem0", "programming", SIZE, null))
                .event(event("mem0", "idle", SIZE, null));
        Map<String, MemdevView> end = await(d, List.of("mem0"), started("mem0"), false);

        assertThat(d.log).containsExactly("subscribe", "look mem0", "look mem0", "close");
        assertThat(end.get("mem0")).isEqualTo(staged("mem0"));
        assertThat(said).containsExactly("mem0: transferring", "mem0: programming",
                "mem0: staged in slot 2, active after the next cold reset");
        assertThat(running).containsExactly("mem0");
        assertThat(ended).containsExactly("mem0");
    }

    @Test
    void anUploadStartedAfterSubscribingNeedsNoFirstLook() throws Exception {
        // -F -w: the command subscribed, then started the uploads: each end is sure to come as an event
        Script d = new Script().look("mem0", staged("mem0")).look("mem1", staged("mem1"))
                .event(event("mem1", "transferring", 4096, null))
                .event(event("mem1", "idle", SIZE, null))
                .event(event("mem0", "idle", SIZE, null));
        Map<String, MemdevView> end = await(d, List.of("mem0", "mem1"), started("mem0", "mem1"), true,
                java.util.Set.of("mem0", "mem1"));

        assertThat(d.log).containsExactly("subscribe", "look mem1", "look mem0", "close");
        assertThat(end.keySet()).containsExactly("mem0", "mem1");
        assertThat(said).containsExactly("mem0: receiving", "mem1: receiving", "mem1: transferring",
                "mem1: staged in slot 2, active after the next cold reset",
                "mem0: staged in slot 2, active after the next cold reset");
        assertThat(running).containsExactly("mem0", "mem1");
        assertThat(terminal.toString()).contains("mem0  [", "mem1  [", "total [");
    }

    @Test
    void anUploadStartedAfterSubscribingIsLookedAtWhenThereIsNoStream() throws Exception {
        Script d = new Script().look("mem0", running("mem0", 4096), running("mem0", 8192), staged("mem0"));
        d.refusal = new IOException("Connection refused");
        await(d, List.of("mem0"), started("mem0"), false, java.util.Set.of("mem0"));
        assertThat(d.log).containsExactly("subscribe", "look mem0", "look mem0", "sleep 100", "look mem0");
    }

    @Test
    void anEndBeforeTheSubscriptionShowsInTheFirstLook() throws Exception {
        // the upload started by -F was over before the stream was there: its end event never comes
        Script d = new Script().look("mem0", staged("mem0"));
        Map<String, MemdevView> end = await(d, List.of("mem0"), started("mem0"), false);

        assertThat(d.log).containsExactly("subscribe", "look mem0", "close");
        assertThat(end.get("mem0")).isEqualTo(staged("mem0"));
        assertThat(said).containsExactly("mem0: staged in slot 2, active after the next cold reset");
        assertThat(running).isEmpty();
        assertThat(ended).containsExactly("mem0");
    }

    @Test
    void eventsOfOtherMemdevsAndSilenceCostNoLook() throws Exception {
        Script d = new Script().look("mem0", running("mem0", 0), staged("mem0")).look("mem1", staged("mem1"))
                .event(event("mem1", "transferring", 10, null)) // not waited for: mem1 was idle at the first look
                .event(event("mem7", "idle", 10, null))
                .event(SILENCE) // a silent spell: the bar is redrawn, nothing is asked
                .event(event("mem0", "idle", SIZE, null));
        Map<String, MemdevView> end = await(d, List.of("mem0", "mem1"), Map.of(), true);

        assertThat(d.log).containsExactly("subscribe", "look mem0", "look mem1", "tick", "look mem0", "close");
        assertThat(d.log).noneMatch(l -> l.startsWith("sleep"));
        assertThat(end.keySet()).containsExactly("mem0", "mem1");
        assertThat(said).containsExactly("mem0: transferring", "mem1: no upload running",
                "mem0: staged in slot 2, active after the next cold reset");
    }

    @Test
    void theEndOfAnEarlierUploadQueuedBeforeTheFirstLookDoesNotEndTheWait() throws Exception {
        // -w alone: an upload ended (its event queued) and the next began before the first look
        Script d = new Script().look("mem0", running("mem0", 0), running("mem0", 8192), staged("mem0"))
                .event(event("mem0", "idle", SIZE, null))
                .event(event("mem0", "transferring", SIZE / 2, null))
                .event(event("mem0", "idle", SIZE, null));
        Map<String, MemdevView> end = await(d, List.of("mem0"), Map.of(), false);

        assertThat(d.log).containsExactly("subscribe", "look mem0", "look mem0", "look mem0", "close");
        assertThat(end.get("mem0")).isEqualTo(staged("mem0"));
    }

    @Test
    void finalStatesSayWhatHappened() throws Exception {
        MemdevView active = memdev("mem2", slots(2, 0), upload("idle", SIZE, Optional.empty()));
        Script d = new Script()
                .look("mem0", running("mem0", 0), failed("mem0", "transferring:firmware-invalid", 4096))
                .look("mem1", running("mem1", 0), failed("mem1", "transferring:user-abort", 8192))
                .look("mem2", running("mem2", 0), active)
                .event(event("mem0", "idle", 4096, "transferring:firmware-invalid"))
                .event(event("mem1", "idle", 8192, "transferring:user-abort"))
                .event(event("mem2", "idle", SIZE, null));
        await(d, List.of("mem0", "mem1", "mem2"), started("mem0", "mem1", "mem2"), false);

        assertThat(said).endsWith("mem0: failed: transferring:firmware-invalid", "mem1: cancelled",
                "mem2: active in slot 2");
    }

    @Test
    void theBarGetsOneLinePerUploadThisWaitIsAboutAndTheirFinalStates() throws Exception {
        Script d = new Script().look("mem0", running("mem0", 0), staged("mem0")).look("mem1", staged("mem1"))
                .event(event("mem0", "idle", SIZE, null));
        await(d, List.of("mem0", "mem1"), started("mem0"), true);
        // mem1 had no upload and none was started on it here: no line
        assertThat(terminal.toString()).contains("mem0 [").doesNotContain("mem1").doesNotContain("total")
                .contains("active after the next cold reset").endsWith("\n");
    }

    // ---- without the stream: looking every 100 ms ----------------------------------------------

    @Test
    void aRefusedSubscriptionFallsBackToLookingEvery100ms() throws Exception {
        Script d = new Script().look("mem0", running("mem0", 0), running("mem0", 4096), staged("mem0"));
        d.refusal = new ApiError(429, "too-many-subscribers", "at most 16 event stream subscribers",
                JsonNodeFactory.instance.objectNode());
        Map<String, MemdevView> end = await(d, List.of("mem0"), started("mem0"), false);

        assertThat(d.log).containsExactly("subscribe", "look mem0", "look mem0", "sleep 100", "look mem0");
        assertThat(end.get("mem0")).isEqualTo(staged("mem0"));
        assertThat(said).first().isEqualTo("no event stream (at most 16 event stream subscribers); looking every "
                + "100 ms");
    }

    @Test
    void aStreamThatBreaksIsReplacedByLooks() throws Exception {
        Script d = new Script().look("mem0", running("mem0", 0), staged("mem0"))
                .event(event("mem0", "transferring", 4096, null))
                .event(new EOFException("the daemon ended the event stream"));
        Map<String, MemdevView> end = await(d, List.of("mem0"), started("mem0"), false);

        assertThat(d.log).containsExactly("subscribe", "look mem0", "close", "look mem0");
        assertThat(end.get("mem0")).isEqualTo(staged("mem0"));
        assertThat(said).contains("the event stream broke (the daemon ended the event stream); looking every 100 ms");
    }

    @Test
    void aFailedLookEndsTheWaitAndClosesTheStream() {
        Script d = new Script() {
            @Override
            public MemdevView look(String memdev) {
                log.add("look " + memdev);
                throw new io.cxlkit.cli.Failure(memdev + ": the daemon stopped during the wait");
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> await(d, List.of("mem0"), started("mem0"), false))
                .hasMessage("mem0: the daemon stopped during the wait");
        assertThat(d.log).containsExactly("subscribe", "look mem0", "close");
    }
}
