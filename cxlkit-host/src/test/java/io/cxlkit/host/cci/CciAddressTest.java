package io.cxlkit.host.cci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The three address forms of wire.md §2 and the ones refused. */
class CciAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "tcp:127.0.0.1:2300, tcp://127.0.0.1:2300, 127.0.0.1, 2300",
            "tcp://127.0.0.1:2300, tcp://127.0.0.1:2300, 127.0.0.1, 2300",
            "tcp:localhost:1, tcp://localhost:1, localhost, 1",
            "tcp://example.org:65535, tcp://example.org:65535, example.org, 65535",
            "'tcp:[::1]:2300', 'tcp://[::1]:2300', ::1, 2300",
            "'tcp://[fe80::1%eth0]:9', 'tcp://[fe80::1%eth0]:9', fe80::1%eth0, 9",
    })
    void tcpForms(String text, String canonical, String host, int port) {
        CciAddress a = CciAddress.parse(text);

        assertThat(a.text()).isEqualTo(canonical);
        assertThat(a.toString()).isEqualTo(canonical);
        assertThat(a.socketAddress()).isInstanceOfSatisfying(InetSocketAddress.class, i -> {
            assertThat(i.getHostString()).isEqualTo(host);
            assertThat(i.getPort()).isEqualTo(port);
            assertThat(i.isUnresolved()).isTrue(); // no lookup while parsing
        });
    }

    @Test
    void unixForm() {
        CciAddress a = CciAddress.parse("unix:/run/cxlkit/cci.sock");

        assertThat(a.text()).isEqualTo("unix:/run/cxlkit/cci.sock");
        assertThat(a.socketAddress()).isEqualTo(UnixDomainSocketAddress.of(Path.of("/run/cxlkit/cci.sock")));
        assertThat(CciAddress.parse("unix:relative.sock").socketAddress())
                .isEqualTo(UnixDomainSocketAddress.of(Path.of("relative.sock")));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
            "", "127.0.0.1:2300", "udp:127.0.0.1:2300", "http://127.0.0.1:2300", "TCP:127.0.0.1:2300",
            "tcp:", "tcp://", "tcp:2300", "tcp::2300", "tcp:127.0.0.1", "tcp:127.0.0.1:",
            "tcp:127.0.0.1:0", "tcp:127.0.0.1:65536", "tcp:127.0.0.1:-1", "tcp:127.0.0.1:+80",
            "tcp:127.0.0.1:http", "tcp:127.0.0.1: 80", "tcp:127.0.0.1:99999999999",
            "tcp:[::1]", "tcp:[::1:2300", "tcp:::1]:2300", "tcp:[]:2300", "tcp:::1:2300",
            "unix:",
    })
    void badFormsAreRefusedWithOneLine(String text) {
        assertThatThrownBy(() -> CciAddress.parse(text)).isInstanceOfSatisfying(IllegalArgumentException.class, e -> {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            assertThat(e.getCause()).isNull();
        });
    }

    @Test
    void messagesNameTheProblem() {
        assertThatThrownBy(() -> CciAddress.parse("udp:h:1")).hasMessage(
                "'udp:h:1' is not tcp:HOST:PORT, tcp://HOST:PORT or unix:PATH");
        assertThatThrownBy(() -> CciAddress.parse("tcp:h")).hasMessage("'tcp:h' needs HOST:PORT");
        assertThatThrownBy(() -> CciAddress.parse("tcp:h:x")).hasMessage("'tcp:h:x' has a bad port");
        assertThatThrownBy(() -> CciAddress.parse("tcp:h:0")).hasMessage("'tcp:h:0': port must be 1..65535");
        assertThatThrownBy(() -> CciAddress.parse("unix:")).hasMessage("unix: needs a socket path");
        assertThatThrownBy(() -> CciAddress.parse("tcp:::1:2300")).hasMessageContaining("brackets");
    }
}
