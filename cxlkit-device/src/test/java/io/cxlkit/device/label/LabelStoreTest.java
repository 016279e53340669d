package io.cxlkit.device.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.fw.DeviceStateException;
import io.cxlkit.device.persist.AtomicFiles;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.device.persist.SimulatedCrash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LSA's files (LabelStore, docs/capacity-and-labels.md): lsa.bin plus a journal of records,
 * each counting only when whole, in sequence, in range and with its CRC; checkpoints; the orphan
 * journal; the Sanitize hook. Journal records are built here from the documented layout.
 */
class LabelStoreTest {

    private static final int S = DeviceConfig.MIN_LSA_SIZE;

    @TempDir
    Path dir;

    private final DeviceConfig config = DeviceConfig.defaults(0).toBuilder().lsaSize(S).build();

    private LabelStore open() throws Exception {
        return open(CrashHook.NONE);
    }

    private LabelStore open(CrashHook hook) throws Exception {
        return LabelStore.open(dir, config, new AtomicFiles(hook));
    }

    private Path journal() {
        return dir.resolve(LabelStore.JOURNAL);
    }

    /** A journal record as docs/capacity-and-labels.md lays it out. */
    static byte[] record(int sequence, int offset, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(0x14 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'L', 'S', 'A', 'J'}).putInt(sequence).putInt(offset).putInt(data.length);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 16);
        crc.update(data);
        b.putInt((int) crc.getValue()).put(data);
        return b.array();
    }

    private void appendRaw(byte[] bytes) throws IOException {
        Files.write(journal(), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static byte[] expected(Object... offsetsAndData) {
        byte[] lsa = new byte[S];
        for (int i = 0; i < offsetsAndData.length; i += 2) {
            byte[] d = (byte[]) offsetsAndData[i + 1];
            System.arraycopy(d, 0, lsa, (int) offsetsAndData[i], d.length);
        }
        return lsa;
    }

    @Test
    void aStoreNeverWritten_hasNoFiles_andReadsNull() throws Exception {
        LabelStore store = open();
        assertThat(store.read()).isNull();
        assertThat(dir.resolve(LabelStore.FILE)).doesNotExist();
        assertThat(journal()).doesNotExist();
    }

    @Test
    void theJournalMatchesTheDocumentedLayout() throws Exception {
        LabelStore store = open();
        store.write(0, new byte[] {1, 2});
        store.write(7, new byte[] {3, 4, 5});
        store.write(S - 1, new byte[] {6});
        byte[] onDisk = Files.readAllBytes(journal());
        byte[] two = record(1, 7, new byte[] {3, 4, 5});
        byte[] three = record(2, S - 1, new byte[] {6});
        assertThat(onDisk).containsExactly(concat(two, three));
        store.close();
        assertThat(open().read()).containsExactly(expected(0, new byte[] {1, 2}, 7, new byte[] {3, 4, 5},
                S - 1, new byte[] {6}));
        assertThat(Files.size(journal())).as("applied at open, then emptied").isZero();
    }

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    @Test
    void recordsAppendedByHand_areApplied_inOrder() throws Exception {
        open().write(0, new byte[] {1});
        appendRaw(concat(record(1, 0, new byte[] {2, 2}), record(2, 1, new byte[] {3})));
        assertThat(open().read()).containsExactly(expected(0, new byte[] {2, 3}));
    }

    @Test
    void aTornRecordAtTheEnd_isIgnored_theOnesBeforeItApply() throws Exception {
        open().write(0, new byte[] {1});
        byte[] last = record(2, 10, new byte[] {9, 9, 9, 9});
        appendRaw(concat(record(1, 5, new byte[] {5}), Arrays.copyOf(last, last.length - 1)));
        assertThat(open().read()).containsExactly(expected(0, new byte[] {1}, 5, new byte[] {5}));
        assertThat(Files.size(journal())).isZero();
    }

    @Test
    void aHeaderAlone_isIgnored() throws Exception {
        open().write(0, new byte[] {1});
        appendRaw(Arrays.copyOf(record(1, 3, new byte[] {7, 7}), 0x14));
        assertThat(open().read()).containsExactly(expected(0, new byte[] {1}));
    }

    @Test
    void aRecordWithABadCrc_endsTheJournal() throws Exception {
        open().write(0, new byte[] {1});
        byte[] bad = record(2, 20, new byte[] {4, 4});
        bad[0x14] ^= 1;
        appendRaw(concat(record(1, 10, new byte[] {3}), bad, record(3, 30, new byte[] {5})));
        assertThat(open().read()).containsExactly(expected(0, new byte[] {1}, 10, new byte[] {3}));
    }

    @Test
    void aRecordOutOfSequence_endsTheJournal() throws Exception {
        open().write(0, new byte[] {1});
        appendRaw(concat(record(1, 10, new byte[] {3}), record(3, 20, new byte[] {4})));
        assertThat(open().read()).containsExactly(expected(0, new byte[] {1}, 10, new byte[] {3}));
        open().write(0, new byte[] {8});
        appendRaw(record(2, 20, new byte[] {4})); // seq 1 is the Set just written: 2 follows it
        assertThat(open().read()).containsExactly(expected(0, new byte[] {8}, 10, new byte[] {3}, 20, new byte[] {4}));
    }

    @Test
    void aRecordBeyondTheLsa_orEmpty_orWithAnotherMagic_endsTheJournal() throws Exception {
        open().write(0, new byte[] {1});
        appendRaw(record(1, S - 1, new byte[] {2, 2}));
        assertThat(open().read()).containsExactly(expected(0, new byte[] {1}));
        appendRaw(record(1, 4, new byte[0]));
        assertThat(open().read()).containsExactly(expected(0, new byte[] {1}));
        byte[] other = record(1, 4, new byte[] {6});
        other[3] = 'K';
        appendRaw(other);
        assertThat(open().read()).containsExactly(expected(0, new byte[] {1}));
    }

    @Test
    void aJournalWithoutAnLsaFile_isDeleted_theLsaIsZeros() throws Exception {
        appendRaw(record(1, 0, new byte[] {1}));
        LabelStore store = open();
        assertThat(store.read()).isNull();
        assertThat(journal()).doesNotExist();
        store.write(3, new byte[] {3});
        assertThat(store.read()).containsExactly(expected(3, new byte[] {3}));
    }

    @Test
    void aCheckpointIsDueOnceTheJournalHoldsSBytes_andEmptiesItIntoTheFile() throws Exception {
        LabelStore store = open();
        store.write(0, new byte[1]);
        byte[] chunk = new byte[300];
        byte[] want = new byte[S];
        int n = 0;
        while (!store.checkpointDue()) {
            Arrays.fill(chunk, (byte) (n + 1));
            int at = (n * 97) % (S - chunk.length);
            store.write(at, chunk);
            System.arraycopy(chunk, 0, want, at, chunk.length);
            n++;
        }
        assertThat(n).as("S / (20 + 300) rounded up").isEqualTo(4);
        assertThat(Files.size(journal())).isGreaterThanOrEqualTo(S);
        assertThat(Files.readAllBytes(dir.resolve(LabelStore.FILE))).as("not yet in the file").containsOnly(0);
        store.checkpoint();
        assertThat(store.checkpointDue()).isFalse();
        assertThat(Files.size(journal())).isZero();
        assertThat(Files.readAllBytes(dir.resolve(LabelStore.FILE))).containsExactly(want);
        // the journal starts again at sequence 1
        store.write(5, new byte[] {42});
        assertThat(Files.readAllBytes(journal())).containsExactly(record(1, 5, new byte[] {42}));
        want[5] = 42;
        assertThat(store.read()).containsExactly(want);
    }

    @Test
    void aFileOfAnotherSize_isAnErrorNamingTheDevice() throws Exception {
        Files.write(dir.resolve(LabelStore.FILE), new byte[S + 1]);
        assertThatThrownBy(this::open).isInstanceOf(DeviceStateException.class)
                .hasMessageStartingWith("mem0: ").hasMessageContaining("1281-byte label storage area");
    }

    @Test
    void zero_removesTheLsa_laterWritesStartFromZeros() throws Exception {
        LabelStore store = open();
        store.write(0, new byte[] {1, 1});
        store.write(4, new byte[] {2});
        store.zero();
        assertThat(store.read()).isNull();
        assertThat(dir.resolve(LabelStore.FILE)).doesNotExist();
        assertThat(journal()).doesNotExist();
        assertThat(open().read()).isNull();
        store.write(1, new byte[] {3});
        assertThat(store.read()).containsExactly(expected(1, new byte[] {3}));
        store.write(2, new byte[] {4});
        assertThat(open().read()).containsExactly(expected(1, new byte[] {3, 4}));
    }

    @Test
    void zero_aCrashBetweenItsTwoDeletes_leavesZeros() throws Exception {
        LabelStore store = open();
        store.write(0, new byte[] {1});
        store.write(1, new byte[] {2});
        List<String> points = new ArrayList<>();
        LabelStore crashing = open(point -> {
            points.add(point);
            if (point.equals("delete " + LabelStore.JOURNAL)) {
                throw new SimulatedCrash(point);
            }
        });
        crashing.write(2, new byte[] {3});
        assertThatThrownBy(crashing::zero).isInstanceOf(SimulatedCrash.class);
        assertThat(points).containsSubsequence("delete " + LabelStore.FILE, "delete " + LabelStore.JOURNAL);
        assertThat(journal()).exists();
        assertThat(open().read()).isNull();
        assertThat(journal()).doesNotExist();
    }
}
