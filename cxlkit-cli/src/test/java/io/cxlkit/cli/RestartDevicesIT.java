package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.LauncherProcess.Result;
import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.server.state.StateDirectory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state directory remembers its devices, through real {@code serve} processes: a restart without
 * {@code --devices} brings every one back, a restart with fewer is refused naming them and loses nothing,
 * {@code --drop-devices} deletes the ones left out, and more adds new ones.
 */
class RestartDevicesIT {

    private static final String[] COMMON = {"--timing", "instant", "--fw-verify", "none"};

    private static String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of(COMMON));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Every file of a device directory and a digest of its bytes. */
    private static Map<String, String> snapshot(Path device) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(device)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                files.put(device.relativize(p).toString(), HexFormat.of().formatHex(digest));
            }
        }
        return files;
    }

    private static List<String> memdevs(DaemonProcess d) throws Exception {
        try (ControlApiClient api = new ControlApiClient(d.info())) {
            List<String> names = new ArrayList<>();
            api.memdevs().json().forEach(m -> names.add(m.path("memdev").asText()));
            return names;
        }
    }

    @Test
    void aStateDirectoryRemembersItsDevices(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        byte[] image = new byte[800];
        new Random(12).nextBytes(image);
        String revision;
        try (DaemonProcess d = DaemonProcess.start(state, args("--devices", "3"))) {
            try (CciClient mem2 = new CciClient(SocketTransport.connect(CciAddress.parse(d.info().cci()), 10))) {
                mem2.transferFw(TransferFwRequest.full(2, ByteBuffer.wrap(image)));
                mem2.activateFw(ActivateFwRequest.onNextReset(2));
                revision = mem2.getFwInfo().revision(2);
            }
            assertThat(d.terminate()).isZero();
        }
        Map<String, String> mem2 = snapshot(state.resolve("mem2"));

        // fewer than persisted: refused before anything starts, naming what it would leave out
        Result fewer = LauncherProcess.run(dir, LauncherProcess.noChange(),
                LauncherProcess.root().resolve("bin/cxlkit").toString(), "serve", "--state-dir", state.toString(),
                "--devices", "2", "--cci-listen", "127.0.0.1:0", "--timing", "instant", "--fw-verify", "none");
        assertThat(fewer.exit()).isEqualTo(1);
        assertThat(fewer.stdout()).isEmpty();
        assertThat(fewer.stderrLines()).containsExactly("cxlkit: serve: " + state + " holds 3 devices (mem0, mem1,"
                + " mem2); --devices 2 would leave out mem2: use --devices 3, or add --drop-devices to delete mem2's"
                + " state");
        assertThat(snapshot(state.resolve("mem2"))).as("nothing lost").isEqualTo(mem2);
        assertThat(state.resolve("daemon.json")).doesNotExist();
        assertThat(StateDirectory.isLocked(state)).isFalse();

        // no --devices: all three come back, mem2 with its firmware (a restart is a cold reset)
        try (DaemonProcess d = DaemonProcess.start(state, args())) {
            assertThat(memdevs(d)).containsExactly("mem0", "mem1", "mem2");
            try (CciClient c = new CciClient(SocketTransport.connect(CciAddress.parse(d.info().cci()), 10))) {
                FwInfo info = c.getFwInfo();
                assertThat(info.activeSlot()).isEqualTo(2);
                assertThat(info.revision(2)).isEqualTo(revision);
                assertThat(c.identify().serialNumber()).isEqualTo(2);
            }
            assertThat(d.terminate()).isZero();
        }

        // more than persisted: new ones beside them
        try (DaemonProcess d = DaemonProcess.start(state, args("--devices", "4"))) {
            assertThat(memdevs(d)).containsExactly("mem0", "mem1", "mem2", "mem3");
            assertThat(d.terminate()).isZero();
        }
        assertThat(state.resolve("mem3/device.properties")).exists();

        // fewer with --drop-devices: the left-out devices' state is deleted
        try (DaemonProcess d = DaemonProcess.start(state, args("--devices", "2", "--drop-devices"))) {
            assertThat(memdevs(d)).containsExactly("mem0", "mem1");
            assertThat(d.log()).contains("dropped mem2", "dropped mem3");
            assertThat(d.terminate()).isZero();
        }
        assertThat(state.resolve("mem2")).doesNotExist();
        assertThat(state.resolve("mem3")).doesNotExist();
        try (DaemonProcess d = DaemonProcess.start(state, args())) {
            assertThat(memdevs(d)).containsExactly("mem0", "mem1");
        }
    }
}
