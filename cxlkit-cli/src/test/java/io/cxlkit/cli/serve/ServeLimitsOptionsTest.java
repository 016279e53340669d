package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.server.PlatformConfig;
import io.cxlkit.server.http.HttpLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The bounds on slow clients as {@code serve} options and as a config file's {@code limits}
 * mapping: defaults, flags over the file, and one line with exit 2 for a bad value.
 */
class ServeLimitsOptionsTest extends ServeOptionsTestBase {

    @Test
    void theDefaultsAreSafeBounds() {
        PlatformConfig c = config();

        assertThat(c.maxConnections()).isEqualTo(256);
        assertThat(c.cciStallTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.httpLimits()).isEqualTo(HttpLimits.defaults());
        assertThat(c.httpLimits().headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.httpLimits().bodyIdleTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.httpLimits().maxConnections()).isEqualTo(512);
    }

    @Test
    void flagsSetEveryBound() {
        PlatformConfig c = config("--max-connections", "10", "--cci-stall-timeout", "300ms",
                "--http-header-timeout", "2s", "--http-body-timeout", "1m", "--http-max-connections", "20");

        assertThat(c.maxConnections()).isEqualTo(10);
        assertThat(c.cciStallTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.httpLimits().headerTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.httpLimits().bodyIdleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.httpLimits().maxConnections()).isEqualTo(20);
    }

    @Test
    void aConfigFileSetsThemAndFlagsWin() throws Exception {
        Path file = yaml("""
                devices:
                  - name: mem0
                limits:
                  max_connections: 8
                  cci_stall_timeout: 2s
                  http_header_timeout: 3s
                  http_body_timeout: 4s
                  http_max_connections: 9
                """);

        PlatformConfig fromFile = config("--config", file.toString());
        PlatformConfig flagsWin = config("--config", file.toString(), "--http-body-timeout", "7s",
                "--max-connections", "99");

        assertThat(fromFile.maxConnections()).isEqualTo(8);
        assertThat(fromFile.cciStallTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fromFile.httpLimits()).isEqualTo(new HttpLimits(Duration.ofSeconds(3), Duration.ofSeconds(4),
                HttpLimits.DEFAULT_KEEP_ALIVE_TIMEOUT, 9));
        assertThat(flagsWin.maxConnections()).isEqualTo(99);
        assertThat(flagsWin.httpLimits().bodyIdleTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(flagsWin.httpLimits().headerTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aBadValueIsOneLineAndExit2() throws Exception {
        String[][] bad = {
                {"--cci-stall-timeout", "5", "cxlkit: serve: '5' is not a duration (a number with ms, s or m)"},
                {"--http-header-timeout", "0s", "cxlkit: serve: --http-header-timeout must be more than 0, not 0ms"},
                {"--http-body-timeout", "soon", "cxlkit: serve: 'soon' is not a duration (a number with ms, s or m)"},
                {"--http-max-connections", "0", "cxlkit: serve: --http-max-connections must be at least 1, not 0"},
                {"--max-connections", "0", "cxlkit: serve: --max-connections must be at least 1, not 0"},
        };
        for (String[] b : bad) {
            Run r = run(b[0], b[1]);
            assertThat(r.exit()).as(b[0]).isEqualTo(2);
            assertThat(r.err().lines()).as(b[0]).containsExactly(b[2] + " (try 'cxlkit serve --help')");
        }
        for (String[] b : new String[][] {
                {"  http_header_timeout: 10\n", "'http_header_timeout' must be a duration such as 10s, not 10"},
                {"  oops: 1\n", "unknown key 'oops'"},
                {"  http_max_connections: many\n", "'http_max_connections' has a bad value: \"many\""}}) {
            Path file = yaml("devices:\n  - name: mem0\nlimits:\n" + b[0]);
            Run r = run("--config", file.toString());
            assertThat(r.exit()).as(b[0]).isEqualTo(2);
            assertThat(r.err().lines()).as(b[0]).containsExactly("cxlkit: serve: " + file + ": limits: " + b[1]
                    + " (try 'cxlkit serve --help')");
        }
        assertThat(dir.resolve("state")).doesNotExist();
    }
}
