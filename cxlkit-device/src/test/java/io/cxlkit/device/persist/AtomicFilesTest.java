package io.cxlkit.device.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AtomicFiles (device-behaviour.md §6): temporary file, fsync, rename, fsync of the directory. */
class AtomicFilesTest {

    private static final byte[] OLD = "old content, rather longer than the new one\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "new\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void writeCreatesAFileWithExactlyTheContent() throws IOException {
        Path target = dir.resolve("f.bin");
        new AtomicFiles(CrashHook.NONE).write(target, NEW);
        assertThat(target).hasBinaryContent(NEW);
        assertThat(PersistHarness.tmpFiles(dir)).isEmpty();
    }

    @Test
    void writeReplacesTheWholeOldContent() throws IOException {
        Path target = dir.resolve("f.bin");
        Files.write(target, OLD);
        new AtomicFiles(CrashHook.NONE).write(target, NEW);
        assertThat(target).hasBinaryContent(NEW);
        assertThat(PersistHarness.tmpFiles(dir)).isEmpty();
    }

    @Test
    void writeOfEmptyContentLeavesAnEmptyFile() throws IOException {
        Path target = dir.resolve("f.bin");
        Files.write(target, OLD);
        new AtomicFiles(CrashHook.NONE).write(target, new byte[0]);
        assertThat(target).isEmptyFile();
    }

    @Test
    void aStaleLongerTemporaryFileDoesNotLeakIntoTheNewContent() throws IOException {
        Path target = dir.resolve("f.bin");
        Files.write(dir.resolve("f.bin.tmp"), OLD);
        new AtomicFiles(CrashHook.NONE).write(target, NEW);
        assertThat(target).hasBinaryContent(NEW);
        assertThat(PersistHarness.tmpFiles(dir)).isEmpty();
    }

    @Test
    void writeReachesItsPointsInOrder() throws IOException {
        CrashingHook hook = CrashingHook.counting();
        hook.arm();
        new AtomicFiles(hook).write(dir.resolve("f.bin"), NEW);
        assertThat(hook.points()).containsExactly(
                "write f.bin.tmp", "fsync f.bin.tmp", "rename f.bin.tmp -> f.bin", "fsync dir after f.bin");
    }

    @Test
    void theTargetIsUntouchedUntilTheRenameAndReplacedFromIt() throws IOException {
        Path target = dir.resolve("f.bin");
        Files.write(target, OLD);
        CrashHook hook = point -> {
            try {
                byte[] seen = Files.readAllBytes(target);
                if (point.startsWith("fsync dir")) {
                    assertThat(seen).as("after the rename, at " + point).isEqualTo(NEW);
                } else {
                    assertThat(seen).as("before the rename, at " + point).isEqualTo(OLD);
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        new AtomicFiles(hook).write(target, NEW);
        assertThat(target).hasBinaryContent(NEW);
    }

    /** A crash at each point leaves the old content or the new one, never a mix or nothing. */
    @Test
    void aCrashAtEveryPointOfWriteLeavesOldOrNewContent() throws IOException {
        CrashingHook counting = CrashingHook.counting();
        counting.arm();
        new AtomicFiles(counting).write(dir.resolve("probe.bin"), NEW);
        List<String> points = counting.points();
        assertThat(points).hasSize(4).contains("rename probe.bin.tmp -> probe.bin");

        for (int k = 1; k <= points.size(); k++) {
            Path sub = Files.createDirectory(dir.resolve("crash-" + k));
            Path target = sub.resolve("f.bin");
            Files.write(target, OLD);
            CrashingHook hook = new CrashingHook(k);
            hook.arm();
            assertThatThrownBy(() -> new AtomicFiles(hook).write(target, NEW)).isInstanceOf(SimulatedCrash.class);
            String at = hook.crashedAt();
            byte[] left = Files.readAllBytes(target);
            // the crash happens before the step: up to and including "rename", the rename has not run
            boolean renamed = k - 1 > points.indexOf("rename probe.bin.tmp -> probe.bin");
            assertThat(left).as("content after a crash at " + at).isEqualTo(renamed ? NEW : OLD);
        }
    }

    @Test
    void aCrashDuringTheFirstWriteLeavesNoFileOrTheNewOne() throws IOException {
        for (int k = 1; k <= 4; k++) {
            Path sub = Files.createDirectory(dir.resolve("first-" + k));
            Path target = sub.resolve("f.bin");
            CrashingHook hook = new CrashingHook(k);
            hook.arm();
            assertThatThrownBy(() -> new AtomicFiles(hook).write(target, NEW)).isInstanceOf(SimulatedCrash.class);
            if (Files.exists(target)) {
                assertThat(target).as("after a crash at " + hook.crashedAt()).hasBinaryContent(NEW);
            } else {
                assertThat(hook.crashedAt()).doesNotStartWith("fsync dir");
            }
        }
    }

    @Test
    void moveIntoPlaceReplacesTheTarget() throws IOException {
        Path source = dir.resolve("staging.bin");
        Path target = dir.resolve("slot-2.pkg");
        Files.write(source, NEW);
        Files.write(target, OLD);
        CrashingHook hook = CrashingHook.counting();
        hook.arm();
        new AtomicFiles(hook).moveIntoPlace(source, target);
        assertThat(target).hasBinaryContent(NEW);
        assertThat(source).doesNotExist();
        assertThat(hook.points()).containsExactly("rename staging.bin -> slot-2.pkg", "fsync dir after slot-2.pkg");
    }

    @Test
    void aCrashInMoveIntoPlaceLeavesEitherFileWhole() throws IOException {
        for (int k = 1; k <= 2; k++) {
            Path sub = Files.createDirectory(dir.resolve("move-" + k));
            Path source = sub.resolve("staging.bin");
            Path target = sub.resolve("slot-2.pkg");
            Files.write(source, NEW);
            Files.write(target, OLD);
            CrashingHook hook = new CrashingHook(k);
            hook.arm();
            assertThatThrownBy(() -> new AtomicFiles(hook).moveIntoPlace(source, target))
                    .isInstanceOf(SimulatedCrash.class);
            if (k == 1) {
                assertThat(target).hasBinaryContent(OLD);
                assertThat(source).hasBinaryContent(NEW);
            } else {
                assertThat(target).hasBinaryContent(NEW);
                assertThat(source).doesNotExist();
            }
        }
    }

    @Test
    void deleteRemovesTheFileAndToleratesAMissingOne() throws IOException {
        Path f = dir.resolve("x.tmp");
        Files.write(f, OLD);
        CrashingHook hook = CrashingHook.counting();
        hook.arm();
        AtomicFiles files = new AtomicFiles(hook);
        files.delete(f);
        assertThat(f).doesNotExist();
        files.delete(f);
        assertThat(hook.points()).containsExactly("delete x.tmp", "delete x.tmp");
    }

    @Test
    void aCrashBeforeDeleteLeavesTheFile() throws IOException {
        Path f = dir.resolve("x.tmp");
        Files.write(f, OLD);
        CrashingHook hook = new CrashingHook(1);
        hook.arm();
        assertThatThrownBy(() -> new AtomicFiles(hook).delete(f)).isInstanceOf(SimulatedCrash.class);
        assertThat(f).hasBinaryContent(OLD);
    }

    @Test
    void fsyncDirectoryWorksOnADirectory() throws IOException {
        AtomicFiles.fsyncDirectory(dir);
    }

    @Test
    void theHookIsTheOneGiven() {
        CrashHook hook = point -> { };
        assertThat(new AtomicFiles(hook).hook()).isSameAs(hook);
    }
}
