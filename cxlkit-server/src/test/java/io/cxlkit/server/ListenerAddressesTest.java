package io.cxlkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.DeviceConfig;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Where serve listens (wire.md §1/§2) and the warning for listeners reachable from the network. */
class ListenerAddressesTest {

    private static PlatformConfig config(int devices, List<String> cci, Optional<Path> unix) {
        return new PlatformConfig(Path.of("/tmp/unused"),
                IntStream.range(0, devices).mapToObj(DeviceConfig::defaults).toList(), cci, unix, "127.0.0.1:0", 256);
    }

    @Test
    void theDefaultIsLoopback2300WithoutWarnings() {
        List<String> warnings = new ArrayList<>();
        List<SocketAddress> a = Daemon.listenerAddresses(config(1, List.of(), Optional.empty()), warnings::add);
        assertThat(a).containsExactly(new InetSocketAddress("127.0.0.1", 2300));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aListenerOnANonLoopbackAddressIsOneWarningLine() {
        List<String> warnings = new ArrayList<>();
        Daemon.listenerAddresses(config(1, List.of("0.0.0.0:0"), Optional.empty()), warnings::add);
        assertThat(warnings).singleElement().asString()
                .isEqualTo("CCI endpoint on 0.0.0.0:0 is reachable from the network");
    }

    @Test
    void moreDevicesThanOneListenerServesGetExtraListenersOnTheFirstHost() {
        List<SocketAddress> a = Daemon.listenerAddresses(config(600, List.of("127.0.0.1:2400"), Optional.empty()),
                w -> { });
        // 600 devices need three blocks of 247
        assertThat(a).containsExactly(new InetSocketAddress("127.0.0.1", 2400), new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", 0));
    }

    @Test
    void theUnixSocketComesAfterTheTcpListeners() {
        Path sock = Path.of("/tmp/cxlkit-test.sock");
        List<SocketAddress> a = Daemon.listenerAddresses(config(2, List.of("127.0.0.1:0"), Optional.of(sock)),
                w -> { });
        assertThat(a).containsExactly(new InetSocketAddress("127.0.0.1", 0), UnixDomainSocketAddress.of(sock));
    }
}
