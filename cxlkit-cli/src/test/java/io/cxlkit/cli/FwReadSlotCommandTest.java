package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fw read-slot}: the stored package's bytes, written crash-safely. */
class FwReadSlotCommandTest {

    @TempDir
    Path dir;

    private Path out() {
        return dir.resolve("out").resolve("slot.pkg");
    }

    private long filesIn(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void slotOneHoldsTheFactoryPackage() throws Exception {
        Files.createDirectories(out().getParent());
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("fw", "read-slot", "mem0", "--slot", "1", "-o", out().toString());
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEmpty();
            assertThat(Files.readAllBytes(out())).isEqualTo(FirmwarePackage.factory());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out()))).isEqualTo("rw-r--r--");
            assertThat(filesIn(out().getParent())).isEqualTo(1);
        }
    }

    @Test
    void aTransferredPackageReadsBackAndReplacesTheFile() throws Exception {
        Files.createDirectories(out().getParent());
        Files.writeString(out(), "old content");
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Expected.storeInSlot2(d, 8, dir);
            Cli.Run refused = d.run("fw", "read-slot", "0", "--slot", "2", "--output", out().toString());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.errLines()).containsExactly(
                    "cxlkit: fw read-slot: " + out() + " exists (use --force to overwrite)");
            assertThat(Files.readString(out())).isEqualTo("old content");

            Cli.Run r = d.run("fw", "read-slot", "0", "--slot", "2", "--output", out().toString(), "--force");
            assertThat(r.exit()).isZero();
            assertThat(Files.readAllBytes(out())).isEqualTo(Expected.smallPackage());
            assertThat(filesIn(out().getParent())).isEqualTo(1);
        }
    }

    @Test
    void dashIsStandardOutputAndNoFileIsMade() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1);
             StdoutCapture stdout = new StdoutCapture()) {
            Cli.Run r = Cli.run("fw", "read-slot", "mem0", "--slot", "1", "-o", "-", "--state-dir",
                    d.stateDir.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(stdout.bytes()).isEqualTo(FirmwarePackage.factory());
            assertThat(Path.of("-")).doesNotExist();
        }
    }

    @Test
    void anEmptySlotIsExit1AndLeavesNoFile() throws Exception {
        Files.createDirectories(out().getParent());
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("fw", "read-slot", "mem0", "--slot", "2", "-o", out().toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).containsExactly("cxlkit: fw read-slot: slot 2 is empty");
            assertThat(filesIn(out().getParent())).isZero();
        }
    }

    @Test
    void anEmptySlotLeavesAnExistingFileAlone() throws Exception {
        Files.createDirectories(out().getParent());
        Files.writeString(out(), "keep me");
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("fw", "read-slot", "mem0", "--slot", "2", "-o", out().toString(), "--force");
            assertThat(r.errLines()).containsExactly("cxlkit: fw read-slot: slot 2 is empty");
            assertThat(Files.readString(out())).isEqualTo("keep me");
        }
    }

    @Test
    void aSlotTheDeviceDoesNotHaveIsExit1() throws Exception {
        Files.createDirectories(out().getParent());
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("fw", "read-slot", "mem0", "--slot", "3", "-o", out().toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly("cxlkit: fw read-slot: mem0 has no slot 3");
        }
    }

    @Test
    void anUnknownMemdevIsExit1() throws Exception {
        Files.createDirectories(out().getParent());
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("fw", "read-slot", "mem9", "--slot", "1", "-o", out().toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly("cxlkit: fw read-slot: no memdev matches mem9");
            assertThat(filesIn(out().getParent())).isZero();
        }
    }

    @Test
    void fileErrorsAreExit1BeforeTheDaemonIsAsked() {
        Path state = dir.resolve("no-daemon");
        Cli.Run missingDir = Cli.run("fw", "read-slot", "mem0", "--slot", "1", "-o", out().toString(),
                "--state-dir", state.toString());
        assertThat(missingDir.exit()).isEqualTo(1);
        assertThat(missingDir.errLines()).containsExactly("cxlkit: fw read-slot: " + out().getParent() + ": no such directory");

        Cli.Run directory = Cli.run("fw", "read-slot", "mem0", "--slot", "1", "-o", dir.toString(),
                "--state-dir", state.toString());
        assertThat(directory.exit()).isEqualTo(1);
        assertThat(directory.errLines()).containsExactly("cxlkit: fw read-slot: " + dir + " is a directory");
    }

    @Test
    void noDaemonIsExit1() throws Exception {
        Files.createDirectories(out().getParent());
        Path state = dir.resolve("no-daemon");
        Cli.Run r = Cli.run("fw", "read-slot", "mem0", "--slot", "1", "-o", out().toString(),
                "--state-dir", state.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: fw read-slot: no daemon running for " + state);
    }
}
