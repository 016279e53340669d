package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP client against a stand-in server: bearer token, error JSON mapping, a vanished daemon. */
class DaemonClientTest {

    private HttpServer server;
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private final AtomicReference<String> requestBody = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            authorization.set(ex.getRequestHeaders().getFirst("Authorization"));
            requestBody.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String path = ex.getRequestURI().getPath();
            int status;
            String body;
            switch (path) {
                case "/ok" -> {
                    status = 200;
                    body = "{\"a\":1}";
                }
                case "/missing" -> {
                    status = 404;
                    body = "{\"error\":\"not-found\",\"message\":\"slot 2 is empty\"}";
                }
                case "/device" -> {
                    status = 422;
                    body = "{\"error\":\"device-error\",\"message\":\"mem0: Activate FW: Invalid Slot, 000Bh\","
                            + "\"return_code\":\"000Bh\",\"return_code_name\":\"Invalid Slot\"}";
                }
                default -> {
                    status = 500;
                    body = "<html>oops</html>";
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private DaemonClient client() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return new DaemonClient(Path.of("/state"), url, "secret-token");
    }

    @Test
    void sendsTheBearerTokenAndParsesJson() throws Exception {
        assertThat(client().get("/ok").path("a").asInt()).isEqualTo(1);
        assertThat(authorization.get()).isEqualTo("Bearer secret-token");
    }

    @Test
    void postsJsonBodies() throws Exception {
        client().post("/ok", DaemonClient.object().put("slot", 2));
        assertThat(requestBody.get()).isEqualTo("{\"slot\":2}");
        client().post("/ok", null);
        assertThat(requestBody.get()).isEmpty();
    }

    @Test
    void errorJsonBecomesAnApiError() {
        assertThatThrownBy(() -> client().get("/missing")).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.error()).isEqualTo("not-found");
            assertThat(e.getMessage()).isEqualTo("slot 2 is empty");
            assertThat(e.returnCode()).isEmpty();
        });
        assertThatThrownBy(() -> client().delete("/device")).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.returnCode()).contains("000Bh");
            assertThat(e.messageFor("mem0")).isEqualTo("Activate FW: Invalid Slot, 000Bh");
            assertThat(e.messageFor("mem1")).isEqualTo("mem0: Activate FW: Invalid Slot, 000Bh");
        });
    }

    @Test
    void aBodyThatIsNotJsonStillGivesOneLine() {
        assertThatThrownBy(() -> client().download("/other", new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.getMessage()).isEqualTo("the daemon answered HTTP 500");
                });
    }

    @Test
    void aVanishedDaemonMeansNoDaemon() {
        DaemonClient c = client();
        server.stop(0);
        assertThatThrownBy(() -> c.get("/ok")).isInstanceOf(Failure.class)
                .hasMessage("no daemon running for /state");
        assertThatThrownBy(() -> c.post("/ok", null)).isInstanceOf(Failure.class)
                .hasMessage("no daemon running for /state");
    }

    @Test
    void connectWithoutADaemonFile() {
        assertThatThrownBy(() -> DaemonClient.connect(Path.of("/nonexistent/cxlkit")))
                .isInstanceOf(Failure.class).hasMessage("no daemon running for /nonexistent/cxlkit");
    }
}
