package io.cxlkit.cli.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.cxlkit.cli.Cli;
import io.cxlkit.cli.TerminalScreen;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.host.upload.UploadStatus;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.KeyIds;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxlkit update-firmware} against an in-process daemon (cli.md "update-firmware"): what -F,
 * -w and -c print and return, the refusals before anything is sent, and the {@code --cci} upload.
 */
class UpdateFirmwareCommandTest {

    private static final String NEW = "BWFW VERSION 1";
    private static final String STARTED_1 = "cxlkit: update-firmware: firmware update started on 1 mem device";
    private static final String COMPLETED_1 = "cxlkit: update-firmware: firmware update completed on 1 mem device";
    private static final String CANCELLED_1 = "cxlkit: update-firmware: firmware update cancelled on 1 mem device";
    private static final String CANCELLED_0 = "cxlkit: update-firmware: firmware update cancelled on 0 mem device";
    /** ndctl's warning for an empty device list, word for word (as io.cxlkit.cli.Expected, not visible here). */
    private static final String NO_MATCHING_DEVICES = "  Warning: no matching devices found\n\n";
    private static final String EMPTY_ARRAY = "[\n]\n";

    @TempDir
    Path dir;

    // ---- devices and images -------------------------------------------------------------------

    /** --fw-verify none; each Transfer FW part takes {@code partMillis}. */
    private static DeviceConfig none(int i, long partMillis) {
        return UpdateDaemon.device(i, VerifyPolicy.NONE, Duration.ofMillis(partMillis));
    }

    private static DeviceConfig packagePolicy(int i) {
        return UpdateDaemon.device(i, VerifyPolicy.PACKAGE, Duration.ofMillis(1));
    }

    private UpdateDaemon start(DeviceConfig... devices) throws Exception {
        return UpdateDaemon.start(dir.resolve("state"), devices);
    }

    private Path pkg(String name, String revision, int bodyBytes) throws Exception {
        byte[] body = new byte[bodyBytes];
        new Random(bodyBytes).nextBytes(body);
        Path file = dir.resolve(name);
        FirmwarePackage.builder().revision(revision).body(body).build().writeTo(file);
        return file;
    }

    /** A package of about 75 KiB: 19 parts of 3968 bytes through the 4 KiB mailbox. */
    private Path pkg75k() throws Exception {
        return pkg("fw75k.pkg", NEW, 75_000);
    }

    /** A package of about 400 KiB: 102 parts; on a 50 ms-per-part device it runs for 5 s. */
    private Path pkg400k() throws Exception {
        return pkg("fw400k.pkg", NEW, 400_000);
    }

    private Path raw(String name, int size) throws Exception {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    // ---- the JSON cli.md fixes ----------------------------------------------------------------

    private static List<String> fw(String... lines) {
        return List.of(lines);
    }

    private static List<String> accepted(long size) {
        return fw("\"num_slots\":2", "\"active_slot\":1", "\"online_activate_capable\":true",
                "\"slot_1_version\":\"BWFW VERSION 0\"", "\"fw_update_in_progress\":true",
                "\"remaining_size\":" + size);
    }

    private static List<String> staged(String revision) {
        return fw("\"num_slots\":2", "\"active_slot\":1", "\"staged_slot\":2", "\"online_activate_capable\":true",
                "\"slot_1_version\":\"BWFW VERSION 0\"", "\"slot_2_version\":\"" + revision + "\"",
                "\"fw_update_in_progress\":false");
    }

    private static List<String> factory() {
        return fw("\"num_slots\":2", "\"active_slot\":1", "\"online_activate_capable\":true",
                "\"slot_1_version\":\"BWFW VERSION 0\"", "\"fw_update_in_progress\":false");
    }

    /** memN's object (json-c pretty, 2-space indent) with the given firmware object lines. */
    private static List<String> memdev(int i, List<String> firmware) {
        List<String> o = new ArrayList<>();
        o.add("{");
        o.add("  \"memdev\":\"mem" + i + "\",");
        o.add("  \"pmem_size\":1073741824,");
        o.add("  \"serial\":" + i + ",");
        o.add("  \"host\":\"" + DeviceConfig.pciAddress(i) + "\",");
        o.add("  \"firmware_version\":\"BWFW VERSION 0\",");
        o.add("  \"firmware\":{");
        for (int k = 0; k < firmware.size(); k++) {
            o.add("    " + firmware.get(k) + (k < firmware.size() - 1 ? "," : ""));
        }
        o.add("  }");
        o.add("}");
        return o;
    }

    /** An array of memdev objects, as update-firmware prints them off a terminal. */
    @SafeVarargs
    private static String array(List<String>... objects) {
        StringBuilder b = new StringBuilder("[\n");
        for (int k = 0; k < objects.length; k++) {
            List<String> o = objects[k];
            for (int l = 0; l < o.size(); l++) {
                b.append("  ").append(o.get(l));
                if (l == o.size() - 1 && k < objects.length - 1) {
                    b.append(',');
                }
                b.append('\n');
            }
        }
        return b.append("]\n").toString();
    }

    private static void assertUntouched(UpdateDaemon d, String memdev) {
        UploadStatus s = d.status(memdev);
        assertThat(s.inProgress()).isFalse();
        assertThat(s.started()).as("an upload was started").isEmpty();
        assertThat(d.slotFile(memdev, 2)).isEmpty();
    }

    // ---- -F ----------------------------------------------------------------------------------

    @Test
    void fileAloneStartsTheUploadAndPrintsTheObjectAtAcceptance() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            Path img = pkg75k();
            Cli.Run r = d.run("update-firmware", "mem0", "-F", img.toString());
            assertThat(r.err()).isEqualTo(STARTED_1 + "\n");
            assertThat(r.out()).isEqualTo(array(memdev(0, accepted(Files.size(img)))));
            assertThat(r.exit()).isZero();

            assertThat(d.awaitIdle("mem0").error()).isEmpty();
            assertThat(Files.readAllBytes(d.slotFile("mem0", 2).orElseThrow())).isEqualTo(Files.readAllBytes(img));
        }
    }

    @Test
    void fileAndWaitPrintsTheFinalObject() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            Path img = pkg75k();
            Cli.Run r = d.run("update-firmware", "mem0", "-F", img.toString(), "-w");
            assertThat(r.err()).isEqualTo(COMPLETED_1 + "\n");
            assertThat(r.out()).isEqualTo(array(memdev(0, staged(NEW))));
            assertThat(r.exit()).isZero();
            assertThat(Files.readAllBytes(d.slotFile("mem0", 2).orElseThrow())).isEqualTo(Files.readAllBytes(img));
            UploadStatus s = d.status("mem0");
            assertThat(s.bytesSent()).isEqualTo(Files.size(img));
            assertThat(s.partsSent()).isEqualTo(19);
        }
    }

    @Test
    void aRawImageUnderTheNonePolicyGetsARawRevision() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            Path img = raw("fw.bin", 10_000);
            Cli.Run r = d.run("update-firmware", "0", "--firmware-file", img.toString(), "--wait");
            String rev = PackageVerifier.rawRevision(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(img)));
            assertThat(rev).startsWith("RAW-").hasSize(16);
            assertThat(r.out()).isEqualTo(array(memdev(0, staged(rev))));
            assertThat(r.exit()).isZero();
        }
    }

    @Test
    void twoMemdevsAreCountedInThePlural() throws Exception {
        try (UpdateDaemon d = start(none(0, 1), none(1, 1))) {
            Path img = pkg75k();
            Cli.Run r = d.run("update-firmware", "mem0", "mem1", "-F", img.toString(), "-w");
            assertThat(r.err()).isEqualTo("cxlkit: update-firmware: firmware update completed on 2 mem devices\n");
            assertThat(r.out()).isEqualTo(array(memdev(0, staged(NEW)), memdev(1, staged(NEW))));
            assertThat(r.exit()).isZero();
        }
    }

    @Test
    void allStartsEveryMemdev() throws Exception {
        try (UpdateDaemon d = start(none(0, 1), none(1, 1))) {
            Path img = pkg75k();
            Cli.Run r = d.run("update-firmware", "all", "-F", img.toString());
            assertThat(r.err()).isEqualTo("cxlkit: update-firmware: firmware update started on 2 mem devices\n");
            long size = Files.size(img);
            assertThat(r.out()).isEqualTo(array(memdev(0, accepted(size)), memdev(1, accepted(size))));
            assertThat(r.exit()).isZero();
            d.awaitIdle("mem0");
            d.awaitIdle("mem1");
        }
    }

    // ---- -w ----------------------------------------------------------------------------------

    @Test
    void waitWithNothingRunningReturnsAtOnceAndSucceeds() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            long t0 = System.nanoTime();
            Cli.Run r = d.run("update-firmware", "mem0", "-w");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.exit()).isZero();
            assertThat(r.err()).isEqualTo(COMPLETED_1 + "\n");
            assertThat(r.out()).isEqualTo(array(memdev(0, factory())));
            assertThat(ms).as("returned after %d ms", ms).isLessThan(UploadWaiter.POLL_MILLIS * 10);
        }
    }

    @Test
    void waitAloneWaitsForTheRunningUpload() throws Exception {
        try (UpdateDaemon d = start(none(0, 50))) { // 19 parts: about 1 s
            Path img = pkg75k();
            assertThat(d.run("update-firmware", "mem0", "-F", img.toString()).exit()).isZero();
            Cli.Run r = d.run("update-firmware", "mem0", "-w", "-v");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(array(memdev(0, staged(NEW))));
            List<String> lines = r.errLines();
            assertThat(lines.get(lines.size() - 1)).isEqualTo(COMPLETED_1);
            // -v: the stages seen, each once, ending with what happened
            assertThat(lines.subList(0, lines.size() - 1)).doesNotHaveDuplicates()
                    .contains("cxlkit: update-firmware: mem0: transferring")
                    .endsWith("cxlkit: update-firmware: mem0: staged in slot 2, active after the next cold reset");
            assertThat(d.status("mem0").error()).isEmpty();
        }
    }

    @Test
    void aFailedUploadUnderWaitPrintsItsErrorAndExits1() throws Exception {
        try (UpdateDaemon d = start(packagePolicy(0))) {
            Path img = raw("not-a-package.bin", 20_000); // 6 parts: End fails verification
            Cli.Run r = d.run("update-firmware", "mem0", "-F", img.toString(), "-w");
            assertThat(r.exit()).isEqualTo(1);
            // ndctl's object as ndctl prints it after a failure: the error is on stderr and in --cxlkit
            assertThat(r.out()).isEqualTo(array(memdev(0, factory())));
            assertThat(r.errLines()).containsExactly(
                    "cxlkit: update-firmware: mem0: transferring:firmware-invalid: bad magic "
                            + "(Transfer FW: FW Verification Failed, 000Ah)",
                    "cxlkit: update-firmware: firmware update completed on 0 mem device");
            assertThat(d.slotFile("mem0", 2)).isEmpty();
            assertThat(d.run("list", "-F", "--cxlkit").out()).doesNotContain("fw_update_error")
                    .contains("\"fw_update_in_progress\":false\n    },\n    \"cxlkit\":{")
                    .contains("\"status\":\"idle\",\n        \"error\":\"transferring:firmware-invalid\",\n"
                            + "        \"reason\":\"bad magic\",");
        }
    }

    @Test
    void anUntrustedKeysPackageSaysWhichKey_onStderr_inListCxlkit_andOverTheSocket() throws Exception {
        KeyPair trusted = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        DeviceConfig signed = packagePolicy(0).toBuilder().verifyPolicy(VerifyPolicy.SIGNED)
                .trustedKeys(List.of(trusted.getPublic())).build();
        Path img = dir.resolve("stranger.pkg");
        FirmwarePackage.builder().revision(NEW).body(new byte[20_000]).sign(stranger.getPrivate(), stranger.getPublic())
                .build().writeTo(img);
        String reason = "signed by key " + KeyIds.of(stranger.getPublic()) + ", which is not trusted by this device";
        String line = "transferring:firmware-invalid: " + reason + " (Transfer FW: FW Verification Failed, 000Ah)";
        try (UpdateDaemon d = start(signed)) {
            Cli.Run r = d.run("update-firmware", "mem0", "-F", img.toString(), "-w");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly("cxlkit: update-firmware: mem0: " + line,
                    "cxlkit: update-firmware: firmware update completed on 0 mem device");
            assertThat(r.out()).as("ndctl's objects get nothing new").isEqualTo(array(memdev(0, factory())));

            Cli.Run list = d.run("list", "--cxlkit");
            assertThat(list.out()).contains("\"error\":\"transferring:firmware-invalid\",\n"
                    + "        \"reason\":\"" + reason + "\",\n        \"opcode\":\"0201h\",");

            Cli.Run socket = Cli.run("update-firmware", "--cci", d.cci(), "--eid", "8", "-F", img.toString());
            assertThat(socket.errLines()).containsExactly("cxlkit: update-firmware: EID 8: " + line);
            assertThat(socket.out()).contains("\"error\":\"" + line + "\"");
            assertThat(socket.exit()).isEqualTo(1);
        }
    }

    @Test
    void aNonPackageThatFitsOneFullFailsTheSameWay() throws Exception {
        try (UpdateDaemon d = start(packagePolicy(0))) {
            Path img = raw("small.bin", 1000);
            Cli.Run r = d.run("update-firmware", "mem0", "-F", img.toString(), "-w");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).first().isEqualTo("cxlkit: update-firmware: mem0: "
                    + "transferring:firmware-invalid: bad magic (Transfer FW: FW Verification Failed, 000Ah)");
            assertThat(d.status("mem0").partsSent()).isZero();
        }
    }

    /** The staged outcome as a line of its own under a bar line at 80 columns (label "mem0"). */
    private static final String STAGED_LINE = "     staged in slot 2, active after the next cold reset";

    @Test
    void onAStderrTerminalWaitDrawsAProgressBarThere() throws Exception {
        try (UpdateDaemon d = start(none(0, 20))) { // 19 parts: about 400 ms
            Path img = pkg75k();
            Cli.Run r = Cli.runOnStderrTerminal(80,
                    d.withStateDir("update-firmware", "mem0", "-F", img.toString(), "-w"));
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(array(memdev(0, staged(NEW))));
            assertThat(r.err()).startsWith("\rmem0 [").endsWith("\n" + COMPLETED_1 + "\n");
            // redrawn in place: the screen shows the last drawing and the summary, nothing stacked
            TerminalScreen screen = TerminalScreen.of(r.err(), 80);
            assertThat(screen.wraps()).isZero();
            assertThat(screen.lines()).hasSize(3);
            // 79 columns: "mem0 [" + 29 + "] 0.1/0.1 MiB 100%" and room for the rate and an ETA
            assertThat(screen.lines().get(0)).matches("mem0 \\[#{29}\\] 0\\.1/0\\.1 MiB 100%  [0-9.]+ MiB/s");
            assertThat(screen.lines().subList(1, 3)).containsExactly(STAGED_LINE, COMPLETED_1);

            // off a terminal there is never a bar
            Cli.Run plain = d.run("update-firmware", "mem0", "-F", img.toString(), "-w");
            assertThat(plain.err()).isEqualTo(COMPLETED_1 + "\n");
        }
    }

    @Test
    void threeMemdevsOnA50ColumnTerminalGetALineEachAndATotal() throws Exception {
        try (UpdateDaemon d = start(none(0, 20), none(1, 20), none(2, 20))) {
            Path img = pkg75k();
            Cli.Run r = Cli.runOnStderrTerminal(50,
                    d.withStateDir("update-firmware", "all", "-F", img.toString(), "-w"));
            assertThat(r.exit()).isZero();
            TerminalScreen screen = TerminalScreen.of(r.err(), 50);
            assertThat(screen.wraps()).as("the summary line, 67 characters, wraps; no bar does").isOne();
            // 49 columns: the rate fits next to a bar of 10, an ETA does not; the outcome goes below
            String bar = " \\[##########\\] 0\\.1/0\\.1 MiB 100%  [0-9.]+ MiB/s";
            List<String> lines = screen.lines();
            assertThat(lines).hasSize(12);
            for (int i = 0; i < 3; i++) {
                assertThat(lines.get(3 * i)).matches("mem" + i + " " + bar);
                assertThat(lines.subList(3 * i + 1, 3 * i + 3)).containsExactly(
                        "      staged in slot 2, active after the next", "      cold reset");
            }
            assertThat(lines.get(9)).matches("total \\[##########\\] 0\\.2/0\\.2 MiB 100%  [0-9.]+ MiB/s");
            assertThat(lines.subList(10, 12)).containsExactly("cxlkit: update-firmware: firmware update completed",
                    " on 3 mem devices");
            assertThat(lines.subList(0, 10)).allMatch(l -> l.length() < 50);
        }
    }

    @Test
    void verboseMessagesGoAboveTheBarsNeverIntoThem() throws Exception {
        try (UpdateDaemon d = start(none(0, 20), none(1, 20))) {
            Path img = pkg75k();
            // wide enough for every message: a message may wrap, but this shows that none went into a bar
            Cli.Run r = Cli.runOnStderrTerminal(120,
                    d.withStateDir("update-firmware", "mem0", "mem1", "-F", img.toString(), "-w", "-v"));
            assertThat(r.exit()).isZero();
            TerminalScreen screen = TerminalScreen.of(r.err(), 120);
            assertThat(screen.wraps()).isZero();
            List<String> lines = screen.lines();
            int bars = lines.indexOf(lines.stream().filter(l -> l.startsWith("mem0  [")).findFirst().orElseThrow());
            // above the bars: whole messages, each stage of each memdev once, the final states last
            List<String> messages = lines.subList(0, bars);
            assertThat(messages).allMatch(l -> l.matches("cxlkit: update-firmware: mem[01]: [a-z ,0-9]+"))
                    .doesNotHaveDuplicates()
                    .contains("cxlkit: update-firmware: mem0: transferring", "cxlkit: update-firmware: mem1: transferring",
                            "cxlkit: update-firmware: mem0: staged in slot 2, active after the next cold reset",
                            "cxlkit: update-firmware: mem1: staged in slot 2, active after the next cold reset");
            // below: the bars' last drawing, then the summary
            assertThat(lines.subList(bars, lines.size())).hasSize(6).last().isEqualTo(
                    "cxlkit: update-firmware: firmware update completed on 2 mem devices");
            assertThat(lines.get(bars + 1)).isEqualTo(" " + STAGED_LINE);
            assertThat(lines.get(bars + 2)).startsWith("mem1  [");
            assertThat(lines.get(bars + 4)).startsWith("total [");
        }
    }

    /** The lines of a screen {@code columns} wide that the bar's last drawing left, and what followed. */
    private static List<String> screen(String err, int columns) {
        TerminalScreen screen = TerminalScreen.of(err, columns);
        assertThat(screen.wraps()).isZero();
        return screen.lines();
    }

    @Test
    void theBarOfACancelledUploadEndsWhereItStopped() throws Exception {
        try (UpdateDaemon d = start(none(0, 50))) {
            Path img = pkg400k();
            assertThat(d.run("update-firmware", "mem0", "-F", img.toString()).exit()).isZero();
            d.await("mem0", s -> s.partsSent() >= 1);
            Cli.Run r = Cli.runOnStderrTerminal(80, d.withStateDir("update-firmware", "mem0", "-c", "-w"));
            assertThat(r.exit()).isZero();
            assertThat(r.err()).startsWith("\rmem0 [").endsWith("\n" + CANCELLED_1 + "\n");
            UploadStatus end = d.status("mem0");
            assertThat(end.bytesSent()).isLessThan(Files.size(img));
            List<String> lines = screen(r.err(), 80);
            assertThat(lines).hasSize(2).last().isEqualTo(CANCELLED_1);
            assertThat(lines.get(0)).startsWith("mem0 [").endsWith("  cancelled").doesNotContain("100%")
                    .contains(String.format(java.util.Locale.ROOT, "/0.4 MiB %3d%%",
                            end.bytesSent() * 100 / Files.size(img)));
        }
    }

    @Test
    void theBarOfAFailedUploadEndsWhereItStopped() throws Exception {
        try (UpdateDaemon d = start(packagePolicy(0))) {
            Path img = raw("not-a-package.bin", 20_000); // End fails: 5 of 6 parts acknowledged
            // wide enough for the error line (114 characters) and for the outcome after the bar
            Cli.Run r = Cli.runOnStderrTerminal(130,
                    d.withStateDir("update-firmware", "mem0", "-F", img.toString(), "-w"));
            assertThat(r.exit()).isEqualTo(1);
            assertThat(d.status("mem0").bytesSent()).isEqualTo(5 * 3968);
            List<String> lines = screen(r.err(), 130);
            // 19840 of 20000 bytes: 49 of 50 columns (a rate only if the wait saw the upload move)
            assertThat(lines.get(0)).matches("mem0 \\[#{49}\\.\\] 0\\.0/0\\.0 MiB  99%(  [0-9.]+ MiB/s)?"
                    + "  failed: transferring:firmware-invalid");
            assertThat(lines.subList(1, lines.size())).containsExactly(
                    "cxlkit: update-firmware: mem0: transferring:firmware-invalid: bad magic "
                            + "(Transfer FW: FW Verification Failed, 000Ah)",
                    "cxlkit: update-firmware: firmware update completed on 0 mem device");
        }
    }

    @Test
    void waitWithNothingRunningDrawsNoBarForAnEarlierUpload() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            assertThat(d.run("update-firmware", "mem0", "-F", pkg75k().toString(), "-w").exit()).isZero();
            Cli.Run r = Cli.runOnStderrTerminal(d.withStateDir("update-firmware", "mem0", "-w"));
            assertThat(r.exit()).isZero();
            assertThat(r.err()).isEqualTo(COMPLETED_1 + "\n");
        }
    }

    // ---- -c ----------------------------------------------------------------------------------

    @Test
    void cancelOfARunningUploadPrintsWhatNdctlPrints_anEmptyArray() throws Exception {
        try (UpdateDaemon d = start(none(0, 50))) {
            assertThat(d.run("update-firmware", "mem0", "-F", pkg400k().toString()).exit()).isZero();
            d.await("mem0", s -> s.partsSent() >= 1);
            Cli.Run r = d.run("update-firmware", "mem0", "-c");
            // ndctl's cancel adds no memdev to its list: the empty array and its warning, then the count
            assertThat(r.out()).isEqualTo(EMPTY_ARRAY);
            assertThat(r.err()).isEqualTo(NO_MATCHING_DEVICES + CANCELLED_1 + "\n");
            assertThat(r.exit()).isZero();

            UploadStatus end = d.awaitIdle("mem0");
            assertThat(end.error()).contains("transferring:user-abort");
            assertThat(end.partsSent()).isLessThan(102);
            assertThat(d.slotFile("mem0", 2)).isEmpty();
        }
    }

    @Test
    void cancelWithNothingRunningIsNdctlsEmptyArrayWarningAndExit1() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            for (String[] args : new String[][] {{"update-firmware", "mem0", "-c"}, {"update-firmware", "mem0", "-c", "-w"}}) {
                Cli.Run r = d.run(args);
                assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(1);
                assertThat(r.out()).as(String.join(" ", args)).isEqualTo(EMPTY_ARRAY);
                assertThat(r.err()).as(String.join(" ", args)).isEqualTo(NO_MATCHING_DEVICES + CANCELLED_0 + "\n");
            }
        }
    }

    @Test
    void onAStdoutTerminalACancelPrintsNoArrayAndNoWarning() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            Cli.Run r = Cli.runWithStdoutTty(true, d.withStateDir("update-firmware", "mem0", "-c"));
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo(CANCELLED_0 + "\n");
            assertThat(r.exit()).isEqualTo(1);
        }
    }

    @Test
    void cancelCountsTheMemdevsWithAnUploadAndSkipsTheOthersSilently() throws Exception {
        try (UpdateDaemon d = start(none(0, 50), none(1, 1))) {
            assertThat(d.run("update-firmware", "mem0", "-F", pkg400k().toString()).exit()).isZero();
            d.await("mem0", s -> s.partsSent() >= 1);
            Cli.Run r = d.run("update-firmware", "all", "-c", "--strict");
            assertThat(r.out()).isEqualTo(EMPTY_ARRAY);
            assertThat(r.err()).isEqualTo(NO_MATCHING_DEVICES + CANCELLED_1 + "\n");
            assertThat(r.exit()).as("--strict: mem1 had nothing to cancel").isEqualTo(1);
            assertThat(d.awaitIdle("mem0").error()).contains("transferring:user-abort");
            assertThat(d.status("mem1").started()).isEmpty();

            assertThat(d.run("update-firmware", "mem0", "-F", pkg400k().toString()).exit()).isZero();
            d.await("mem0", s -> s.partsSent() >= 1);
            Cli.Run plain = d.run("update-firmware", "mem1", "mem0", "-c");
            assertThat(plain.err()).isEqualTo(NO_MATCHING_DEVICES + CANCELLED_1 + "\n");
            assertThat(plain.exit()).as("as ndctl: one of two cancelled").isZero();
            assertThat(d.awaitIdle("mem0").error()).contains("transferring:user-abort");
        }
    }

    @Test
    void cancelWinsOverFile_whichIsNotEvenLookedAt() throws Exception {
        try (UpdateDaemon d = start(none(0, 50))) {
            assertThat(d.run("update-firmware", "mem0", "-F", pkg400k().toString()).exit()).isZero();
            d.await("mem0", s -> s.partsSent() >= 1);
            Path missing = dir.resolve("missing.img");
            Cli.Run r = d.run("update-firmware", "mem0", "-F", missing.toString(), "-c");
            assertThat(r.out()).isEqualTo(EMPTY_ARRAY);
            assertThat(r.err()).isEqualTo(NO_MATCHING_DEVICES + CANCELLED_1 + "\n");
            assertThat(r.exit()).isZero();
            UploadStatus end = d.awaitIdle("mem0");
            assertThat(end.error()).contains("transferring:user-abort");
            assertThat(end.imageSize()).as("the running upload's, nothing new started").isEqualTo(
                    Files.size(dir.resolve("fw400k.pkg")));
            assertThat(d.slotFile("mem0", 2)).isEmpty();
        }
    }

    @Test
    void cancelAndWaitPrintsTheCancelledMemdevsAsTheyEnded() throws Exception {
        try (UpdateDaemon d = start(none(0, 50), none(1, 1))) {
            assertThat(d.run("update-firmware", "mem0", "-F", pkg400k().toString()).exit()).isZero();
            d.await("mem0", s -> s.partsSent() >= 1);
            Cli.Run r = d.run("update-firmware", "all", "-c", "-w");
            assertThat(r.err()).isEqualTo(CANCELLED_1 + "\n");
            assertThat(r.out()).as("mem1 had nothing to cancel").isEqualTo(array(memdev(0, factory())));
            assertThat(r.exit()).isZero();
            assertThat(d.status("mem0").inProgress()).isFalse();
            assertThat(d.status("mem0").error()).contains("transferring:user-abort");
            assertThat(d.slotFile("mem0", 2)).isEmpty();
        }
    }

    @Test
    void anUploadAfterACancelWorks() throws Exception {
        try (UpdateDaemon d = start(none(0, 50))) {
            assertThat(d.run("update-firmware", "mem0", "-F", pkg400k().toString()).exit()).isZero();
            d.await("mem0", s -> s.partsSent() >= 1);
            assertThat(d.run("update-firmware", "mem0", "-c", "-w").exit()).isZero();

            Path small = pkg("small.pkg", NEW, 1000); // one Full
            Cli.Run r = d.run("update-firmware", "mem0", "-F", small.toString(), "-w");
            assertThat(r.err()).isEqualTo(COMPLETED_1 + "\n");
            assertThat(r.out()).isEqualTo(array(memdev(0, staged(NEW)))); // the abort's error is gone
            assertThat(r.exit()).isZero();
            assertThat(Files.readAllBytes(d.slotFile("mem0", 2).orElseThrow())).isEqualTo(Files.readAllBytes(small));
        }
    }

    @Test
    void aSecondUploadWhileOneRunsFailsAndTheFirstGoesOn() throws Exception {
        try (UpdateDaemon d = start(none(0, 100))) { // about 2 s
            Path first = pkg75k();
            Path second = pkg("other.pkg", "OTHER", 400_000); // more than the daemon drains of a refused body
            assertThat(d.run("update-firmware", "mem0", "-F", first.toString()).exit()).isZero();

            Cli.Run r = d.run("update-firmware", "mem0", "-F", second.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly(
                    "cxlkit: update-firmware: mem0: a firmware upload is already running",
                    "cxlkit: update-firmware: firmware update started on 0 mem device");
            // its JSON is still printed: the first upload, running
            assertThat(r.out()).startsWith("[\n  {\n    \"memdev\":\"mem0\",")
                    .contains("\"fw_update_in_progress\":true,");

            UploadStatus end = d.awaitIdle("mem0");
            assertThat(end.error()).isEmpty();
            assertThat(end.imageSize()).isEqualTo(Files.size(first));
            assertThat(Files.readAllBytes(d.slotFile("mem0", 2).orElseThrow())).isEqualTo(Files.readAllBytes(first));
        }
    }

    @Test
    void onlyTheMemdevThatFailsIsReported() throws Exception {
        try (UpdateDaemon d = start(none(0, 300), none(1, 1))) { // mem0 busy for about 6 s: the cancel lands mid-way even on a loaded machine
            Path img = pkg75k();
            assertThat(d.run("update-firmware", "mem0", "-F", img.toString()).exit()).isZero();
            Cli.Run r = d.run("update-firmware", "all", "-F", img.toString(), "-w");
            assertThat(r.exit()).isZero(); // one of two succeeded
            assertThat(r.errLines()).containsExactly(
                    "cxlkit: update-firmware: mem0: a firmware upload is already running",
                    COMPLETED_1);
            String out = r.out();
            assertThat(out.indexOf("\"memdev\":\"mem0\"")).isPositive().isLessThan(out.indexOf("\"memdev\":\"mem1\""));
            assertThat(out).endsWith(String.join("\n", memdev(1, staged(NEW))).indent(2) + "]\n");
            assertThat(d.status("mem0").inProgress()).isTrue(); // mem0's own upload goes on
            Cli.Run cancel = d.run("update-firmware", "mem0", "-c", "-w");
            assertThat(cancel.exit()).as("%s", cancel.errLines()).isZero();
        }
    }

    @Test
    void underStrictAnyFailedMemdevMakesTheExitStatus1() throws Exception {
        try (UpdateDaemon d = start(none(0, 300), none(1, 1))) {
            Path img = pkg75k();
            assertThat(d.run("update-firmware", "mem0", "-F", img.toString()).exit()).isZero();
            Cli.Run r = d.run("update-firmware", "all", "-F", img.toString(), "-w", "--strict");
            assertThat(r.exit()).isEqualTo(1);
            // the same output as without --strict: only the status differs
            assertThat(r.errLines()).containsExactly(
                    "cxlkit: update-firmware: mem0: a firmware upload is already running",
                    COMPLETED_1);
            assertThat(d.status("mem1").error()).isEmpty();
            assertThat(d.run("update-firmware", "mem0", "-c", "-w", "--strict").exit()).isZero();
        }
    }

    @Test
    void aFailureTheInjectedMediaDisabledFaultExplainsNamesIt() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            assertThat(d.run("inject", "mem0", "--media-disabled").exit()).isZero();
            Cli.Run r = d.run("update-firmware", "mem0", "-F", pkg75k().toString(), "-w");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).first().isEqualTo("cxlkit: update-firmware: mem0: transferring:read-write-error "
                    + "(Transfer FW: Media Disabled, 0007h); the fault media-disabled is injected on mem0; clear it "
                    + "with cxlkit inject --clear mem0");
        }
    }

    // ---- refusals before anything is sent ------------------------------------------------------

    private void assertRefusedBeforeSending(UpdateDaemon d, Path file, String message) {
        Cli.Run r = d.run("update-firmware", "mem0", "-F", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: update-firmware: " + message);
        assertUntouched(d, "mem0");
    }

    @Test
    void aMissingFileIsRefused() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            Path f = dir.resolve("missing.img");
            assertRefusedBeforeSending(d, f, f + ": no such file");
        }
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            Path f = Files.write(dir.resolve("empty.img"), new byte[0]);
            assertRefusedBeforeSending(d, f, f + " is empty");
        }
    }

    @Test
    void aDirectoryIsRefused() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            Path f = Files.createDirectory(dir.resolve("adir"));
            assertRefusedBeforeSending(d, f, f + " is not a regular file");
        }
    }

    @Test
    void anUnreadableFileIsRefused() throws Exception {
        Path f = raw("secret.img", 1000);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(f), "running as root: a mode 000 file stays readable");
            try (UpdateDaemon d = start(none(0, 1))) {
                assertRefusedBeforeSending(d, f, f + " is not readable");
            }
        } finally {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void aFileAboveTheDevicesMaximumIsRefusedForThatMemdev() throws Exception {
        DeviceConfig small = none(0, 1).toBuilder().maxPackageSize(4096).build();
        try (UpdateDaemon d = start(small)) {
            Path f = raw("big.img", 4097);
            Cli.Run r = d.run("update-firmware", "mem0", "-F", f.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly(
                    "cxlkit: update-firmware: mem0: " + f + " (4097 bytes) is larger than mem0's maximum package "
                            + "size (4096 bytes)",
                    "cxlkit: update-firmware: firmware update started on 0 mem device");
            assertThat(r.out()).isEqualTo(array(memdev(0, factory()))); // a failed memdev's JSON is still printed
            assertUntouched(d, "mem0");

            Path exact = raw("exact.img", 4096); // at the limit: fine
            assertThat(d.run("update-firmware", "mem0", "-F", exact.toString(), "-w").exit()).isZero();
        }
    }

    @Test
    void noMemdevIsAUsageError() throws Exception {
        Path img = raw("fw.img", 100);
        for (String[] args : new String[][] {
                {"update-firmware", "-F", img.toString()},
                {"update-firmware", "-w"},
                {"update-firmware", "-c"},
        }) {
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).startsWith("cxlkit: update-firmware: missing MEMDEV");
        }
    }

    @Test
    void otherUsageErrorsAreExit2BeforeAnythingIsContacted() throws Exception {
        Path img = raw("fw.img", 100);
        String nothing = dir.resolve("nothing").toString();
        for (String[] args : new String[][] {
                {"update-firmware", "mem0"},                                   // nothing to do
                {"update-firmware", "mem0", "-F", img.toString(), "--eid", "8"}, // --eid without --cci
                {"update-firmware", " , ", "-F", img.toString()},               // empty MEMDEV
                {"update-firmware", "mem0", "--bogus"},
        }) {
            Cli.Run r = Cli.run(append(args, "--state-dir", nothing));
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).startsWith("cxlkit: update-firmware: ");
        }
    }

    private static String[] append(String[] a, String... more) {
        String[] all = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, all, a.length, more.length);
        return all;
    }

    @Test
    void noDaemonIsExit1() throws Exception {
        Path img = raw("fw.img", 100);
        Path state = Files.createDirectory(dir.resolve("empty-state"));
        for (String[] args : new String[][] {
                {"update-firmware", "mem0", "-F", img.toString()},
                {"update-firmware", "mem0", "-w"},
                {"update-firmware", "mem0", "-c"},
        }) {
            Cli.Run r = Cli.run(append(args, "--state-dir", state.toString()));
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).containsExactly("cxlkit: update-firmware: no daemon running for " + state);
        }
    }

    @Test
    void anUnknownMemdevAmongSeveralIsOneLineAndTheOthersAreUpdated() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            Path img = pkg75k();
            Cli.Run r = d.run("update-firmware", "mem0", "mem9", "-F", img.toString(), "-w");
            assertThat(r.errLines()).containsExactly("cxlkit: update-firmware: no memdev matches mem9", COMPLETED_1);
            assertThat(r.out()).isEqualTo(array(memdev(0, staged(NEW))));
            assertThat(r.exit()).as("as ndctl: one memdev succeeded").isZero();
            assertThat(Files.readAllBytes(d.slotFile("mem0", 2).orElseThrow())).isEqualTo(Files.readAllBytes(img));

            Cli.Run strict = d.run("update-firmware", "mem9", "mem0", "-w", "--strict");
            assertThat(strict.errLines()).containsExactly("cxlkit: update-firmware: no memdev matches mem9",
                    COMPLETED_1);
            assertThat(strict.exit()).as("--strict: a MEMDEV that matches nothing counts as failed").isEqualTo(1);
        }
    }

    @Test
    void aMemdevThatMatchesNothingAtAllIsNdctlsOutputAndExit1() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            Cli.Run r = d.run("update-firmware", "mem9", "-F", pkg75k().toString());
            assertThat(r.out()).isEqualTo(EMPTY_ARRAY);
            assertThat(r.err()).isEqualTo("cxlkit: update-firmware: no memdev matches mem9\n" + NO_MATCHING_DEVICES
                    + "cxlkit: update-firmware: firmware update started on 0 mem device\n");
            assertThat(r.exit()).isEqualTo(1);
            assertUntouched(d, "mem0");
        }
    }

    @Test
    void serialSelectsMemdevsByTheirSerialNumbers() throws Exception {
        DeviceConfig serial0x2a = none(1, 1).toBuilder().serial(0x2a).build();
        try (UpdateDaemon d = start(none(0, 1), serial0x2a)) {
            Path img = pkg75k();
            Cli.Run r = d.run("update-firmware", "-S", "0x2a", "-F", img.toString(), "-w");
            assertThat(r.err()).isEqualTo(COMPLETED_1 + "\n");
            assertThat(r.out()).contains("\"memdev\":\"mem1\"").doesNotContain("\"memdev\":\"mem0\"");
            assertThat(r.exit()).isZero();
            assertUntouched(d, "mem0");
            assertThat(d.slotFile("mem1", 2)).isPresent();

            // 1 is mem1's id, but with --serial it is a serial number, which no memdev has
            Cli.Run one = d.run("update-firmware", "--serial", "1", "42", "-w");
            assertThat(one.errLines()).containsExactly("cxlkit: update-firmware: no memdev matches 1", COMPLETED_1);
            assertThat(one.out()).contains("\"memdev\":\"mem1\"").doesNotContain("\"memdev\":\"mem0\"");
        }
    }

    @Test
    void busKeepsTheMemdevsOnIt_cxlkitHasOneBus() throws Exception {
        try (UpdateDaemon d = start(none(0, 1))) {
            Cli.Run on = d.run("update-firmware", "mem0", "-b", "root0", "-w");
            assertThat(on.errLines()).containsExactly(COMPLETED_1);
            assertThat(on.exit()).isZero();
            Cli.Run off = d.run("update-firmware", "mem0", "--bus", "root1", "-F", pkg75k().toString());
            assertThat(off.err()).isEqualTo("cxlkit: update-firmware: no memdev matches mem0\n" + NO_MATCHING_DEVICES
                    + "cxlkit: update-firmware: firmware update started on 0 mem device\n");
            assertThat(off.exit()).isEqualTo(1);
            assertUntouched(d, "mem0");
        }
    }

    @Test
    void aBadSerialOrBusIsAUsageError() throws Exception {
        Path img = raw("fw.img", 100);
        String nothing = dir.resolve("nothing").toString();
        for (String[] args : new String[][] {
                {"update-firmware", "-S", "mem0", "-F", img.toString()},
                {"update-firmware", "-S", "1,x", "-w"},
                {"update-firmware", "mem0", "-b", " ", "-c"},
                {"update-firmware", "-S", "-w"},
        }) {
            Cli.Run r = Cli.run(append(args, "--state-dir", nothing));
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).as(String.join(" ", args)).hasSize(1);
        }
        assertThat(Cli.run("update-firmware", "-S", "mem0", "-w", "--state-dir", nothing).err()).isEqualTo(
                "cxlkit: update-firmware: 'mem0' is not a valid memdev serial number (decimal, 0x hex or 0 octal) "
                        + "(try 'cxlkit update-firmware --help')\n");
    }

    // ---- --cci -------------------------------------------------------------------------------

    private static String cciJson(int eid, String status, String error, long bytes, long parts) {
        return "{\n  \"eid\":" + eid + ",\n  \"slot\":2,\n  \"status\":\"" + status + "\",\n"
                + (error == null ? "" : "  \"error\":\"" + error + "\",\n")
                + "  \"bytes_sent\":" + bytes + ",\n  \"parts_sent\":" + parts + "\n}\n";
    }

    @Test
    void cciUploadsInProcessAndPrintsItsOutcome() throws Exception {
        try (UpdateDaemon d = start(none(0, 1), none(1, 1))) {
            Path img = pkg("fw5k.pkg", NEW, 5_000); // 5248 bytes: parts of 1024 - 128 = 896 bytes
            assertThat(Files.size(img)).isEqualTo(5248);
            Cli.Run r = Cli.run("update-firmware", "--cci", d.cci(), "--eid", "8", "-F",
                    img.toString());
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).isEqualTo(cciJson(8, "completed", null, 5248, 6));
            assertThat(r.exit()).isZero();
            assertThat(Files.readAllBytes(d.slotFile("mem0", 2).orElseThrow())).isEqualTo(Files.readAllBytes(img));
            assertThat(d.slotFile("mem1", 2)).isEmpty();
            // activated on next reset, as the daemon's host driver does
            Cli.Run list = d.run("list", "-F", "-m", "mem0");
            assertThat(list.out()).isEqualTo(array(memdev(0, staged(NEW))));

            // EID 9 is mem1
            Cli.Run r1 = Cli.run("update-firmware", "--cci", d.cci(), "--eid", "9", "-F",
                    img.toString());
            assertThat(r1.out()).isEqualTo(cciJson(9, "completed", null, 5248, 6));
            assertThat(d.slotFile("mem1", 2)).isPresent();
        }
    }

    @Test
    void cciPartsFollowTheDevicesMctpMessageSize() throws Exception {
        DeviceConfig big = none(0, 1).toBuilder().mctpMessageSizeExponent(12).build();   // 4 KiB: 3968-byte parts
        DeviceConfig tiny = none(1, 0).toBuilder().mctpMessageSizeExponent(8).build();   // 256 B: 128-byte parts
        try (UpdateDaemon d = start(big, tiny)) {
            Path img = pkg("fw5k.pkg", NEW, 5_000);
            Cli.Run r = Cli.run("update-firmware", "--cci", d.cci(), "--eid", "8", "-F",
                    img.toString());
            assertThat(r.out()).isEqualTo(cciJson(8, "completed", null, 5248, 2));
            Cli.Run t = Cli.run("update-firmware", "--cci", d.cci(), "--eid", "9", "-F",
                    img.toString());
            assertThat(t.out()).isEqualTo(cciJson(9, "completed", null, 5248, 41));
            assertThat(t.exit()).isZero();

            Path one = pkg("fw-one.pkg", NEW, 3_000); // 3200 bytes + 128 <= 4096: one Full
            Cli.Run full = Cli.run("update-firmware", "--cci", d.cci(), "--eid", "8", "-F",
                    one.toString());
            assertThat(full.out()).isEqualTo(cciJson(8, "completed", null, 3200, 1));
        }
    }

    @Test
    void cciBadPackageOnAPackagePolicyDeviceFails() throws Exception {
        try (UpdateDaemon d = start(packagePolicy(0))) {
            Path img = raw("junk.bin", 2_000); // 896 + 896 + 208: End fails
            Cli.Run r = Cli.run("update-firmware", "--cci", d.cci(), "--eid", "8", "-F",
                    img.toString());
            String reason = "transferring:firmware-invalid: bad magic (Transfer FW: FW Verification Failed, 000Ah)";
            assertThat(r.out()).isEqualTo(cciJson(8, "failed", reason, 1792, 2));
            assertThat(r.errLines()).containsExactly("cxlkit: update-firmware: EID 8: " + reason);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(d.slotFile("mem0", 2)).isEmpty();
        }
    }

    @Test
    void cciRestoresTheCtrlCHandlerAfterTheUpload() throws Exception {
        sun.misc.Signal sigint = new sun.misc.Signal("INT");
        sun.misc.SignalHandler marker = sig -> { };
        sun.misc.SignalHandler original = sun.misc.Signal.handle(sigint, marker);
        try (UpdateDaemon d = start(none(0, 1))) {
            Path img = pkg("fw5k.pkg", NEW, 5_000);
            assertThat(Cli.run("update-firmware", "--cci", d.cci(), "--eid", "8", "-F", img.toString())
                    .exit()).isZero();
        } finally {
            assertThat(sun.misc.Signal.handle(sigint, original)).isSameAs(marker);
        }
    }

    @Test
    void cciUsageErrors() throws Exception {
        Path img = raw("fw.img", 100);
        String addr = "tcp://127.0.0.1:9";
        for (String[] args : new String[][] {
                {"update-firmware", "--cci", addr, "-F", img.toString()},                       // no --eid
                {"update-firmware", "--cci", addr, "--eid", "8"},                               // no -F
                {"update-firmware", "--cci", addr, "--eid", "8", "-F", img.toString(), "mem0"}, // MEMDEV
                {"update-firmware", "--cci", addr, "--eid", "8", "-F", img.toString(), "-c"},
                {"update-firmware", "--cci", addr, "--eid", "256", "-F", img.toString()},
                {"update-firmware", "--cci", addr, "--eid", "-1", "-F", img.toString()},
                {"update-firmware", "--cci", "nonsense", "--eid", "8", "-F", img.toString()},
        }) {
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.err()).startsWith("cxlkit: update-firmware: ");
        }
    }

    @Test
    void cciFileErrorsAndAnUnreachableEndpointAreExit1() throws Exception {
        Path missing = dir.resolve("missing.img");
        Cli.Run r = Cli.run("update-firmware", "--cci", "tcp://127.0.0.1:9", "--eid", "8",
                "-F", missing.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: update-firmware: " + missing + ": no such file");

        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path img = raw("fw.img", 100);
        Cli.Run refused = Cli.run("update-firmware", "--cci", "tcp://127.0.0.1:" + port,
                "--eid", "8", "-F", img.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.err()).startsWith("cxlkit: update-firmware: ");
    }
}
