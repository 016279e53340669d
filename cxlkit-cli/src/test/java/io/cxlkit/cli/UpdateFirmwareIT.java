package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * ndctl's test/cxl-update-firmware.sh, with real processes: a daemon with 2 devices, 3 slots, a
 * 4 KiB mailbox payload, --fw-verify none and 2 ms per part, driven by the cxlkit command line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpdateFirmwareIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path state;
    private static DaemonProcess daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        state = dir.resolve("state");
        daemon = DaemonProcess.start(state, "--devices", "2", "--slots", "3", "--payload-size", "4KiB",
                "--fw-verify", "none", "--timing", "instant", "--fw-part-time", "2ms");
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        assertThat(daemon.terminate()).isZero();
    }

    private static LauncherProcess.Result cxlkit(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(LauncherProcess.root().resolve("bin/cxlkit").toString());
        cmd.addAll(List.of(args));
        cmd.add("--state-dir");
        cmd.add(state.toString());
        return LauncherProcess.run(dir, LauncherProcess.noChange(), cmd.toArray(String[]::new));
    }

    private static Path image(String name, int mib, long seed) throws IOException {
        byte[] b = new byte[mib << 20];
        new Random(seed).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /** The stored package of a slot, read out through the daemon. */
    private static String slotSha256(String memdev, int slot) throws Exception {
        Path out = dir.resolve(memdev + "-slot" + slot + ".bin");
        LauncherProcess.Result r = cxlkit("fw", "read-slot", memdev, "--slot", Integer.toString(slot), "-o",
                out.toString(), "--force");
        assertThat(r.exit()).as(r.stderr()).isZero();
        return sha256(out);
    }

    private static JsonNode firmware(String stdout, int index) throws IOException {
        return JSON.readTree(stdout).get(index).get("firmware");
    }

    /** The memdev's {@code cxlkit.upload.error} as {@code list --cxlkit} shows it; null after a success. */
    private static String uploadError(String memdev) throws Exception {
        LauncherProcess.Result r = cxlkit("list", "--cxlkit", "-m", memdev);
        assertThat(r.exit()).as(r.stderr()).isZero();
        JsonNode error = JSON.readTree(r.stdout()).get(0).path("cxlkit").path("upload").get("error");
        return error == null ? null : error.asText();
    }

    @Test
    @Order(1)
    void blocking8MiBWithWaitIsStagedInTheNextSlotWithTheFilesDigest() throws Exception {
        Path img = image("fw8.img", 8, 1);
        LauncherProcess.Result r = cxlkit("update-firmware", "mem0", "-F", img.toString(), "--wait");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEqualTo("cxlkit: update-firmware: firmware update completed on 1 mem device\n");
        JsonNode fw = firmware(r.stdout(), 0);
        assertThat(fw.get("active_slot").asInt()).isEqualTo(1);
        assertThat(fw.get("staged_slot").asInt()).isEqualTo(2);
        assertThat(fw.get("fw_update_in_progress").asBoolean()).isFalse();
        assertThat(fw.has("remaining_size")).isFalse();
        assertThat(fw.get("slot_2_version").asText()).startsWith("RAW-");
        assertThat(slotSha256("mem0", 2)).isEqualTo(sha256(img));
    }

    @Test
    @Order(2)
    void nonBlocking16MiBShowsTheUploadInProgressThenCompletes() throws Exception {
        Path img = image("fw16.img", 16, 2);
        LauncherProcess.Result r = cxlkit("update-firmware", "mem1", "-F", img.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEqualTo("cxlkit: update-firmware: firmware update started on 1 mem device\n");
        JsonNode fw = firmware(r.stdout(), 0);
        assertThat(fw.get("fw_update_in_progress").asBoolean()).isTrue();
        assertThat(fw.get("remaining_size").asLong()).isEqualTo(16 << 20);

        // a second upload while this one runs is refused, and the first goes on
        LauncherProcess.Result second = cxlkit("update-firmware", "mem1", "-F", img.toString());
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.stderr()).contains("cxlkit: update-firmware: mem1: ");

        LauncherProcess.Result waited = cxlkit("update-firmware", "mem1", "-w");
        assertThat(waited.exit()).as(waited.stderr()).isZero();
        JsonNode done = firmware(waited.stdout(), 0);
        assertThat(done.get("staged_slot").asInt()).isEqualTo(2);
        assertThat(uploadError("mem1")).isNull();
        assertThat(slotSha256("mem1", 2)).isEqualTo(sha256(img));
    }

    @Test
    @Order(3)
    void twoMemdevsInOneCallThenWaitOnBoth() throws Exception {
        Path img = image("fw2.img", 2, 3);
        LauncherProcess.Result r = cxlkit("update-firmware", "mem0", "mem1", "-F", img.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEqualTo("cxlkit: update-firmware: firmware update started on 2 mem devices\n");
        assertThat(JSON.readTree(r.stdout())).hasSize(2);

        LauncherProcess.Result waited = cxlkit("update-firmware", "all", "-w");
        assertThat(waited.exit()).as(waited.stderr()).isZero();
        assertThat(waited.stderr()).isEqualTo("cxlkit: update-firmware: firmware update completed on 2 mem devices\n");
        // both had slot 1 active: the kernel's rotation picks slot 2 again, replacing the earlier image
        for (int i = 0; i < 2; i++) {
            assertThat(firmware(waited.stdout(), i).get("staged_slot").asInt()).isEqualTo(2);
        }
        assertThat(slotSha256("mem0", 2)).isEqualTo(sha256(img));
        assertThat(slotSha256("mem1", 2)).isEqualTo(sha256(img));
    }

    @Test
    @Order(4)
    void cancelEndsIdleWithUserAbortAndTheSlotUnchanged() throws Exception {
        String before = slotSha256("mem0", 2);
        Path img = image("fw-cancel.img", 16, 4);
        assertThat(cxlkit("update-firmware", "mem0", "-F", img.toString()).exit()).isZero();
        LauncherProcess.Result c = cxlkit("update-firmware", "mem0", "-c", "-w");
        assertThat(c.exit()).as(c.stderr()).isZero();
        assertThat(c.stderr()).isEqualTo("cxlkit: update-firmware: firmware update cancelled on 1 mem device\n");
        JsonNode fw = firmware(c.stdout(), 0);
        assertThat(fw.get("fw_update_in_progress").asBoolean()).isFalse();
        assertThat(fw.has("fw_update_error")).as("ndctl's keys only").isFalse();
        assertThat(uploadError("mem0")).endsWith("user-abort");
        assertThat(slotSha256("mem0", 2)).isEqualTo(before);

        // nothing running now: exactly what ndctl v81's cxl prints (stdout not a terminal), exit 1
        LauncherProcess.Result idle = cxlkit("update-firmware", "mem0", "-c");
        assertThat(idle.exit()).isEqualTo(1);
        assertThat(idle.stdout()).isEqualTo("[\n]\n");
        assertThat(idle.stderr()).isEqualTo("  Warning: no matching devices found\n\n"
                + "cxlkit: update-firmware: firmware update cancelled on 0 mem device\n");

        // and an upload after the cancel works
        Path small = image("fw-after.img", 1, 5);
        LauncherProcess.Result again = cxlkit("update-firmware", "mem0", "-F", small.toString(), "-w");
        assertThat(again.exit()).as(again.stderr()).isZero();
        assertThat(uploadError("mem0")).isNull();
        assertThat(slotSha256("mem0", 2)).isEqualTo(sha256(small));
    }

    @Test
    @Order(5)
    void anUnknownMemdevAmongSeveralIsOneLineAndTheRestAreUpdated_bySerialAndBusToo() throws Exception {
        Path img = image("fw-some.img", 1, 6);
        LauncherProcess.Result r = cxlkit("update-firmware", "mem0", "mem9", "-F", img.toString(), "-w");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEqualTo("cxlkit: update-firmware: no memdev matches mem9\n"
                + "cxlkit: update-firmware: firmware update completed on 1 mem device\n");
        assertThat(JSON.readTree(r.stdout())).hasSize(1);
        assertThat(slotSha256("mem0", 2)).isEqualTo(sha256(img));

        // -S: the arguments are serial numbers (mem1's is 1); -b: the one bus
        Path next = image("fw-serial.img", 1, 7);
        LauncherProcess.Result bySerial = cxlkit("update-firmware", "-S", "0x1", "-b", "root0", "-F",
                next.toString(), "-w");
        assertThat(bySerial.exit()).as(bySerial.stderr()).isZero();
        assertThat(JSON.readTree(bySerial.stdout()).get(0).get("memdev").asText()).isEqualTo("mem1");
        assertThat(slotSha256("mem1", 2)).isEqualTo(sha256(next));

        LauncherProcess.Result none = cxlkit("update-firmware", "mem9", "-F", next.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.stdout()).isEqualTo("[\n]\n");
        assertThat(none.stderr()).isEqualTo("cxlkit: update-firmware: no memdev matches mem9\n"
                + "  Warning: no matching devices found\n\n"
                + "cxlkit: update-firmware: firmware update started on 0 mem device\n");
    }
}
