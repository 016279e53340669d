package io.cxlkit.cli.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.Cli;
import io.cxlkit.cli.DaemonClient;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.device.mailbox.MailboxDevice;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.server.api.EventHub;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code update-firmware -w} waits on the daemon's event stream: it returns within milliseconds of
 * the upload's end, adds no mailbox command to the upload but the look for the printed object,
 * and looks every 100 ms instead only when the stream cannot be had.
 */
class WaitOnEventsTest {

    @TempDir
    Path dir;

    /** 50 ms a part through the 4 KiB mailbox: 19 parts of a 75 KB package take about a second. */
    private static DeviceConfig slow(int i) {
        return UpdateDaemon.device(i, VerifyPolicy.NONE, Duration.ofMillis(50));
    }

    private Path pkg(int bodyBytes) throws Exception {
        byte[] body = new byte[bodyBytes];
        new Random(bodyBytes).nextBytes(body);
        Path file = dir.resolve("fw" + bodyBytes + ".pkg");
        FirmwarePackage.builder().revision("BWFW VERSION 1").body(body).build().writeTo(file);
        return file;
    }

    private static MailboxDevice mailbox(UpdateDaemon d, String memdev) {
        return d.daemon.platform().memdev(memdev).orElseThrow().device().mailbox();
    }

    @Test
    void aWaitAddsOneLookToTheUploadAndNoOtherMailboxCommand() throws Exception {
        try (UpdateDaemon d = UpdateDaemon.start(dir.resolve("state"), slow(0))) {
            Path img = pkg(75_000);
            MailboxDevice mb = mailbox(d, "mem0");
            // the same upload without -w, its end awaited in this process: what the upload itself costs
            long before = mb.interruptCount();
            assertThat(d.run("update-firmware", "mem0", "-F", img.toString()).exit()).isZero();
            d.awaitIdle("mem0");
            long plain = mb.interruptCount() - before;

            before = mb.interruptCount();
            Cli.Run waited = d.run("update-firmware", "mem0", "-F", img.toString(), "-w");
            assertThat(waited.exit()).as(waited.err()).isZero();
            long withWait = mb.interruptCount() - before;
            // a look is Identify and Get FW Info, one interrupt each: only the one after the end (the
            // command subscribed before its PUT, so it needs none to learn whether the end came first).
            // Looking every 100 ms for a second would add 20 more, and so would the device events the
            // daemon builds for a subscriber that takes them.
            assertThat(withWait - plain).isEqualTo(2);
        }
    }

    @Test
    void aWaitReturnsWithinMillisecondsOfTheEnd() throws Exception {
        try (UpdateDaemon d = UpdateDaemon.start(dir.resolve("state"), UpdateDaemon.fast(0))) {
            Path img = pkg(40_000);
            assertThat(d.run("update-firmware", "mem0", "-F", img.toString(), "-w").exit()).isZero(); // warm-up
            List<Long> lags = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                assertThat(d.run("update-firmware", "mem0", "-F", img.toString(), "-w").exit()).isZero();
                Instant back = Instant.now();
                lags.add(Duration.between(d.status("mem0").finished().orElseThrow(), back).toMillis());
            }
            // looking every 100 ms would be late by 50 ms on average: all five under 50 ms by chance, 1 in 32
            assertThat(lags).as("ms from the end of the upload to the command's return").allMatch(ms -> ms < 50);
        }
    }

    @Test
    void withEverySubscriptionTakenItLooksEvery100msInstead() throws Exception {
        try (UpdateDaemon d = UpdateDaemon.start(dir.resolve("state"), UpdateDaemon.fast(0))) {
            DaemonClient client = DaemonClient.connect(d.stateDir);
            List<EventStream> taken = new ArrayList<>();
            try {
                for (int i = 0; i < EventHub.MAX_SUBSCRIBERS; i++) {
                    taken.add(EventStream.open(client, UploadWaiter.EVENTS_PATH));
                }
                Path img = pkg(75_000);
                Cli.Run r = d.run("update-firmware", "mem0", "-F", img.toString(), "-w", "-v");
                assertThat(r.exit()).as(r.err()).isZero();
                assertThat(r.errLines()).first().isEqualTo("cxlkit: update-firmware: no event stream (at most 16 "
                        + "event stream subscribers); looking every 100 ms");
                assertThat(r.errLines()).endsWith(
                        "cxlkit: update-firmware: mem0: staged in slot 2, active after the next cold reset",
                        "cxlkit: update-firmware: firmware update completed on 1 mem device");
                assertThat(r.out()).contains("\"staged_slot\":2");
            } finally {
                taken.forEach(EventStream::close);
            }
        }
    }
}
