package io.cxlkit.cli.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.cli.ApiError;
import io.cxlkit.cli.Cli;
import io.cxlkit.cli.DaemonClient;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.server.api.EventHub;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-stream client of {@code update-firmware -w}: the text/event-stream format, and a real
 * subscription to an in-process daemon: upload events only ({@code ?types=upload}), refusals as
 * the daemon words them, and a close that ends a blocked read at once.
 */
class EventStreamTest {

    @TempDir
    Path dir;

    private static List<EventStream.Event> parse(String text) throws Exception {
        BufferedReader r = new BufferedReader(new StringReader(text));
        List<EventStream.Event> events = new ArrayList<>();
        for (EventStream.Event e = EventStream.next(r); e != null; e = EventStream.next(r)) {
            events.add(e);
        }
        return events;
    }

    @Test
    void theFormatAsAnEventSourceReadsIt() throws Exception {
        assertThat(parse(": cxlkit events\n\n"
                + "event: upload\ndata: {\"memdev\":\"mem0\",\ndata:  \"status\":\"idle\"}\n\n"
                + "data: no type\r\n\r\n"
                + ": keep-alive\n\n"
                + "event: device\n\n" // no data: no event
                + "event:reset\ndata:{}\nid: 7\nretry: 10\n\n"
                + "event: upload\ndata: cut off by the end"))
                .containsExactly(new EventStream.Event("upload", "{\"memdev\":\"mem0\",\n \"status\":\"idle\"}"),
                        new EventStream.Event("message", "no type"),
                        new EventStream.Event("reset", "{}"));
    }

    @Test
    void anUploadEventIsReadAsJsonWhateverItsWhitespace() throws Exception {
        UploadEvent e = UploadEvent.parse("{  \"memdev\":\"mem1\",  \"status\":\"idle\",  \"image_size\":4096,"
                + "\n  \"remaining_size\":0, \"bytes_sent\":4096, \"parts_sent\":1, \"error\":\"x:y\", \"reason\":\"r\" }");
        assertThat(e).isEqualTo(new UploadEvent("mem1", "idle", 4096, 0, 4096, Optional.of("x:y")));
        assertThat(e.ended()).isTrue();
        assertThatThrownBy(() -> UploadEvent.parse("{\"status\":\"idle\"}")).hasMessageContaining("without memdev");
        assertThatThrownBy(() -> UploadEvent.parse("{not json")).hasMessageContaining("malformed JSON");
    }

    @Test
    void aSubscriptionGetsUploadEventsOnlyAndTheEndOfTheUpload() throws Exception {
        try (UpdateDaemon d = UpdateDaemon.start(dir.resolve("state"), UpdateDaemon.fast(0))) {
            DaemonClient client = DaemonClient.connect(d.stateDir);
            try (InputStream all = client.openStream("/v1/events", 10_000);
                 EventStream uploads = EventStream.open(client, UploadWaiter.EVENTS_PATH)) {
                assertThat(d.daemon.platform().memdevs()).hasSize(1);
                // a fault changes the device: a device event for whoever takes them, none for uploads-only
                assertThat(Cli.run("inject", "mem0", "--media-disabled", "--state-dir", d.stateDir.toString()).exit())
                        .isZero();
                BufferedReader allEvents = new BufferedReader(new InputStreamReader(all, StandardCharsets.UTF_8));
                assertThat(EventStream.next(allEvents).type()).isEqualTo("device");
                assertThat(uploads.next(Duration.ofMillis(200).toNanos())).isEmpty();
                assertThat(Cli.run("inject", "--clear", "mem0", "--state-dir", d.stateDir.toString()).exit())
                        .isZero();

                Path img = dir.resolve("fw.pkg");
                FirmwarePackage.builder().revision("EVENTS 1").body(new byte[20_000]).build().writeTo(img);
                assertThat(Cli.run("update-firmware", "mem0", "-F", img.toString(), "--state-dir",
                        d.stateDir.toString()).exit()).isZero();
                UploadEvent last;
                do {
                    last = uploads.next(Duration.ofSeconds(20).toNanos()).orElseThrow();
                    assertThat(last.memdev()).isEqualTo("mem0");
                } while (!last.ended());
                assertThat(last.bytesSent()).isEqualTo(last.imageSize()).isEqualTo(20_224);
                assertThat(last.error()).isEmpty();
            }
        }
    }

    @Test
    void closeEndsAReadThatIsWaitingForTheNextEvent() throws Exception {
        try (UpdateDaemon d = UpdateDaemon.start(dir.resolve("state"), UpdateDaemon.fast(0))) {
            EventStream s = EventStream.open(DaemonClient.connect(d.stateDir), UploadWaiter.EVENTS_PATH);
            Thread.sleep(100); // the reader thread is blocked in a read: nothing happens on the daemon
            long t0 = System.nanoTime();
            s.close();
            assertThatThrownBy(() -> s.next(Duration.ofSeconds(5).toNanos())).isInstanceOf(EOFException.class);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to close").isLessThan(1_000);
        }
    }

    @Test
    void aDaemonThatStopsEndsTheStream() throws Exception {
        UpdateDaemon d = UpdateDaemon.start(dir.resolve("state"), UpdateDaemon.fast(0));
        EventStream s;
        try {
            s = EventStream.open(DaemonClient.connect(d.stateDir), UploadWaiter.EVENTS_PATH);
        } finally {
            d.close();
        }
        assertThatThrownBy(() -> s.next(Duration.ofSeconds(5).toNanos())).isInstanceOf(java.io.IOException.class);
        s.close();
    }

    @Test
    void refusalsComeAsTheDaemonWordsThem() throws Exception {
        try (UpdateDaemon d = UpdateDaemon.start(dir.resolve("state"), UpdateDaemon.fast(0))) {
            DaemonClient client = DaemonClient.connect(d.stateDir);
            assertThatThrownBy(() -> client.openStream("/v1/events?types=upload,nope", 1000))
                    .isInstanceOfSatisfying(ApiError.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("unknown event type 'nope' (upload, device, reset)");
                    });
            List<EventStream> open = new ArrayList<>();
            try {
                for (int i = 0; i < EventHub.MAX_SUBSCRIBERS; i++) {
                    open.add(EventStream.open(client, UploadWaiter.EVENTS_PATH));
                }
                assertThatThrownBy(() -> EventStream.open(client, UploadWaiter.EVENTS_PATH))
                        .isInstanceOfSatisfying(ApiError.class, e -> {
                            assertThat(e.status()).isEqualTo(429);
                            assertThat(e.error()).isEqualTo("too-many-subscribers");
                            assertThat(e.getMessage()).isEqualTo("at most 16 event stream subscribers");
                        });
            } finally {
                open.forEach(EventStream::close);
            }
        }
    }
}
