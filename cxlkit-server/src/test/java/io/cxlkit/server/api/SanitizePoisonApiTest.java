package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sanitize, security and poison routes (memdev-commands.md §14, docs/control-api.md) against a
 * real daemon: every bad input is a 400 {@code bad-request} naming it, before the device is
 * touched; a device's refusal is a 422 with its return code.
 */
class SanitizePoisonApiTest {

    private static final DeviceConfig MEM0 = DeviceConfig.defaults(0).toBuilder().timing(Timing.instant())
            .volatileCapacity(256L << 20).build();
    /** mem1's Sanitize runs for ten minutes: it is still running whenever the test looks. */
    private static final DeviceConfig MEM1 = DeviceConfig.defaults(1).toBuilder()
            .timing(Timing.instant().withSanitizeTime(java.time.Duration.ofMinutes(10))).build();

    @RegisterExtension
    final ApiDaemon daemon = new ApiDaemon(MEM0, MEM1);

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return daemon.send(daemon.request(path)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private void badRequest(String method, String path, String body, String message) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + " " + body).isEqualTo(400);
        assertThat(r.body()).as(method + " " + path + " " + body)
                .isEqualTo("{\"error\":\"bad-request\",\"message\":\"" + message + "\"}\n");
    }

    @Test
    void badSanitizeRequestsAre400s() throws Exception {
        String path = "/v1/memdevs/mem0/sanitize";
        badRequest("POST", path, "{\"secure_erase\":\"yes\"}", "'secure_erase' must be true or false");
        badRequest("POST", path, "{\"secureErase\":true}", "unknown member 'secureErase' (secure_erase)");
        badRequest("POST", path, "[]", "a JSON object is required");
    }

    @Test
    void badSecurityWaitsAre400s() throws Exception {
        badRequest("GET", "/v1/memdevs/mem0/security?wait_ms=600001", null, "'wait_ms' is at most 600000, not 600001");
        badRequest("GET", "/v1/memdevs/mem0/security?wait_ms=-1", null,
                "'wait_ms' must be a decimal or 0x-prefixed hexadecimal number up to 2^63-1, not '-1'");
    }

    @Test
    void badPoisonRequestsAre400s() throws Exception {
        String path = "/v1/memdevs/mem0/poison";
        badRequest("POST", path, "{}", "'dpa' (a number, or a string in decimal or 0x-prefixed hexadecimal) is required");
        badRequest("POST", path, "{\"dpa\":\"0x41\"}", "'dpa' must be 64-byte aligned, not 0x41");
        badRequest("POST", path, "{\"dpa\":-64}", "'dpa' must be a number 0 to 2^63-1, or a string of one in decimal or "
                + "0x-prefixed hexadecimal, not -64");
        badRequest("POST", path, "{\"dpa\":64,\"length\":64}", "unknown member 'length' (dpa)");
        badRequest("DELETE", path, null, "'dpa' (decimal or 0x-prefixed hexadecimal) is required");
        badRequest("DELETE", path + "?dpa=0x20", null, "'dpa' must be 64-byte aligned, not 0x20");
        badRequest("DELETE", path + "?dpa=ten", null,
                "'dpa' must be a decimal or 0x-prefixed hexadecimal number up to 2^63-1, not 'ten'");
    }

    @Test
    void anUnknownMemdevIs404EvenWithoutADpa() throws Exception {
        for (String[] r : List.of(new String[] {"POST", "/v1/memdevs/mem9/sanitize"},
                new String[] {"GET", "/v1/memdevs/mem9/security"}, new String[] {"POST", "/v1/memdevs/mem9/poison"},
                new String[] {"DELETE", "/v1/memdevs/mem9/poison"})) {
            HttpResponse<String> a = send(r[0], r[1], r[0].equals("POST") && r[1].endsWith("poison") ? "{\"dpa\":0}" : null);
            assertThat(a.statusCode()).as(r[0] + " " + r[1]).isEqualTo(404);
            assertThat(a.body()).contains("\"error\":\"not-found\"");
        }
    }

    @Test
    void theSecurityStateBeforeAnySanitizeIsDisabledWithNoLastSanitize() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/memdevs/mem0/security", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\n  \"memdev\":\"mem0\",\n  \"security_state\":\"disabled\",\n"
                + "  \"last_sanitize\":null\n}\n");
    }

    private static String state(String memdev, String state) {
        return "{\n  \"memdev\":\"" + memdev + "\",\n  \"security_state\":\"" + state + "\"\n}\n";
    }

    private static String security(String memdev, String state, String lastCode, String lastName) {
        return "{\n  \"memdev\":\"" + memdev + "\",\n  \"security_state\":\"" + state + "\",\n  \"last_sanitize\":"
                + (lastCode == null ? "null" : "{\n    \"return_code\":\"" + lastCode + "\",\n    \"return_code_name\":\""
                + lastName + "\"\n  }") + "\n}\n";
    }

    @Test
    void aSanitizeOfZeroDurationAndASecureEraseAnswer200Disabled() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/memdevs/mem0/sanitize", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(state("mem0", "disabled"));
        assertThat(send("GET", "/v1/memdevs/mem0/security", null).body())
                .isEqualTo(security("mem0", "disabled", "0000h", "Success"));

        HttpResponse<String> e = send("POST", "/v1/memdevs/mem0/sanitize", "{\"secure_erase\":true}");
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.body()).isEqualTo(state("mem0", "disabled"));
    }

    @Test
    void aBackgroundSanitizeIs202ThenSanitizeUntilAColdResetDropsIt() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/memdevs/mem1/sanitize", "{\"secure_erase\":false}");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo(state("mem1", "sanitize"));

        HttpResponse<String> again = send("POST", "/v1/memdevs/mem1/sanitize", "{\"secure_erase\":true}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).isEqualTo("{\"error\":\"sanitize-active\",\"message\":\"mem1: a sanitize is already "
                + "running\"}\n");
        // a short wait answers with the state still sanitize
        assertThat(send("GET", "/v1/memdevs/mem1/security?wait_ms=20", null).body())
                .isEqualTo(security("mem1", "sanitize", null, null));

        assertThat(send("POST", "/v1/memdevs/mem1/reset", null).statusCode()).isEqualTo(200);

        // the reset dropped it: the host saw it end Interrupted; media stays disabled (still pending)
        assertThat(send("GET", "/v1/memdevs/mem1/security?wait_ms=10000", null).body())
                .isEqualTo(security("mem1", "disabled", "0018h", "Interrupted"));
        HttpResponse<String> labels = send("GET", "/v1/memdevs/mem1/labels?size=16", null);
        assertThat(labels.statusCode()).isEqualTo(422);
        assertThat(labels.body()).contains("Media Disabled, 0007h");
        // another Sanitize is the way out: it starts again
        assertThat(send("POST", "/v1/memdevs/mem1/sanitize", null).statusCode()).isEqualTo(202);
    }

    @Test
    void aRefusedGetSecurityStateIs422AndNoSanitizeIsSent() throws Exception {
        assertThat(send("POST", "/v1/memdevs/mem1/faults", "{\"fault\":\"fail-opcode\",\"opcode\":\"4500h\","
                + "\"rc\":\"0007h\",\"cci\":\"mailbox\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> r = send("POST", "/v1/memdevs/mem1/sanitize", null);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).isEqualTo("{\"error\":\"device-error\",\"message\":\"mem1: Get Security State: Media "
                + "Disabled, 0007h\",\"return_code\":\"0007h\",\"return_code_name\":\"Media Disabled\"}\n");
        assertThat(send("GET", "/v1/memdevs/mem1/security", null).body())
                .isEqualTo(security("mem1", "disabled", null, null));
    }

    @Test
    void poisonAndMediaErrorsListInMediaErrorsAndClearTakesThemAway() throws Exception {
        HttpResponse<String> injected = send("POST", "/v1/memdevs/mem0/poison", "{\"dpa\":\"0x10000040\"}");
        assertThat(injected.statusCode()).isEqualTo(200);
        assertThat(injected.body()).isEqualTo("{\n  \"memdev\":\"mem0\",\n  \"dpa\":268435520\n}\n");
        assertThat(send("POST", "/v1/memdevs/mem0/faults", "{\"fault\":\"media-error\",\"dpa\":\"0x1000\","
                + "\"length\":256}").statusCode()).isEqualTo(200);

        // volatile partition first, then the persistent one; no flags
        String listed = send("GET", "/v1/memdevs/mem0?include=media_errors", null).body();
        assertThat(listed).contains("""
                  "media_errors":[
                    {
                      "offset":4096,
                      "length":256,
                      "source":"Internal"
                    },
                    {
                      "offset":268435520,
                      "length":64,
                      "source":"Injected"
                    }
                  ],
                  "cxlkit":{""".indent(2));
        assertThat(send("GET", "/v1/memdevs/mem0", null).body()).doesNotContain("media_errors");

        HttpResponse<String> cleared = send("DELETE", "/v1/memdevs/mem0/poison?dpa=268435520", null);
        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/v1/memdevs/mem0/poison?dpa=0x1000", null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/v1/memdevs/mem0/poison?dpa=0x1040", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/memdevs/mem0?include=media_errors", null).body()).contains("""
                  "media_errors":[
                    {
                      "offset":4224,
                      "length":128,
                      "source":"Internal"
                    }
                  ],""".indent(2));
        assertThat(send("DELETE", "/v1/memdevs/mem0/poison?dpa=0x1080", null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/v1/memdevs/mem0/poison?dpa=0x10c0", null).statusCode()).isEqualTo(200);
        // empty: left out
        assertThat(send("GET", "/v1/memdevs/mem0?include=media_errors", null).body()).doesNotContain("media_errors");
    }

    @Test
    void aPoisonCommandTheDeviceRefusesIs422WithItsCode() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/memdevs/mem0/poison", "{\"dpa\":\"0x50000000\"}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).isEqualTo("{\"error\":\"device-error\",\"message\":\"mem0: Inject Poison: Invalid "
                + "Physical Address, 000Fh\",\"return_code\":\"000Fh\",\"return_code_name\":\"Invalid Physical "
                + "Address\"}\n");
    }

    @Test
    void mediaReadsTheModelsBytesAndRefusesBadRanges() throws Exception {
        HttpResponse<byte[]> r = daemon.send(daemon.request("/v1/memdevs/mem0/media?dpa=0x1000&length=128").GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("application/octet-stream");
        assertThat(r.body()).isEqualTo(new byte[128]);

        badRequest("GET", "/v1/memdevs/mem0/media?dpa=0x1000", null,
                "'dpa' and 'length' (decimal or 0x-prefixed hexadecimal) are required");
        badRequest("GET", "/v1/memdevs/mem0/media?dpa=0&length=2097152", null,
                "'length' is at most 1048576 (1 MiB), not 2097152");
        badRequest("GET", "/v1/memdevs/mem0/media?dpa=0x20&length=64", null, "mem0: media read of 0x40 bytes at DPA "
                + "0x20 is not a 64-byte aligned range inside 0x0..0x50000000 of at most 1048576 bytes");
        badRequest("GET", "/v1/memdevs/mem0/media?dpa=0x4fffffc0&length=128", null, "mem0: media read of 0x80 bytes "
                + "at DPA 0x4fffffc0 is not a 64-byte aligned range inside 0x0..0x50000000 of at most 1048576 bytes");
        assertThat(send("GET", "/v1/memdevs/mem9/media?dpa=0&length=64", null).statusCode()).isEqualTo(404);
    }
}
