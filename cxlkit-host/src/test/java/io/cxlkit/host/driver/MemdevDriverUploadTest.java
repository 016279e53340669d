package io.cxlkit.host.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.host.cci.MailboxTransport;
import io.cxlkit.host.cci.VirtualTimeRegisters;
import io.cxlkit.host.upload.UploadStage;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.regs.RegisterMap;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole uploads through the host driver, its firmware uploader and the mailbox transport to a real
 * device (realistic timing, virtual clock, package verification on): what `cxlkit update-firmware`
 * does in the daemon.
 */
class MemdevDriverUploadTest {

    private static final Clock WALL = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final VirtualClock clock = new VirtualClock();
    private final List<UploadStatus> published = Collections.synchronizedList(new ArrayList<>());
    private CxlDevice device;
    private VirtualTimeRegisters regs;
    private MemdevDriver driver;

    @BeforeEach
    void openDevice() throws Exception {
        device = CxlDevice.open(DeviceConfig.defaults(0), dir.resolve("mem0"), clock, DeviceThreads.inline(),
                CrashHook.NONE, new PolicyChecker());
        regs = new VirtualTimeRegisters(device.mailbox(), clock, Duration.ofMillis(1));
        driver = new MemdevDriver("mem0", "0000:0d:00.0", 0, new MailboxTransport(regs, clock::nanoTime, "mem0"),
                WALL, published::add);
    }

    @AfterEach
    void close() throws Exception {
        driver.close();
        device.close();
    }

    private static byte[] pkg(String revision, int bodyLength) {
        byte[] body = new byte[bodyLength];
        new Random(bodyLength).nextBytes(body);
        return FirmwarePackage.builder().revision(revision).securityVersion(0).body(body).build().toByteArray();
    }

    private UploadStatus upload(byte[] image) throws Exception {
        Path file = Files.createTempFile(dir, "fw", ".img");
        Files.write(file, image);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return driver.uploader().begin(image.length).run(ch);
        }
    }

    @Test
    void aMultiPartUploadEndsIdleWithSlot2StagedHoldingThePackage() throws Exception {
        byte[] image = pkg("BWFW VERSION 1", 300_000);
        int parts = (image.length + 4095 - 128) / (4096 - 128);

        UploadStatus end = upload(image);

        assertThat(end.stage()).isEqualTo(UploadStage.IDLE);
        assertThat(end.error()).isEmpty();
        assertThat(end.failureMessage()).isEmpty();
        assertThat(end.bytesSent()).isEqualTo(image.length);
        assertThat(end.partsSent()).isEqualTo(parts);
        assertThat(end.remainingSize()).isZero();
        FwInfo info = device.fwInfo();
        assertThat(info.stagedSlot()).isEqualTo(2);
        assertThat(info.activeSlot()).isEqualTo(1);
        assertThat(info.revision(2)).isEqualTo("BWFW VERSION 1");
        assertThat(Files.readAllBytes(device.slotFile(2).orElseThrow())).isEqualTo(image);
        // Every part ran in the background; each was waited on with at most two BG status reads.
        assertThat(regs.reads(RegisterMap.MB_BG_COMMAND_STATUS)).isLessThanOrEqualTo(2 * parts);
        // The host's view through its own driver agrees.
        assertThat(driver.firmwareInfo()).hasValueSatisfying(f -> assertThat(f.stagedSlot()).isEqualTo(2));
        assertThat(driver.identify()).hasValueSatisfying(
                id -> assertThat(id.fwRevision()).isEqualTo("BWFW VERSION 0"));
        assertThat(published.get(published.size() - 1)).isEqualTo(end);
    }

    @Test
    void aColdResetActivatesTheStagedSlotAndTheNextUploadGoesToSlot1() throws Exception {
        assertThat(upload(pkg("BWFW VERSION 1", 20_000)).error()).isEmpty();
        device.coldReset();
        assertThat(driver.identify()).hasValueSatisfying(
                id -> assertThat(id.fwRevision()).isEqualTo("BWFW VERSION 1"));
        assertThat(driver.firmwareInfo()).hasValueSatisfying(f -> assertThat(f.activeSlot()).isEqualTo(2));

        byte[] second = pkg("BWFW VERSION 2", 9_000);
        UploadStatus end = upload(second);

        assertThat(end.error()).isEmpty();
        assertThat(device.fwInfo().stagedSlot()).isEqualTo(1);
        assertThat(Files.readAllBytes(device.slotFile(1).orElseThrow())).isEqualTo(second);
    }

    @Test
    void aSmallPackageGoesAsOneFull() throws Exception {
        byte[] image = pkg("BWFW VERSION 1", 1_000);
        assertThat(image.length + 128).isLessThanOrEqualTo(4096);

        UploadStatus end = upload(image);

        assertThat(end.error()).isEmpty();
        assertThat(end.partsSent()).isEqualTo(1);
        assertThat(Files.readAllBytes(device.slotFile(2).orElseThrow())).isEqualTo(image);
        assertThat(device.fwInfo().stagedSlot()).isEqualTo(2);
    }

    @Test
    void anImageThatIsNotAPackageEndsFirmwareInvalidAndNothingIsStaged() throws Exception {
        byte[] junk = new byte[10_000];
        new Random(7).nextBytes(junk);

        UploadStatus end = upload(junk);

        assertThat(end.failureReason()).contains("bad magic");
        assertThat(end.failureMessage())
                .contains("transferring:firmware-invalid: bad magic (Transfer FW: FW Verification Failed, 000Ah)");
        assertThat(device.fwInfo().stagedSlot()).isZero();
        assertThat(device.slotFile(2)).isEmpty();
    }

    @Test
    void aDamagedPackageSaysWhichDigestsDiffer_andAnOnlineActivationBelowTheFloorSaysSo() throws Exception {
        byte[] image = pkg("BWFW VERSION 1", 20_000);
        image[128 + 10_000] ^= 1;
        String expected = java.util.HexFormat.of().formatHex(
                java.util.Arrays.copyOfRange(image, 0x28, 0x28 + 8));

        UploadStatus end = upload(image);

        assertThat(end.failureReason().orElseThrow()).startsWith("body digest mismatch: expected " + expected + ", found ");

        byte[] sv1 = FirmwarePackage.builder().revision("SV 1").securityVersion(1).body(new byte[100]).build()
                .toByteArray();
        assertThat(upload(sv1).error()).isEmpty();
        driver.activate(2, true); // realistic timing: a background activation, waited for
        assertThat(device.fwInfo().activeSlot()).isEqualTo(2);
        assertThatThrownBy(() -> driver.activate(1, true)) // the factory package, security version 0
                .isInstanceOfSatisfying(io.cxlkit.host.cci.CciCommandException.class, e -> assertThat(e.describe())
                        .isEqualTo("security version 0 is below the device's floor 1 "
                                + "(Activate FW: Activation Failed, FW Rolled Back, 000Ch)"));
    }

    @Test
    void anUploadCancelledMidwayLeavesNoOpenTransferBehind() throws Exception {
        byte[] image = pkg("BWFW VERSION 1", 100_000);
        MemdevDriver[] d = {driver};
        regs.beforeStep(now -> {
            if (d[0].uploader().status().partsSent() == 5) {
                d[0].uploader().cancel();
            }
        });

        UploadStatus end = upload(image);

        assertThat(end.error()).contains("transferring:user-abort");
        assertThat(device.fwInfo().stagedSlot()).isZero();
        regs.beforeStep(now -> { });
        // The Abort closed the device's transfer: a new upload can start at once (no 0008h).
        assertThat(upload(image).error()).isEmpty();
        assertThat(device.fwInfo().stagedSlot()).isEqualTo(2);
    }
}
