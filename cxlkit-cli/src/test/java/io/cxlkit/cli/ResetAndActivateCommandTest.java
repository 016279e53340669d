package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reset} and {@code activate-firmware}: they print the affected memdevs as update-firmware
 * does (an array with the firmware object; human and bare for one memdev on a terminal), one line
 * per failed memdev, exit 0 when at least one succeeded.
 */
class ResetAndActivateCommandTest {

    @TempDir
    Path dir;

    /** mem0 with {@link Expected#NEW_REVISION} in slot 2, and what else differs from the factory state. */
    private static String mem0(String extra, int active, String version) {
        return """
                [
                  {
                    "memdev":"mem0",
                    "pmem_size":1073741824,
                    "serial":0,
                    "host":"0000:0d:00.0",
                    "firmware_version":"%s",
                    "firmware":{
                      "num_slots":2,
                      "active_slot":%d,
                %s      "online_activate_capable":true,
                      "slot_1_version":"BWFW VERSION 0",
                      "slot_2_version":"BWFW VERSION 1",
                      "fw_update_in_progress":false
                    }
                  }
                ]
                """.formatted(version, active, extra);
    }

    @Test
    void resetPrintsTheMemdevArray() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("reset", "mem0");
            assertThat(r.out()).isEqualTo(Expected.FACTORY_LIST_F);
            assertThat(r.err()).isEmpty();
            assertThat(r.exit()).isZero();
        }
    }

    @Test
    void onATerminalOneMemdevPrintsBareAndHuman() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = Cli.runWithStdoutTty(true, "reset", "0", "--state-dir", d.stateDir.toString());
            assertThat(r.out()).isEqualTo(Expected.FACTORY_HUMAN_MEM0);
            assertThat(r.exit()).isZero();
        }
    }

    @Test
    void activationOnNextResetStagesThenResetActivates() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Expected.storeInSlot2(d, 8, dir);
            Cli.Run staged = d.run("activate-firmware", "mem0", "--slot", "2");
            assertThat(staged.out()).isEqualTo(mem0("      \"staged_slot\":2,\n", 1, "BWFW VERSION 0"));
            assertThat(staged.err()).isEmpty();
            assertThat(staged.exit()).isZero();

            Cli.Run reset = d.run("reset", "mem0");
            assertThat(reset.out()).isEqualTo(mem0("", 2, "BWFW VERSION 1"));
            assertThat(reset.exit()).isZero();
        }
    }

    @Test
    void onlineActivationTakesEffectAtOnce() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Expected.storeInSlot2(d, 8, dir);
            Cli.Run r = d.run("activate-firmware", "0", "--slot", "2", "--online");
            assertThat(r.out()).isEqualTo(mem0("", 2, "BWFW VERSION 1"));
            assertThat(r.exit()).isZero();
        }
    }

    @Test
    void aDeviceRefusalIsOneLineWithTheReturnCodeAndTheJsonIsStillPrinted() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("activate-firmware", "mem0", "--slot", "2");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly(
                    "cxlkit: activate-firmware: mem0: Activate FW: Invalid Slot, 000Bh; slot 2 is empty; upload a "
                            + "package to it first");
            assertThat(r.out()).isEqualTo(Expected.FACTORY_LIST_F);
        }
    }

    @Test
    void severalMemdevsSucceedIfOneDoes() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            Expected.storeInSlot2(d, 9, dir);
            Cli.Run r = d.run("activate-firmware", "all", "--slot", "2");
            assertThat(r.exit()).isZero();
            assertThat(r.errLines()).containsExactly("cxlkit: activate-firmware: mem0: Activate FW: Invalid Slot, "
                    + "000Bh; slot 2 is empty; upload a package to it first");
            var views = MemdevParsing.list(JsonTree.read(r.out()));
            assertThat(views).extracting(v -> v.name()).containsExactly("mem0", "mem1");
            assertThat(views.get(1).firmware().orElseThrow().stagedSlot()).isEqualTo(2);

            Cli.Run reset = d.run("reset", "mem0", "1");
            assertThat(reset.exit()).isZero();
            assertThat(MemdevParsing.list(JsonTree.read(reset.out())))
                    .extracting(v -> v.firmware().orElseThrow().activeSlot()).containsExactly(1, 2);
        }
    }

    @Test
    void allFailingIsExit1() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            Cli.Run r = d.run("activate-firmware", "all", "--slot", "2", "--online");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly(
                    "cxlkit: activate-firmware: mem0: Activate FW: Invalid Slot, 000Bh; slot 2 is empty; upload a "
                            + "package to it first",
                    "cxlkit: activate-firmware: mem1: Activate FW: Invalid Slot, 000Bh; slot 2 is empty; upload a "
                            + "package to it first");
        }
    }

    @Test
    void underStrictOneFailedMemdevMakesTheExitStatus1() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            Expected.storeInSlot2(d, 9, dir);
            Cli.Run r = d.run("activate-firmware", "all", "--slot", "2", "--strict");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).hasSize(1).first().asString().startsWith("cxlkit: activate-firmware: mem0: ");
            // what was done is done: mem1 is staged and printed, as without --strict
            var views = MemdevParsing.list(JsonTree.read(r.out()));
            assertThat(views.get(1).firmware().orElseThrow().stagedSlot()).isEqualTo(2);

            Cli.Run all = d.run("reset", "all", "--strict");
            assertThat(all.exit()).isZero();
        }
    }

    @Test
    void theHintSaysADeviceWithoutOnlineActivationCanStillActivateOnReset() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"),
                EmbeddedDaemon.instant(0).toBuilder().onlineActivate(false).build())) {
            Expected.storeInSlot2(d, 8, dir);
            Cli.Run r = d.run("activate-firmware", "mem0", "--slot", "2", "--online");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly("cxlkit: activate-firmware: mem0: Activate FW: Invalid Input, "
                    + "0002h; mem0 cannot activate online; leave out --online to activate on the next cold reset");
        }
    }

    @Test
    void theHintNamesTheActiveSlotAndASlotBeyondTheDevice() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run active = d.run("activate-firmware", "mem0", "--slot", "1");
            assertThat(active.exit()).isEqualTo(1);
            assertThat(active.errLines()).containsExactly(
                    "cxlkit: activate-firmware: mem0: Activate FW: Invalid Slot, 000Bh; slot 1 is already active");
            Cli.Run beyond = d.run("activate-firmware", "mem0", "--slot", "4", "--online");
            assertThat(beyond.errLines()).containsExactly(
                    "cxlkit: activate-firmware: mem0: Activate FW: Invalid Slot, 000Bh; mem0 has 2 slots (1..2)");
        }
    }

    @Test
    void anUnknownMemdevIsOneLineAndTheOthersAreActedOn_asNdctl() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Expected.storeInSlot2(d, 8, dir);
            Cli.Run r = d.run("activate-firmware", "mem0", "mem9", "--slot", "2");
            assertThat(r.exit()).isZero();
            assertThat(r.errLines()).containsExactly("cxlkit: activate-firmware: no memdev matches mem9");
            assertThat(r.out()).contains("\"staged_slot\":2").contains("\"memdev\":\"mem0\"");
            assertThat(d.run("activate-firmware", "mem9", "mem0", "--slot", "2", "--strict").exit())
                    .as("--strict: a MEMDEV that matches nothing counts as failed").isEqualTo(1);

            Cli.Run reset = d.run("reset", "mem9");
            assertThat(reset.exit()).isEqualTo(1);
            assertThat(reset.out()).isEqualTo(Expected.EMPTY_ARRAY);
            assertThat(reset.err()).isEqualTo("cxlkit: reset: no memdev matches mem9\n" + Expected.NO_MATCHING_DEVICES);
            assertThat(d.run("list", "-F").out()).contains("\"active_slot\":1").contains("\"staged_slot\":2");
        }
    }

    @Test
    void serialAndBusSelectAsInUpdateFirmware() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            Cli.Run r = d.run("reset", "-S", "0x1", "-b", "ACPI.CXL");
            assertThat(r.exit()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).contains("\"memdev\":\"mem1\"").doesNotContain("\"memdev\":\"mem0\"");
            Cli.Run off = d.run("activate-firmware", "mem0", "--slot", "1", "--bus", "root7");
            assertThat(off.err()).isEqualTo("cxlkit: activate-firmware: no memdev matches mem0\n"
                    + Expected.NO_MATCHING_DEVICES);
            assertThat(off.exit()).isEqualTo(1);
        }
    }

    @Test
    void noDaemonIsExit1() {
        Path state = dir.resolve("nothing");
        Cli.Run r = Cli.run("reset", "mem0", "--state-dir", state.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: reset: no daemon running for " + state);
        Cli.Run a = Cli.run("activate-firmware", "mem0", "--slot", "2", "--state-dir", state.toString());
        assertThat(a.errLines()).containsExactly("cxlkit: activate-firmware: no daemon running for " + state);
    }

    @Test
    void aRefusedOnlineActivationSaysWhy_andAResetThatKeepsTheStagedSlotOutSaysSoToo() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Path sv2 = dir.resolve("sv2.pkg");
            FirmwarePackage.builder().revision("SV 2").securityVersion(2).body(new byte[512]).build().writeTo(sv2);
            assertThat(Cli.run("cci", "--connect", d.cci(), "--eid", "8", "transfer-fw", "--action", "full",
                    "--slot", "2", "--data", sv2.toString()).exit()).isZero();
            assertThat(d.run("activate-firmware", "mem0", "--slot", "2", "--online").exit()).isZero();

            String why = "security version 0 is below the device's floor 2"; // slot 1: the factory package
            Cli.Run refused = d.run("activate-firmware", "mem0", "--slot", "1", "--online");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.errLines()).containsExactly("cxlkit: activate-firmware: mem0: " + why
                    + " (Activate FW: Activation Failed, FW Rolled Back, 000Ch)");

            assertThat(d.run("activate-firmware", "mem0", "--slot", "1").exit()).isZero();
            Cli.Run reset = d.run("reset", "mem0");
            assertThat(reset.exit()).as("the reset itself happened").isZero();
            assertThat(reset.errLines()).containsExactly("cxlkit: reset: mem0: staged slot 1 was not activated: " + why);
            assertThat(reset.out()).contains("\"active_slot\":2,").doesNotContain("staged_slot").doesNotContain(why);
        }
    }
}
