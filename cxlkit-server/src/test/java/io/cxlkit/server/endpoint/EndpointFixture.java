package io.cxlkit.server.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the endpoint's tests share: two devices opened once per class, the endpoints and clients a
 * test makes (closed after it, every endpoint thread ended), and the endpoint's log lines.
 */
abstract class EndpointFixture {

    @TempDir
    static Path deviceDirs;

    static TestDevices testDevices;
    static List<CxlDevice> devices;

    final LogCapture logs = new LogCapture();
    final List<CciEndpoint> endpoints = new ArrayList<>();
    final List<TestClient> clients = new ArrayList<>();

    @BeforeAll
    static void openDevices() throws Exception {
        testDevices = TestDevices.open(deviceDirs);
        devices = testDevices.list();
    }

    @AfterAll
    static void closeDevices() throws InterruptedException {
        testDevices.close();
    }

    @AfterEach
    void closeEverything() throws IOException {
        for (TestClient c : clients) {
            c.close();
        }
        for (CciEndpoint e : endpoints) {
            assertThat(e.close(Duration.ofSeconds(10))).as("every endpoint thread ended").isTrue();
        }
    }
}
