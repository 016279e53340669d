package io.cxlkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.server.state.StateDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start binds every listener before it opens a device: an address in use fails it with one line naming the
 * address, the listener and the way out, and leaves nothing behind but the lock file, released. The device
 * plan is decided before that, and a dropped device's state goes only once the listeners are bound.
 */
class DaemonStartTest {

    @TempDir
    Path dir;

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logLines.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        Logger.getLogger("io.cxlkit.server").addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        Logger.getLogger("io.cxlkit.server").removeHandler(capture);
    }

    private static List<DeviceConfig> devices(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> DeviceConfig.defaults(i).toBuilder().timing(Timing.instant()).build()).toList();
    }

    private PlatformConfig config(Path state, List<String> cci, Optional<Path> unix, String http) {
        return new PlatformConfig(state, devices(2), cci, unix, http, PlatformConfig.DEFAULT_MAX_CONNECTIONS);
    }

    /** Nothing but the lock file, and the lock free: the same start works once the address is. */
    private static void assertNothingLeftBehind(Path state) throws IOException {
        try (Stream<Path> entries = Files.list(state)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(StateDirectory.LOCK_FILE);
        }
        assertThat(StateDirectory.isLocked(state)).isFalse();
    }

    private void assertNoDeviceOpened() {
        assertThat(logLines).noneMatch(l -> l.startsWith("opened"));
    }

    @Test
    void aCciAddressInUseFailsBeforeAnyDeviceIsCreated() throws Exception {
        Path state = dir.resolve("state");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> Daemon.start(config(state, List.of("127.0.0.1:" + port), Optional.empty(),
                    "127.0.0.1:0"), w -> { }))
                    .isInstanceOf(ListenException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + port + " (CCI): address in use - is another daemon"
                            + " running? use --cci-listen 127.0.0.1:0 for a free port");
        }
        assertNothingLeftBehind(state);
        assertNoDeviceOpened();
        try (Daemon d = Daemon.start(config(state, List.of("127.0.0.1:0"), Optional.empty(), "127.0.0.1:0"),
                w -> { })) {
            assertThat(d.platform().memdevs()).hasSize(2);
        }
    }

    @Test
    void aControlApiAddressInUseNamesHttpListen() throws Exception {
        Path state = dir.resolve("state");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> Daemon.start(config(state, List.of("127.0.0.1:0"), Optional.empty(),
                    "127.0.0.1:" + port), w -> { }))
                    .isInstanceOf(ListenException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + port + " (control API): address in use - is another"
                            + " daemon running? use --http-listen 127.0.0.1:0 for a free port");
        }
        assertNothingLeftBehind(state);
        assertNoDeviceOpened();
    }

    @Test
    void aLiveUnixSocketIsLeftToItsOwner() throws Exception {
        Path state = dir.resolve("state");
        Path sock = dir.resolve("cci.sock");
        try (ServerSocketChannel owner = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            owner.bind(UnixDomainSocketAddress.of(sock));
            assertThatThrownBy(() -> Daemon.start(config(state, List.of("127.0.0.1:0"), Optional.of(sock),
                    "127.0.0.1:0"), w -> { }))
                    .isInstanceOf(ListenException.class)
                    .hasMessage("cannot listen on " + sock + " (CCI): address in use - another process listens there"
                            + " (is another daemon running?); use another --cci-unix path");
            assertThat(sock).exists();
            SocketChannel.open(UnixDomainSocketAddress.of(sock)).close(); // still its owner's
        }
        assertNothingLeftBehind(state);
        assertNoDeviceOpened();
    }

    @Test
    void aStaleUnixSocketFileIsReplaced() throws Exception {
        Path state = dir.resolve("state");
        Path sock = dir.resolve("cci.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(sock));
        } // closed without removing its file, as a killed daemon leaves it
        assertThat(sock).exists();
        try (Daemon d = Daemon.start(config(state, List.of("127.0.0.1:0"), Optional.of(sock), "127.0.0.1:0"),
                w -> { })) {
            assertThat(d.info().cciListeners()).contains("unix:" + sock);
            SocketChannel.open(UnixDomainSocketAddress.of(sock)).close();
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void aLaterListenerInUseClosesTheOnesBoundBeforeIt() throws Exception {
        Path state = dir.resolve("state");
        Path sock = dir.resolve("cci.sock");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Daemon.start(config(state, List.of("127.0.0.1:0"), Optional.of(sock),
                    "127.0.0.1:" + taken.getLocalPort()), w -> { }))
                    .isInstanceOf(ListenException.class);
        }
        assertThat(sock).as("the Unix socket bound before the control API's failed").doesNotExist();
        assertNothingLeftBehind(state);
    }

    @Test
    void aPlanThatRefusesStopsTheStartBeforeAnythingIsBound() throws Exception {
        Path state = dir.resolve("state");
        try (Daemon d = Daemon.start(config(state, List.of("127.0.0.1:0"), Optional.empty(), "127.0.0.1:0"),
                w -> { })) {
            assertThat(d.platform().memdevs()).hasSize(2);
        }
        List<List<String>> seen = new ArrayList<>();
        DevicePlan refuse = (asked, persisted) -> {
            seen.add(persisted);
            throw new DeviceStateException("refused");
        };
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            PlatformConfig c = new PlatformConfig(state, devices(1), List.of("127.0.0.1:" + taken.getLocalPort()),
                    Optional.empty(), "127.0.0.1:0", 256, PlatformConfig.DEFAULT_CCI_STALL_TIMEOUT,
                    io.cxlkit.server.http.HttpLimits.defaults(), refuse);
            // the plan is asked first: its refusal, not the address in use
            assertThatThrownBy(() -> Daemon.start(c, w -> { })).isInstanceOf(DeviceStateException.class)
                    .hasMessage("refused");
        }
        assertThat(seen).containsExactly(List.of("mem0", "mem1"));
        assertThat(StateDirectory.isLocked(state)).isFalse();
        assertThat(state.resolve("daemon.json")).doesNotExist();
    }

    @Test
    void aDroppedDeviceGoesOnlyOnceTheListenersAreBound() throws Exception {
        Path state = dir.resolve("state");
        try (Daemon d = Daemon.start(config(state, List.of("127.0.0.1:0"), Optional.empty(), "127.0.0.1:0"),
                w -> { })) {
            assertThat(d.platform().memdevs()).hasSize(2);
        }
        DevicePlan dropMem1 = (asked, persisted) -> new DevicePlan.Choice(asked, List.of("mem1"));
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            PlatformConfig c = new PlatformConfig(state, devices(1), List.of("127.0.0.1:" + taken.getLocalPort()),
                    Optional.empty(), "127.0.0.1:0", 256, PlatformConfig.DEFAULT_CCI_STALL_TIMEOUT,
                    io.cxlkit.server.http.HttpLimits.defaults(), dropMem1);
            assertThatThrownBy(() -> Daemon.start(c, w -> { })).isInstanceOf(ListenException.class);
        }
        assertThat(state.resolve("mem1/device.properties")).as("kept: the start failed").exists();
        PlatformConfig c = new PlatformConfig(state, devices(1), List.of("127.0.0.1:0"), Optional.empty(),
                "127.0.0.1:0", 256, PlatformConfig.DEFAULT_CCI_STALL_TIMEOUT, io.cxlkit.server.http.HttpLimits.defaults(),
                dropMem1);
        try (Daemon d = Daemon.start(c, w -> { })) {
            assertThat(d.platform().memdevs()).extracting(Memdev::name).containsExactly("mem0");
        }
        assertThat(state.resolve("mem1")).doesNotExist();
        try (StateDirectory sd = StateDirectory.acquire(state, w -> { })) {
            assertThat(sd.persistedDevices()).containsExactly("mem0");
        }
    }
}
