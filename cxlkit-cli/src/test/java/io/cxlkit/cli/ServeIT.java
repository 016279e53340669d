package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.host.cci.CciAddress;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.TransferFwRequest;
import io.cxlkit.server.state.DaemonInfo;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxlkit serve} as a real process: endpoint, daemon file, lock, restart, shutdown. */
class ServeIT {

    @Test
    void twoDevicesAnswerAtEids8And9AndKeepTheirSlotsAcrossAKill(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        byte[] image = new byte[800]; // header + data must fit the MCTP CCI's 1 KiB message
        new Random(7).nextBytes(image);
        String revision;
        try (DaemonProcess d = DaemonProcess.start(state, "--devices", "2", "--timing", "instant", "--fw-verify",
                "none")) {
            CciAddress cci = CciAddress.parse(d.info().cci());
            try (CciClient mem0 = new CciClient(SocketTransport.connect(cci, 8));
                 CciClient mem1 = new CciClient(SocketTransport.connect(cci, 9))) {
                assertThat(mem0.identify().serialNumber()).isZero();
                assertThat(mem1.identify().serialNumber()).isEqualTo(1);
                mem1.transferFw(TransferFwRequest.full(2, ByteBuffer.wrap(image)));
                mem1.activateFw(ActivateFwRequest.onNextReset(2));
                FwInfo info = mem1.getFwInfo();
                assertThat(info.stagedSlot()).isEqualTo(2);
                revision = info.revision(2);
                assertThat(revision).startsWith("RAW-");
                assertThat(mem0.getFwInfo().revision(2)).isEmpty();
            }
            d.kill();
        }
        // the killed daemon left a stale daemon.json that clients must not trust
        assertThat(state.resolve("daemon.json")).exists();
        assertThat(DaemonInfo.find(state)).isEmpty();

        try (DaemonProcess d = DaemonProcess.start(state, "--devices", "2", "--timing", "instant", "--fw-verify",
                "none")) {
            try (CciClient mem1 = new CciClient(SocketTransport.connect(CciAddress.parse(d.info().cci()), 9))) {
                FwInfo info = mem1.getFwInfo();
                // a restart is a cold reset: the staged slot became active
                assertThat(info.activeSlot()).isEqualTo(2);
                assertThat(info.stagedSlot()).isZero();
                assertThat(info.revision(2)).isEqualTo(revision);
                assertThat(mem1.identifyMemoryDevice().fwRevision()).isEqualTo(revision);
            }
        }
    }

    @Test
    void aSecondServeOnTheSameDirectoryIsRefused(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess d = DaemonProcess.start(state, "--timing", "instant")) {
            LauncherProcess.Result second = LauncherProcess.run(dir, env -> env.put("CXLKIT_NO_BUILD", "1"),
                    LauncherProcess.root().resolve("bin/cxlkit").toString(), "serve", "--state-dir", state.toString(),
                    "--cci-listen", "127.0.0.1:0");
            assertThat(second.exit()).isEqualTo(1);
            assertThat(second.stderrLines()).singleElement().asString()
                    .isEqualTo("cxlkit: serve: " + state.toAbsolutePath() + " is in use by pid " + d.info().pid());
        }
    }

    @Test
    void sigtermStopsCleanlyAndRemovesTheDaemonFile(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess d = DaemonProcess.start(state, "--timing", "instant")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("daemon.json"))))
                    .isEqualTo("rw-------");
            long start = System.nanoTime();
            assertThat(d.terminate()).isZero();
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
            assertThat(state.resolve("daemon.json")).doesNotExist();
        }
    }

    @Test
    void theControlApiWantsTheToken(@TempDir Path dir) throws Exception {
        try (DaemonProcess d = DaemonProcess.start(dir.resolve("state"), "--timing", "instant")) {
            HttpURLConnection c = (HttpURLConnection) URI.create(d.info().http() + "/v1/memdevs").toURL()
                    .openConnection();
            assertThat(c.getResponseCode()).isEqualTo(401);
            assertThat(new String(c.getErrorStream().readAllBytes()))
                    .isEqualTo("{\"error\":\"unauthorized\",\"message\":\"missing or wrong bearer token\"}\n");
            HttpURLConnection ok = (HttpURLConnection) URI.create(d.info().http() + "/v1/memdevs/mem0").toURL()
                    .openConnection();
            ok.setRequestProperty("Authorization", "Bearer " + d.info().token());
            assertThat(ok.getResponseCode()).isEqualTo(200);
            assertThat(new String(ok.getInputStream().readAllBytes())).contains("\"memdev\":\"mem0\"");
        }
    }

    @Test
    void aBadOptionIsOneLineAndExit2BeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        for (String[] bad : new String[][] {{"--slots", "5"}, {"--payload-size", "3000"}, {"--fw-max-size", "64"},
                {"--timing", "slow"}, {"--fw-part-timeout", "30"}, {"--log-level", "loud"},
                {"--fw-verify", "signed"}, {"--online-activate", "maybe"}}) {
            String[] cmd = new String[4 + bad.length];
            cmd[0] = LauncherProcess.root().resolve("bin/cxlkit").toString();
            cmd[1] = "serve";
            cmd[2] = "--state-dir";
            cmd[3] = state.toString();
            System.arraycopy(bad, 0, cmd, 4, bad.length);
            LauncherProcess.Result r = LauncherProcess.run(dir, env -> env.put("CXLKIT_NO_BUILD", "1"), cmd);
            assertThat(r.exit()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(r.stderrLines()).as(String.join(" ", bad)).singleElement().asString()
                    .startsWith("cxlkit: serve: ");
            assertThat(state).as(String.join(" ", bad)).doesNotExist();
        }
    }
}
