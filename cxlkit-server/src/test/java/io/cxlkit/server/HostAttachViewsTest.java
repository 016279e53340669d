package io.cxlkit.server;

import static io.cxlkit.server.OneMemdevDaemon.dirty;
import static io.cxlkit.server.OneMemdevDaemon.setShutdownState;
import static io.cxlkit.server.OneMemdevDaemon.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.fault.FaultSet;
import io.cxlkit.host.cci.CciTransport;
import io.cxlkit.host.cci.MailboxTransport;
import io.cxlkit.host.driver.MemdevDriver;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host driver attaches only at the daemon's start and after a cold reset (memdev-commands.md
 * §13.1): a read route after a failed attach sends no attach command (no CEL read, no Set Shutdown
 * State), and builds its view from the last successful attachment.
 */
class HostAttachViewsTest {

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private static Memdev memdev(Daemon d) {
        return d.platform().memdev("mem0").orElseThrow();
    }

    private static void failSupportedLogs(CxlDevice device, int count) {
        device.withFaults(f -> {
            f.addFailOpcode(new FaultSet.FailOpcode(CommandId.GET_SUPPORTED_LOGS.opcode(), ReturnCode.INVALID_INPUT,
                    count, Optional.of(Cci.MAILBOX)));
            return null;
        });
    }

    private HttpResponse<String> get(Daemon d, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(d.info().http() + path))
                .header("Authorization", "Bearer " + d.info().token()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFailedAttachFollowedByListSendsNoCelReadAndNoSetShutdownState() throws Exception {
        try (Daemon d = start(dir)) {
            Memdev m = memdev(d);
            MemdevDriver.Attachment started = m.driver().attachment().orElseThrow();
            setShutdownState(m.device(), false); // clean, so that an attach's Set Shutdown State would show
            failSupportedLogs(m.device(), 2);
            assertThat(m.driver().attach()).as("the attach fails at Get Supported Logs").isEmpty();
            assertThat(m.device().faults()).anySatisfy(f -> assertThat(f).startsWith("fail-opcode 0400h")
                    .contains("count 1"));

            HttpResponse<String> list = get(d, "/v1/memdevs");
            HttpResponse<String> one = get(d, "/v1/memdevs/mem0?include=health,partition_info,alert_config");

            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(m.device().faults()).as("no Get Supported Logs was sent").anySatisfy(f -> assertThat(f)
                    .startsWith("fail-opcode 0400h").contains("count 1"));
            assertThat(dirty(m.device())).as("no Set Shutdown State was sent").isFalse();
            assertThat(m.driver().attachment()).as("the last successful attach stays").contains(started);
        }
    }

    @Test
    void aViewAfterAFailedAttachSendsOnlyItsOwnCommands() throws Exception {
        try (Daemon d = start(dir)) {
            Memdev daemons = memdev(d);
            CxlDevice device = daemons.device();
            Counting transport = new Counting(new MailboxTransport(device.mailbox(), System::nanoTime, "mem0"));
            MemdevDriver driver = new MemdevDriver("mem0", "0000:0d:00.0", device.serial(), transport,
                    Clock.systemUTC(), s -> { });
            Memdev m = new Memdev("mem0", device, driver, daemons.eid());
            failSupportedLogs(device, 1);
            assertThat(driver.attach()).isEmpty();
            setShutdownState(device, false);
            transport.sent.clear();

            String json = MemdevViews.jsonList(List.of(m), java.util.EnumSet.allOf(MemdevJson.Include.class));

            assertThat(json).contains("\"memdev\":\"mem0\"");
            assertThat(transport.sent).filteredOn(o -> o.equals(CommandId.IDENTIFY_MEMORY_DEVICE.opcode()))
                    .as("the view's own Identify (firmware version) only").hasSize(1);
            assertThat(transport.sent).doesNotContain(CommandId.GET_SUPPORTED_LOGS.opcode(),
                    CommandId.GET_LOG.opcode(), CommandId.SET_SHUTDOWN_STATE.opcode());
            assertThat(dirty(device)).isFalse();
            assertThat(driver.attachment()).isEmpty();
        }
    }

    /** A transport that records the opcodes it carries. */
    private static final class Counting implements CciTransport {
        final List<Opcode> sent = new CopyOnWriteArrayList<>();
        private final CciTransport t;

        Counting(CciTransport t) {
            this.t = t;
        }

        @Override
        public CommandResponse send(Opcode opcode, byte[] payload) throws IOException, InterruptedException {
            sent.add(opcode);
            return t.send(opcode, payload);
        }

        @Override
        public CommandResponse awaitBackground(Opcode opcode) throws IOException, InterruptedException {
            return t.awaitBackground(opcode);
        }

        @Override
        public CommandResponse execute(Opcode opcode, byte[] payload) throws IOException, InterruptedException {
            sent.add(opcode);
            return t.execute(opcode, payload);
        }

        @Override
        public int maxPayload() throws IOException, InterruptedException {
            return t.maxPayload();
        }

        @Override
        public String describe() {
            return t.describe();
        }

        @Override
        public void close() throws IOException {
            t.close();
        }
    }
}
