package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * read-labels, write-labels and zero-labels through the CLI, the daemon and the host driver to the
 * emulated device's Label Storage Area (memdev-commands.md §6, §13.2, §15.2): random bytes round
 * trip at every size and offset that matters (the area's edges, the host's chunk of Payload Size - 8
 * bytes and one either side), and what lies beyond the area is refused.
 */
class LabelsCommandTest {

    private static final String NL = System.lineSeparator();
    /** The default label storage area (memdev-commands.md §6). */
    private static final int S = Expected.DEFAULT_LSA_SIZE;
    /** The host's chunk with the default 4 KiB mailbox Payload Size. */
    private static final int CHUNK = 4096 - 8;

    @TempDir
    Path dir;

    private final Random random = new Random(14);

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private Path file(String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** read-labels to a file; the bytes, or null when it failed. */
    private byte[] read(EmbeddedDaemon d, String memdev, long offset, long size) throws Exception {
        Path out = dir.resolve("read.bin");
        Files.deleteIfExists(out);
        Cli.Run r = d.run("read-labels", memdev, "-O", Long.toString(offset), "-s", Long.toString(size), "-o",
                out.toString());
        if (r.exit() != 0) {
            return null;
        }
        assertThat(r.err()).isEqualTo("cxlkit: read-labels: read 1 mem" + NL);
        return Files.readAllBytes(out);
    }

    private Cli.Run write(EmbeddedDaemon d, String memdev, long offset, byte[] data, boolean withSize) throws Exception {
        List<String> args = new ArrayList<>(List.of("write-labels", memdev, "-O", Long.toString(offset), "-i",
                file("in.bin", data).toString()));
        if (withSize) {
            args.addAll(List.of("-s", Integer.toString(data.length)));
        }
        return d.run(args.toArray(String[]::new));
    }

    @Test
    void randomBytesRoundTripAtEverySizeAndOffsetThatMatters() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            byte[] model = new byte[S]; // what the area should hold: zeros at first
            assertThat(read(d, "mem0", 0, 0)).isEqualTo(model);
            int[] offsets = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, S / 2, S - CHUNK - 1, S - 2, S - 1};
            int[] sizes = {1, 2, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 1, S};
            int runs = 0;
            for (int offset : offsets) {
                for (int size : sizes) {
                    int n = Math.min(size, S - offset);
                    byte[] data = randomBytes(n);
                    boolean withSize = runs % 2 == 0; // both with -s and the whole file
                    Cli.Run w = write(d, "mem0", offset, data, withSize);
                    assertThat(w.exit()).as("write %d at %d: %s", n, offset, w.err()).isZero();
                    assertThat(w.err()).isEqualTo("cxlkit: write-labels: wrote 1 mem" + NL);
                    System.arraycopy(data, 0, model, offset, n);
                    assertThat(read(d, "mem0", offset, n)).as("read %d at %d", n, offset).isEqualTo(data);
                    runs++;
                }
            }
            // and the whole area holds every write where it went
            assertThat(read(d, "mem0", 0, 0)).isEqualTo(model);
            assertThat(read(d, "mem0", 0, S)).isEqualTo(model);
            // -s 0 or no -s: from the offset to the end
            assertThat(read(d, "mem0", S - 5, 0)).isEqualTo(Arrays.copyOfRange(model, S - 5, S));
            assertThat(read(d, "mem0", S, 0)).isEmpty();
        }
    }

    @Test
    void beyondTheAreaIsRefusedAndNothingChanges() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            byte[] all = randomBytes(S);
            assertThat(write(d, "mem0", 0, all, false).exit()).isZero();

            Cli.Run r = d.run("read-labels", "mem0", "-O", Integer.toString(S), "-s", "1", "-o",
                    dir.resolve("x").toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly("cxlkit: read-labels: mem0: 1 bytes at offset " + S
                    + " are beyond the label storage area (" + S + " bytes)", "cxlkit: read-labels: read 0 mem");
            assertThat(d.run("read-labels", "mem0", "-O", Integer.toString(S + 1), "-o", dir.resolve("x").toString())
                    .exit()).isEqualTo(1);
            assertThat(d.run("read-labels", "mem0", "-O", "0", "-s", Integer.toString(S + 1), "-o",
                    dir.resolve("x").toString()).exit()).isEqualTo(1);

            // ndctl's check without -s: the whole input against the whole area
            Cli.Run big = write(d, "mem0", 0, randomBytes(S + 1), false);
            assertThat(big.exit()).isEqualTo(1);
            assertThat(big.errLines()).containsExactly("cxlkit: write-labels: File size (" + (S + 1)
                    + ") greater than label area size (" + S + "), aborting", "cxlkit: write-labels: wrote 0 mem");
            // within the area's size but past its end from the offset: the daemon's refusal
            Cli.Run past = write(d, "mem0", S - 10, randomBytes(11), false);
            assertThat(past.exit()).isEqualTo(1);
            assertThat(past.errLines()).containsExactly("cxlkit: write-labels: mem0: 11 bytes at offset " + (S - 10)
                    + " would go beyond the label storage area (" + S + " bytes)", "cxlkit: write-labels: wrote 0 mem");
            assertThat(write(d, "mem0", S - 10, randomBytes(11), true).exit()).isEqualTo(1);
            assertThat(d.run("zero-labels", "mem0", "-O", Integer.toString(S - 1), "-s", "2").exit()).isEqualTo(1);

            assertThat(read(d, "mem0", 0, 0)).isEqualTo(all);
        }
    }

    @Test
    void zeroLabelsZerosTheRangeOnly() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            byte[] all = randomBytes(S);
            assertThat(write(d, "mem0", 0, all, false).exit()).isZero();

            Cli.Run r = d.run("zero-labels", "mem0", "-O", "100", "-s", "0x1000");
            assertThat(r.exit()).isZero();
            assertThat(r.err()).isEqualTo("cxlkit: zero-labels: zeroed 1 mem" + NL);
            Arrays.fill(all, 100, 100 + 4096, (byte) 0);
            assertThat(read(d, "mem0", 0, 0)).isEqualTo(all);

            assertThat(d.run("zero-labels", "mem0", "-O", Integer.toString(S - 7)).exit()).isZero();
            Arrays.fill(all, S - 7, S, (byte) 0);
            assertThat(read(d, "mem0", 0, 0)).isEqualTo(all);

            Cli.Run both = d.run("zero-labels", "all");
            assertThat(both.exit()).isZero();
            assertThat(both.err()).isEqualTo("cxlkit: zero-labels: zeroed 2 mems" + NL);
            assertThat(read(d, "mem0", 0, 0)).isEqualTo(new byte[S]);
        }
    }

    @Test
    void readLabelsConcatenatesMemdevsInTheDaemonsOrderToStdout() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            byte[] zero = randomBytes(64);
            byte[] one = randomBytes(64);
            assertThat(write(d, "mem0", 0, zero, true).exit()).isZero();
            assertThat(write(d, "mem1", 0, one, true).exit()).isZero();
            try (StdoutCapture out = new StdoutCapture()) {
                Cli.Run r = d.run("read-labels", "mem1", "mem0", "-s", "64");
                assertThat(r.exit()).isZero();
                assertThat(r.err()).isEqualTo("cxlkit: read-labels: read 2 mems" + NL);
                byte[] both = new byte[128];
                System.arraycopy(zero, 0, both, 0, 64);
                System.arraycopy(one, 0, both, 64, 64);
                assertThat(out.bytes()).isEqualTo(both);
                assertThat(r.out()).isEmpty();
            }
        }
    }

    @Test
    void writeLabelsReadsStandardInputAndTakesOneMemdevOnly() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            byte[] data = randomBytes(5000);
            InputStream stdin = System.in;
            System.setIn(new ByteArrayInputStream(data));
            try {
                Cli.Run r = d.run("write-labels", "1", "-O", "0x10");
                assertThat(r.exit()).as(r.err()).isZero();
            } finally {
                System.setIn(stdin);
            }
            assertThat(read(d, "mem1", 16, 5000)).isEqualTo(data);

            Cli.Run two = d.run("write-labels", "all", "-i", file("x", data).toString());
            assertThat(two.exit()).isEqualTo(2);
            assertThat(two.err()).isEqualTo("cxlkit: write-labels: write-labels only supports writing a single memdev "
                    + "(try 'cxlkit write-labels --help')" + NL);

            // -s more than the input has: fails, nothing written
            Cli.Run shortInput = d.run("write-labels", "mem0", "-s", "6000", "-i", file("x", data).toString());
            assertThat(shortInput.exit()).isEqualTo(1);
            assertThat(shortInput.errLines()).containsExactly("cxlkit: write-labels: mem0: " + dir.resolve("x")
                    + " ended after 5000 of 6000 bytes", "cxlkit: write-labels: wrote 0 mem");
            assertThat(read(d, "mem0", 0, 5000)).isEqualTo(new byte[5000]);

            Cli.Run missing = d.run("write-labels", "mem0", "-i", dir.resolve("nope").toString());
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.errLines()).containsExactly("cxlkit: write-labels: mem0: " + dir.resolve("nope")
                    + ": no such file", "cxlkit: write-labels: wrote 0 mem");
        }
    }

    @Test
    void aDeviceRefusalIsOneLineWithItsAnswer() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            assertThat(d.run("inject", "mem0", "--media-disabled").exit()).isZero();

            Cli.Run r = d.run("read-labels", "mem0", "-o", dir.resolve("x").toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly("cxlkit: read-labels: mem0: Get LSA: Media Disabled, 0007h",
                    "cxlkit: read-labels: read 0 mem");
            Cli.Run w = write(d, "mem0", 0, randomBytes(10), false);
            assertThat(w.errLines()).containsExactly("cxlkit: write-labels: mem0: Set LSA: Media Disabled, 0007h; "
                    + "labels may be in an inconsistent state", "cxlkit: write-labels: wrote 0 mem");
            Cli.Run z = d.run("zero-labels", "mem0");
            assertThat(z.errLines()).containsExactly("cxlkit: zero-labels: mem0: Set LSA: Media Disabled, 0007h; "
                    + "labels may be in an inconsistent state", "cxlkit: zero-labels: zeroed 0 mem");
        }
    }
}
