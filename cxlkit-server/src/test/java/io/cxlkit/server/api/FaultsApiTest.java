package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.protocol.payload.EventLog;
import io.cxlkit.protocol.payload.HealthInfo;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/memdevs/{name}/faults} with the health faults and the one-shot corrected-error
 * (docs/events-and-health.md "Faults", docs/control-api.md): each reaches the device, the standing
 * ones are listed, every bad member is a 400 and changes nothing.
 */
class FaultsApiTest {

    @RegisterExtension
    final ApiDaemon daemon = new ApiDaemon(DeviceConfig.defaults(0).toBuilder().timing(Timing.instant())
            .volatileCapacity(256L << 20).build());

    private CxlDevice device() {
        return daemon.platform().memdev("mem0").orElseThrow().device();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return daemon.send(daemon.request("/v1/memdevs/mem0/faults").POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static String faults(String... listed) {
        StringBuilder b = new StringBuilder("{\n  \"memdev\":\"mem0\",\n  \"faults\":[\n");
        for (int i = 0; i < listed.length; i++) {
            b.append("    \"").append(listed[i]).append('"').append(i + 1 < listed.length ? ",\n" : "\n");
        }
        return b.append("  ]\n}\n").toString();
    }

    private void refused(String body, String message) throws Exception {
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(body).isEqualTo(400);
        assertThat(r.body()).as(body).isEqualTo("{\"error\":\"bad-request\",\"message\":\"" + message + "\"}\n");
    }

    @Test
    void theStandingHealthFaults_areListedAndReachTheDevice() throws Exception {
        assertThat(post("{\"fault\":\"life-used\",\"percent\":80}").body()).isEqualTo(faults("life-used=80"));
        assertThat(post("{\"fault\":\"temperature\",\"celsius\":-5}").body())
                .isEqualTo(faults("life-used=80", "temperature=-5"));
        assertThat(post("{\"fault\":\"health-status\",\"conditions\":[\"capacity\",\"maintenance\"]}").body())
                .isEqualTo(faults("life-used=80", "temperature=-5", "health-status=maintenance,capacity"));
        assertThat(post("{\"fault\":\"media-status\",\"status\":\"data-loss-imminent\"}").body()).isEqualTo(faults(
                "life-used=80", "temperature=-5", "health-status=maintenance,capacity",
                "media-status=data-loss-imminent"));
        HttpResponse<String> gpf = post("{\"fault\":\"gpf-fail\"}");
        assertThat(gpf.statusCode()).isEqualTo(200);
        assertThat(gpf.body()).contains("\"gpf-fail\"");
        HealthInfo h = device().healthInfo();
        assertThat(h.lifeUsed()).isEqualTo(80);
        assertThat(h.temperature()).isEqualTo(-5);
        assertThat(h.healthStatus()).isEqualTo(0x09);
        assertThat(h.mediaStatus()).isEqualTo(0x09);
        assertThat(device().eventRecords(EventLog.FAILURE)).isNotEmpty();
    }

    @Test
    void correctedError_isOneShot_withAHexOrDecimalDpa_andADefaultCountOf1() throws Exception {
        assertThat(post("{\"fault\":\"corrected-error\",\"dpa\":\"0x1000\",\"count\":3}").body()).isEqualTo(faults());
        assertThat(post("{\"fault\":\"corrected-error\",\"dpa\":268435456}").body()).isEqualTo(faults());
        assertThat(post("{\"fault\":\"corrected-error\",\"dpa\":\"268435520\"}").statusCode()).isEqualTo(200);
        HealthInfo h = device().healthInfo();
        assertThat(h.correctedVolatileErrorCount()).isEqualTo(3);
        assertThat(h.correctedPersistentErrorCount()).isEqualTo(2);
        assertThat(device().eventRecords(EventLog.INFORMATIONAL)).hasSize(5);
    }

    @Test
    void badMembers_are400_andChangeNothing() throws Exception {
        refused("{\"fault\":\"life-used\",\"percent\":101}", "life-used: 'percent' (an integer, 0..100) is required");
        refused("{\"fault\":\"life-used\"}", "life-used: 'percent' (an integer, 0..100) is required");
        refused("{\"fault\":\"life-used\",\"percent\":\"80\"}", "life-used: 'percent' (an integer, 0..100) is required");
        refused("{\"fault\":\"temperature\",\"celsius\":32768}",
                "temperature: 'celsius' (an integer, -32768..32767) is required");
        refused("{\"fault\":\"temperature\",\"celsius\":1.5}",
                "temperature: 'celsius' (an integer, -32768..32767) is required");
        refused("{\"fault\":\"health-status\",\"conditions\":[]}", "health-status: 'conditions' (a non-empty list of "
                + "maintenance, performance, replacement, capacity) is required");
        refused("{\"fault\":\"health-status\",\"conditions\":\"maintenance\"}", "health-status: 'conditions' (a "
                + "non-empty list of maintenance, performance, replacement, capacity) is required");
        refused("{\"fault\":\"health-status\",\"conditions\":[\"maintenance\",\"broken\"]}", "health-status takes a "
                + "comma-separated list of maintenance, performance, replacement and capacity, not 'broken'");
        refused("{\"fault\":\"media-status\",\"status\":\"fine\"}", "media-status takes one of normal, not-ready, "
                + "persistence-lost, data-lost, powerloss-persistence-loss, shutdown-persistence-loss, "
                + "persistence-loss-imminent, powerloss-data-loss, shutdown-data-loss, data-loss-imminent, not 'fine'");
        refused("{\"fault\":\"media-status\"}", "'status' (a string) is required");
        refused("{\"fault\":\"corrected-error\"}", "corrected-error: 'dpa' (a number, or a string in decimal or "
                + "0x-prefixed hexadecimal) is required");
        refused("{\"fault\":\"corrected-error\",\"dpa\":-64}", "corrected-error: 'dpa' must be a number 0 to "
                + "2^63-1, or a string of one in decimal or 0x-prefixed hexadecimal, not -64");
        refused("{\"fault\":\"corrected-error\",\"dpa\":\"0xZZ\"}",
                "corrected-error: 'dpa' must be a decimal or 0x-prefixed hexadecimal number up to 2^63-1, not '0xZZ'");
        refused("{\"fault\":\"corrected-error\",\"dpa\":0,\"count\":0}",
                "corrected-error: 'count' (an integer, 1..4294967295) is required");
        refused("{\"fault\":\"corrected-error\",\"dpa\":0,\"count\":4294967296}",
                "corrected-error: 'count' (an integer, 1..4294967295) is required");
        // a DPA outside the device: the device's to refuse, still a 400
        refused("{\"fault\":\"corrected-error\",\"dpa\":\"0x50000000\"}",
                "corrected-error: DPA 0x50000000 is outside mem0 (0x0..0x4fffffff)");
        refused("{\"fault\":\"gremlins\"}", "unknown fault 'gremlins' (media-disabled, fail-opcode, activation-fail, "
                + "corrupt-staging, late-part, life-used, temperature, health-status, media-status, gpf-fail, "
                + "corrected-error, media-error)");
        refused("{\"fault\":\"media-error\"}", "media-error: 'dpa' (a number, or a string in decimal or "
                + "0x-prefixed hexadecimal) is required");
        refused("{\"fault\":\"media-error\",\"dpa\":0,\"length\":0}",
                "media-error: 'length' must be a positive multiple of 64, not 0");
        refused("{\"fault\":\"media-error\",\"dpa\":64,\"length\":100}", "mem0: media-error of 0x64 bytes at DPA "
                + "0x40 is not a 64-byte aligned range inside 0x0..0x50000000");
        refused("{\"fault\":\"media-error\",\"dpa\":\"0x50000000\"}", "mem0: media-error of 0x40 bytes at DPA "
                + "0x50000000 is not a 64-byte aligned range inside 0x0..0x50000000");
        assertThat(device().faults()).isEmpty();
        HealthInfo h = device().healthInfo();
        assertThat(h).isEqualTo(new HealthInfo(0, 0, HealthInfo.AdditionalStatus.ALL_NORMAL, 0, 25, 0, 0, 0));
        for (EventLog l : EventLog.values()) {
            assertThat(device().eventRecords(l)).isEmpty();
        }
    }
}
