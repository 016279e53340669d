package io.cxlkit.device.media;

import static io.cxlkit.device.media.MediaOps.clear;
import static io.cxlkit.device.media.MediaOps.inject;
import static io.cxlkit.device.media.MediaOps.pattern;
import static io.cxlkit.device.media.MediaOps.poisonList;
import static io.cxlkit.device.media.MediaOps.results;
import static io.cxlkit.device.media.MediaOps.scan;
import static io.cxlkit.device.media.MediaOps.scanResults;
import static io.cxlkit.device.testing.TestDevice.rc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.persist.AtomicFiles;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.device.testing.TestDevice;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.PoisonSource;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import io.cxlkit.protocol.payload.Timestamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What of the media survives (memdev-commands.md §8.1, §11): persistent-partition data, poison
 * (listed or not) and the list's overflow survive a cold reset and a restart; the volatile
 * partition's do not. media.bin is sparse and created at the first persistent write; a changed
 * share, Sanitize and Secure Erase zero the data without writing it.
 */
class MediaPersistenceTest {

    private static final long V = 256L << 20;
    private static final long TOTAL = 512L << 20;
    private static final long LINES = TOTAL / 64;

    @TempDir
    Path dir;

    /** 256 MiB volatile [0, V), 256 MiB persistent [V, 2V). */
    private TestDevice open(int m) {
        return TestDevice.builder(dir).instant()
                .config(b -> b.volatileCapacity(V).persistentCapacity(V).poisonMaxRecords(m)).open();
    }

    private static MediaErrorRecord rec(long dpa, PoisonSource source, long lines) {
        return new MediaErrorRecord(dpa, source, lines);
    }

    @Test
    void persistentPoisonListedOrNot_andTheOverflow_surviveResetAndRestart_volatilePoisonDoesNot() {
        try (TestDevice t = open(2)) {
            assertThat(t.send(Cci.MAILBOX, CommandId.SET_TIMESTAMP, new Timestamp(7_000L).encode()).ok()).isTrue();
            assertThat(inject(t, 0x40)).isZero();                  // volatile, listed
            t.device().injectMediaError(V - 64, 3 * 64);          // spans the boundary: listed
            assertThat(inject(t, V + 0x1000)).isZero();           // persistent, unlisted: overflow at 7000
            List<MediaErrorRecord> before = poisonList(t, Cci.MAILBOX, 0, LINES).records();
            assertThat(before).containsExactly(rec(0x40, PoisonSource.INJECTED, 1),
                    rec(V - 64, PoisonSource.INTERNAL, 3));
            assertThat(dir.resolve(MediaStore.POISON_FILE)).exists();

            t.coldReset();
            GetPoisonListResponse afterReset = poisonList(t, Cci.MAILBOX, 0, LINES);
            assertThat(afterReset.records()).containsExactly(rec(V, PoisonSource.INTERNAL, 2));
            assertThat(afterReset.overflow()).isTrue();
            assertThat(afterReset.overflowTimestamp()).isEqualTo(7_000L);
            // the unlisted persistent line is still poisoned: a whole-range scan lists it
            t.reopen();
            GetPoisonListResponse afterRestart = poisonList(t, Cci.MCTP, 0, LINES);
            assertThat(afterRestart).isEqualTo(afterReset);
            assertThat(rc(scan(t, Cci.MAILBOX, 0, LINES, true).returnCode())).isEqualTo("0000h");
            assertThat(results(scanResults(t, Cci.MAILBOX)).records()).containsExactly(
                    rec(V, PoisonSource.INTERNAL, 2), rec(V + 0x1000, PoisonSource.INJECTED, 1));
            GetPoisonListResponse rebuilt = poisonList(t, Cci.MAILBOX, 0, LINES);
            assertThat(rebuilt.overflow()).isFalse();
            t.reopen();
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES)).isEqualTo(rebuilt);
            // a killed process loses nothing that was answered
            t.crashAndReopen();
            assertThat(poisonList(t, Cci.MAILBOX, 0, LINES)).isEqualTo(rebuilt);
            // all poison cleared: the file goes
            assertThat(clear(t, Cci.MAILBOX, V)).isZero();
            assertThat(clear(t, Cci.MAILBOX, V + 64)).isZero();
            assertThat(clear(t, Cci.MAILBOX, V + 0x1000)).isZero();
            assertThat(dir.resolve(MediaStore.POISON_FILE)).doesNotExist();
        }
    }

    @Test
    void persistentDataSurvives_volatileDataIsZeroedByResetAndRestart_mediaBinIsSparseAndCreatedAtTheFirstPersistentWrite()
            throws IOException {
        try (TestDevice t = open(256)) {
            assertThat(clear(t, Cci.MCTP, 0x80, pattern(1))).isZero();
            assertThat(dir.resolve(MediaStore.DATA_FILE)).as("volatile lines live in memory").doesNotExist();
            assertThat(t.device().readMedia(0x80, 64)).containsExactly(pattern(1));
            assertThat(clear(t, Cci.MCTP, V + 0x80, pattern(2))).isZero();
            assertThat(clear(t, Cci.MAILBOX, TOTAL - 64, pattern(3))).isZero();
            Path media = dir.resolve(MediaStore.DATA_FILE);
            assertThat(Files.size(media)).isEqualTo(TOTAL);
            assertThat(allocatedBytes(media)).as("sparse: a few blocks, not 512 MiB").isLessThan(1L << 20);

            t.coldReset();
            assertThat(t.device().readMedia(0x80, 64)).containsOnly(0);
            assertThat(t.device().readMedia(V + 0x80, 64)).containsExactly(pattern(2));
            assertThat(clear(t, Cci.MCTP, 0xC0, pattern(4))).isZero();
            t.reopen();
            assertThat(t.device().readMedia(0xC0, 64)).containsOnly(0);
            byte[] around = t.device().readMedia(V, 256);
            assertThat(java.util.Arrays.copyOfRange(around, 0x80, 0xC0)).containsExactly(pattern(2));
            assertThat(java.util.Arrays.copyOfRange(around, 0, 0x80)).containsOnly(0);
            assertThat(java.util.Arrays.copyOfRange(around, 0xC0, 0x100)).containsOnly(0);
            assertThat(t.device().readMedia(TOTAL - 64, 64)).containsExactly(pattern(3));
        }
    }

    /** The blocks a file occupies (stat %b x 512), or its length where stat is not there. */
    private static long allocatedBytes(Path file) throws IOException {
        try {
            Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
            String[] out = new String(p.getInputStream().readAllBytes()).trim().split(" ");
            if (p.waitFor() == 0 && out.length == 2) {
                return Long.parseLong(out[0]) * Long.parseLong(out[1]);
            }
        } catch (IOException | InterruptedException | NumberFormatException e) {
            // fall through
        }
        return 0; // no stat: the length and the zero reads above are what is checked
    }

    @Test
    void aChangedShare_wipesData_poison_listAndOverflow_durably() {
        try (TestDevice t = TestDevice.builder(dir).instant().config(b -> b.volatileCapacity(0).persistentCapacity(V)
                .partitionableCapacity(V).partitionAlignment(V).poisonMaxRecords(1)).open()) {
            assertThat(clear(t, Cci.MAILBOX, 0x1000, pattern(5))).isZero();
            assertThat(inject(t, 0x40)).isZero();
            assertThat(inject(t, 0x2000)).isZero(); // overflow
            assertThat(t.send(Cci.MAILBOX, CommandId.SET_PARTITION_INFO, new SetPartitionInfoRequest(1, true).encode())
                    .ok()).isTrue();
            GetPoisonListResponse r = poisonList(t, Cci.MAILBOX, 0, LINES);
            assertThat(r.records()).isEmpty();
            assertThat(r.overflow()).isFalse();
            assertThat(t.device().readMedia(0x1000, 64)).containsOnly(0);
            assertThat(dir.resolve(MediaStore.DATA_FILE)).doesNotExist();
            assertThat(dir.resolve(MediaStore.POISON_FILE)).doesNotExist();
            // the same share again: nothing wiped
            assertThat(clear(t, Cci.MAILBOX, V + 0x1000, pattern(6))).isZero();
            assertThat(t.send(Cci.MAILBOX, CommandId.SET_PARTITION_INFO, new SetPartitionInfoRequest(1, true).encode())
                    .ok()).isTrue();
            assertThat(t.device().readMedia(V + 0x1000, 64)).containsExactly(pattern(6));
        }
    }

    @Test
    void aDamagedPoisonFile_isAnErrorNamingTheDevice() throws IOException {
        try (TestDevice t = open(256)) {
            assertThat(inject(t, V)).isZero();
        }
        Path file = dir.resolve(MediaStore.POISON_FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[0x18] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> open(256)).hasMessageContaining("mem0: ").hasMessageContaining("poison.bin is damaged");
        Files.write(dir.resolve(MediaStore.DATA_FILE), new byte[100]);
        Files.delete(file);
        assertThatThrownBy(() -> open(256)).hasMessageContaining("mem0: ").hasMessageContaining("media.bin holds 100");
    }

    // ---- the MediaErase half Sanitize uses ----

    private MediaModel model(DeviceConfig config) throws Exception {
        return new MediaModel(MediaStore.open(dir, config, new AtomicFiles(CrashHook.NONE)), config, () -> V);
    }

    @Test
    void secureErase_zeroesAllData_keepsPoison_sanitize_removesEverything_discardScanResults()
            throws Exception {
        DeviceConfig config = DeviceConfig.defaults(0).toBuilder().volatileCapacity(V).persistentCapacity(V)
                .poisonMaxRecords(1).build();
        MediaModel m = model(config);
        m.clearPoison(1, pattern(1), 0);
        m.clearPoison(V / 64 + 1, pattern(2), 0);
        m.poison(V / 64 + 5, V / 64 + 6, PoisonSource.INJECTED, 10);
        m.poison(V / 64 + 9, V / 64 + 10, PoisonSource.INJECTED, 11); // overflow at 11
        m.secureEraseMedia();
        assertThat(m.read(0, 128)).containsOnly(0);
        assertThat(m.read(V, 128)).containsOnly(0);
        assertThat(m.poisoned(V / 64 + 5)).isTrue();
        assertThat(m.overflow()).isTrue();
        assertThat(model(config).poisoned(V / 64 + 9)).as("the poison persisted").isTrue();

        m.scanStarted();
        m.scanCompleted(0, LINES);
        m.discardScanResults();
        assertThat(m.scanState()).isEqualTo(MediaModel.ScanState.DONE);
        assertThat(m.takeResults(10)).isEmpty();

        m.clearPoison(V / 64 + 1, pattern(2), 0);
        m.sanitizeMedia();
        assertThat(m.read(V, 128)).containsOnly(0);
        assertThat(m.poisoned(V / 64 + 5)).isFalse();
        assertThat(m.overflow()).isFalse();
        assertThat(dir.resolve(MediaStore.DATA_FILE)).doesNotExist();
        assertThat(dir.resolve(MediaStore.POISON_FILE)).doesNotExist();
        MediaModel reopened = model(config);
        assertThat(reopened.overflow()).isFalse();
        assertThat(reopened.listed(0, LINES, 10)).isEmpty();
    }
}
