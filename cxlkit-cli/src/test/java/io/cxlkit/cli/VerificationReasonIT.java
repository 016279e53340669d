package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.protocol.fwpkg.KeyIds;
import io.cxlkit.protocol.fwpkg.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device says why, end to end with real processes (docs/verification-log.md): a
 * {@code serve --fw-verify signed} daemon trusting one key, an image packed and signed with
 * another by {@code fw keygen} / {@code fw pack --sign}; {@code update-firmware -w} prints the
 * device's reason in its error line, the control API's memdev and upload event carry it, and
 * {@code cxlkit cci get-log} reads the record over the MCTP socket.
 */
class VerificationReasonIT {

    private static final String VLOG = "a8b4b3af-cd9f-445f-9985-1954419031a6";

    @TempDir
    Path dir;

    private LauncherProcess.Result cxlkit(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(LauncherProcess.root().resolve("bin/cxlkit").toString());
        cmd.addAll(List.of(args));
        return LauncherProcess.run(dir, LauncherProcess.noChange(), cmd.toArray(String[]::new));
    }

    private Path keygen(String name) throws Exception {
        Path key = dir.resolve(name);
        LauncherProcess.Result r = cxlkit("fw", "keygen", "-o", key.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        return key;
    }

    @Test
    void anImageSignedByAnUntrustedKeyFailsWithTheKeyInTheErrorLine_andTheRecordIsReadOverMctp() throws Exception {
        Path trusted = keygen("trusted.pem");
        Path stranger = keygen("stranger.pem");
        String keyId = KeyIds.of(Pem.readPublicKey(Files.readString(dir.resolve("stranger.pem.pub"))));
        Path body = Files.write(dir.resolve("body.bin"), new byte[50_000]);
        Path image = dir.resolve("fw.img");
        LauncherProcess.Result pack = cxlkit("fw", "pack", "--revision", "BWFW VERSION 1", "--sign", stranger.toString(),
                "-o", image.toString(), body.toString());
        assertThat(pack.exit()).as(pack.stderr()).isZero();

        Path state = dir.resolve("state");
        try (DaemonProcess daemon = DaemonProcess.start(state, "--fw-verify", "signed", "--trusted-key",
                dir.resolve("trusted.pem.pub").toString(), "--timing", "instant");
             ControlApiClient api = new ControlApiClient(daemon.info());
             ControlApiClient.EventStream events = api.events()) {
            String reason = "signed by key " + keyId + ", which is not trusted by this device";

            LauncherProcess.Result update = cxlkit("update-firmware", "mem0", "-F", image.toString(), "-w",
                    "--state-dir", state.toString());

            assertThat(update.exit()).isEqualTo(1);
            assertThat(update.stderrLines()).containsExactly(
                    "cxlkit: update-firmware: mem0: transferring:firmware-invalid: " + reason
                            + " (Transfer FW: FW Verification Failed, 000Ah)",
                    "cxlkit: update-firmware: firmware update completed on 0 mem device");

            JsonNode upload = ControlApiClient.uploadOf(api.memdev("mem0").json());
            assertThat(upload.path("error").asText()).isEqualTo("transferring:firmware-invalid");
            assertThat(upload.path("reason").asText()).isEqualTo(reason);
            ControlApiClient.UploadEnd end = events.awaitUploadEnd("mem0", Files.size(image), Duration.ofSeconds(30));
            assertThat(ControlApiClient.JSON.readTree(end.detail()).path("reason").asText()).isEqualTo(reason);

            // over the MCTP socket, as a BMC would: the log's size, then the log (cci finds mem0's
            // listener and EID through the daemon; --connect/--eid reach the same endpoint)
            String cci = daemon.info().cci();
            LauncherProcess.Result logs = cxlkit("cci", "--connect", cci, "--eid", "8", "get-supported-logs");
            assertThat(logs.exit()).as(logs.stderr()).isZero();
            assertThat(logs.stdout()).contains("{\n        \"log_id\":\"" + VLOG + "\",\n        \"log_size\":208\n      }");
            LauncherProcess.Result log = cxlkit("cci", "mem0", "get-log", "--uuid", VLOG, "--length", "208",
                    "--state-dir", state.toString());
            assertThat(log.exit()).as(log.stderr()).isZero();
            JsonNode payload = ControlApiClient.JSON.readTree(log.stdout()).path("payload");
            assertThat(payload.path("header").path("records_held").asInt()).isEqualTo(1);
            JsonNode record = payload.path("records").get(0);
            assertThat(record.path("sequence").asLong()).isEqualTo(1);
            assertThat(record.path("operation").asText()).isEqualTo("transfer");
            assertThat(record.path("slot").asInt()).isEqualTo(2);
            assertThat(record.path("check").asText()).isEqualTo("key-not-trusted");
            assertThat(record.path("key_id").asText()).isEqualTo(keyId);
            assertThat(record.path("reason").asText()).isEqualTo(reason);
            assertThat(daemon.terminate()).isZero();
        }
    }
}
