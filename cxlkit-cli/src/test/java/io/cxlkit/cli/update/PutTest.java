package io.cxlkit.cli.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.cli.ApiError;
import io.cxlkit.cli.DaemonClient;
import io.cxlkit.device.config.VerifyPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DaemonClient#put}: the image goes from the file to the socket in the kernel, the daemon's
 * answer is read whole, and a refusal the daemon sends before it has taken the body (an upload
 * already running) is read as such, not as a broken connection.
 */
class PutTest {

    @TempDir
    Path dir;

    private Path raw(String name, int size) throws Exception {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    @Test
    void theImageArrivesWholeAndTheAnswerIsTheAcceptedMemdev() throws Exception {
        try (UpdateDaemon d = UpdateDaemon.start(dir.resolve("state"), UpdateDaemon.fast(0))) {
            Path img = raw("fw.bin", 3 * 1024 * 1024 + 17); // not a multiple of any chunk
            String answer = DaemonClient.connect(d.stateDir).put("/v1/memdevs/mem0/firmware", img);
            assertThat(answer).startsWith("{").contains("\"memdev\":\"mem0\"").contains("\"fw_update_in_progress\":true");
            assertThat(d.awaitIdle("mem0").error()).isEmpty();
            assertThat(Files.readAllBytes(d.slotFile("mem0", 2).orElseThrow())).isEqualTo(Files.readAllBytes(img));
        }
    }

    @Test
    void aRefusalBeforeTheBodyIsTakenIsReadAsTheDaemonWordsIt() throws Exception {
        // 50 ms a part: the first upload is still running when the second PUT comes
        try (UpdateDaemon d = UpdateDaemon.start(dir.resolve("state"),
                UpdateDaemon.device(0, VerifyPolicy.NONE, Duration.ofMillis(50)))) {
            DaemonClient client = DaemonClient.connect(d.stateDir);
            client.put("/v1/memdevs/mem0/firmware", raw("first.bin", 200_000));
            // far more than the daemon reads of a refused body
            Path second = raw("second.bin", 24 * 1024 * 1024);
            assertThatThrownBy(() -> client.put("/v1/memdevs/mem0/firmware", second))
                    .isInstanceOfSatisfying(ApiError.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.error()).isEqualTo("upload-in-progress");
                    });
            assertThat(d.awaitIdle("mem0").error()).isEmpty();
        }
    }

    @Test
    void noDaemonIsSaidSo() throws Exception {
        Path state = dir.resolve("state");
        DaemonClient client;
        try (UpdateDaemon d = UpdateDaemon.start(state, UpdateDaemon.fast(0))) {
            client = DaemonClient.connect(d.stateDir);
        }
        Path img = raw("fw.bin", 1000);
        assertThatThrownBy(() -> client.put("/v1/memdevs/mem0/firmware", img))
                .hasMessage("no daemon running for " + state);
    }
}
