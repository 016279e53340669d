package io.cxlkit.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.TerminalScreen;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The update-firmware progress display against a fake terminal (a {@link StringWriter}) and a fake
 * clock, byte for byte: one line per memdev and a total line with several, redrawn in place with
 * ANSI cursor movement, never wider than the terminal less one column, at 40, 80 and 200 columns.
 */
class ProgressBarTest {

    private static final long MS = 1_000_000L;
    private static final long MIB = 1L << 20;
    private static final String K = "\033[K";
    private static final String STAGED = "staged in slot 2, active after the next cold reset";
    private static final String FAILED = "failed: receiving:read-write-error";

    private final StringWriter terminal = new StringWriter();
    private long now = 1_000 * MS; // any origin: only differences count
    private int columns = 80;

    private ProgressBar bar(String... memdevs) {
        return new ProgressBar(new PrintWriter(terminal), () -> now, () -> columns, List.of(memdevs));
    }

    private void at(long millis) {
        now = 1_000 * MS + millis * MS;
    }

    private String text() {
        return terminal.toString();
    }

    /** A drawing of a block over one {@code up} lines high less one (0: the first, or one line high). */
    private static String draw(int up, String... lines) {
        return (up == 0 ? "\r" : "\r\033[" + up + "A") + String.join(K + "\n", lines) + K;
    }

    private static String bar(int filled, int width) {
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    // ---- one memdev ----------------------------------------------------------------------------

    /** One 32 MiB upload: receiving, 8 and 16 MiB at 8 MiB/s, staged after 4 s. */
    private String oneUpload(int width) {
        columns = width;
        ProgressBar b = bar("mem0");
        at(0);
        b.update("mem0", 0, 32 * MIB, "receiving");
        at(1000);
        b.update("mem0", 8 * MIB, 32 * MIB, "transferring");
        at(2000);
        b.update("mem0", 16 * MIB, 32 * MIB, "transferring");
        at(4000);
        b.end("mem0", 32 * MIB, 32 * MIB, STAGED);
        b.finish();
        return text();
    }

    @Test
    void oneMemdevAt80Columns() {
        // 79 usable: label 4 + " [" + bar + "] " + 13 + 5, and room for "  9999.9 MiB/s  ETA 999:59" (26): bar 27
        assertThat(oneUpload(80)).isEqualTo(
                draw(0, "mem0 " + bar(0, 27) + "  0.0/32.0 MiB   0%  receiving")
                + draw(0, "mem0 " + bar(6, 27) + "  8.0/32.0 MiB  25%  8.0 MiB/s  ETA 0:03")
                + draw(0, "mem0 " + bar(13, 27) + " 16.0/32.0 MiB  50%  8.0 MiB/s  ETA 0:02")
                // the final state does not fit after the line: it goes below, under the bar
                + draw(0, "mem0 " + bar(27, 27) + " 32.0/32.0 MiB 100%  8.0 MiB/s",
                        "     " + STAGED)
                + "\n");
    }

    @Test
    void oneMemdevAt40Columns() {
        // 39 usable: no room for the rate and the ETA next to a 10-column bar; the bar takes what is left
        assertThat(oneUpload(40)).isEqualTo(
                draw(0, "mem0 " + bar(0, 13) + "  0.0/32.0 MiB   0%")
                + draw(0, "mem0 " + bar(3, 13) + "  8.0/32.0 MiB  25%")
                + draw(0, "mem0 " + bar(6, 13) + " 16.0/32.0 MiB  50%")
                + draw(0, "mem0 " + bar(13, 13) + " 32.0/32.0 MiB 100%",
                        "     staged in slot 2, active after the",
                        "     next cold reset")
                + "\n");
    }

    @Test
    void oneMemdevAt200Columns() {
        // the bar stops at 50 columns; the final state fits after the line
        assertThat(oneUpload(200)).isEqualTo(
                draw(0, "mem0 " + bar(0, 50) + "  0.0/32.0 MiB   0%  receiving")
                + draw(0, "mem0 " + bar(12, 50) + "  8.0/32.0 MiB  25%  8.0 MiB/s  ETA 0:03")
                + draw(0, "mem0 " + bar(25, 50) + " 16.0/32.0 MiB  50%  8.0 MiB/s  ETA 0:02")
                + draw(0, "mem0 " + bar(50, 50) + " 32.0/32.0 MiB 100%  8.0 MiB/s  " + STAGED)
                + "\n");
    }

    // ---- three memdevs -------------------------------------------------------------------------

    /**
     * Three 32 MiB uploads: mem0 staged after 2 s at 16 MiB/s, mem1 slow (4 MiB after 1 s, then
     * programming, staged after 3.2 s), mem2 failing while still receiving.
     */
    private String threeUploads(int width) {
        columns = width;
        ProgressBar b = bar("mem0", "mem1", "mem2");
        at(0);
        b.update("mem0", 0, 32 * MIB, "receiving");
        b.update("mem1", 0, 32 * MIB, "receiving");
        b.update("mem2", 0, 32 * MIB, "receiving"); // the first drawing: every line has its sizes
        at(1000);
        b.update("mem1", 4 * MIB, 32 * MIB, "transferring");
        b.update("mem0", 8 * MIB, 32 * MIB, "transferring"); // within 100 ms: not drawn
        at(2000);
        b.end("mem0", 32 * MIB, 32 * MIB, STAGED);
        b.end("mem2", 0, 32 * MIB, FAILED); // not drawn yet
        at(3000);
        b.update("mem1", 32 * MIB, 32 * MIB, "programming");
        at(3200);
        b.end("mem1", 32 * MIB, 32 * MIB, STAGED);
        b.finish();
        return text();
    }

    @Test
    void threeMemdevsAt80Columns() {
        // labels 5 wide ("total"); 79 - 5 - 4 - 18 - 26 = a bar of 26
        assertThat(threeUploads(80)).isEqualTo(
                draw(0, "mem0  " + bar(0, 26) + "  0.0/32.0 MiB   0%  receiving",
                        "mem1  " + bar(0, 26) + "  0.0/32.0 MiB   0%  receiving",
                        "mem2  " + bar(0, 26) + "  0.0/32.0 MiB   0%  receiving",
                        "total " + bar(0, 26) + "  0.0/96.0 MiB   0%")
                + draw(3, "mem0  " + bar(0, 26) + "  0.0/32.0 MiB   0%  receiving",
                        "mem1  " + bar(3, 26) + "  4.0/32.0 MiB  12%  4.0 MiB/s  ETA 0:07",
                        "mem2  " + bar(0, 26) + "  0.0/32.0 MiB   0%  receiving",
                        "total " + bar(1, 26) + "  4.0/96.0 MiB   4%  4.0 MiB/s  ETA 0:07")
                + draw(3, "mem0  " + bar(26, 26) + " 32.0/32.0 MiB 100%  16.0 MiB/s",
                        "      " + STAGED,
                        "mem1  " + bar(3, 26) + "  4.0/32.0 MiB  12%  2.0 MiB/s  ETA 0:14",
                        "mem2  " + bar(0, 26) + "  0.0/32.0 MiB   0%  receiving",
                        // 36 MiB moved in 2 s; the total ends with the slowest upload
                        "total " + bar(9, 26) + " 36.0/96.0 MiB  37%  18.0 MiB/s  ETA 0:14")
                + draw(4, "mem0  " + bar(26, 26) + " 32.0/32.0 MiB 100%  16.0 MiB/s",
                        "      " + STAGED,
                        "mem1  " + bar(26, 26) + " 32.0/32.0 MiB 100%  programming",
                        "mem2  " + bar(0, 26) + "  0.0/32.0 MiB   0%",
                        "      " + FAILED,
                        "total " + bar(17, 26) + " 64.0/96.0 MiB  66%  21.3 MiB/s")
                + draw(5, "mem0  " + bar(26, 26) + " 32.0/32.0 MiB 100%  16.0 MiB/s",
                        "      " + STAGED,
                        "mem1  " + bar(26, 26) + " 32.0/32.0 MiB 100%  10.0 MiB/s",
                        "      " + STAGED,
                        "mem2  " + bar(0, 26) + "  0.0/32.0 MiB   0%",
                        "      " + FAILED,
                        "total " + bar(17, 26) + " 64.0/96.0 MiB  66%  20.0 MiB/s")
                + "\n");
    }

    @Test
    void threeMemdevsAt40Columns() {
        assertThat(threeUploads(40)).isEqualTo(
                draw(0, "mem0  " + bar(0, 12) + "  0.0/32.0 MiB   0%",
                        "mem1  " + bar(0, 12) + "  0.0/32.0 MiB   0%",
                        "mem2  " + bar(0, 12) + "  0.0/32.0 MiB   0%",
                        "total " + bar(0, 12) + "  0.0/96.0 MiB   0%")
                + draw(3, "mem0  " + bar(0, 12) + "  0.0/32.0 MiB   0%",
                        "mem1  " + bar(1, 12) + "  4.0/32.0 MiB  12%",
                        "mem2  " + bar(0, 12) + "  0.0/32.0 MiB   0%",
                        "total " + bar(0, 12) + "  4.0/96.0 MiB   4%")
                + draw(3, "mem0  " + bar(12, 12) + " 32.0/32.0 MiB 100%",
                        "      staged in slot 2, active after",
                        "      the next cold reset",
                        "mem1  " + bar(1, 12) + "  4.0/32.0 MiB  12%",
                        "mem2  " + bar(0, 12) + "  0.0/32.0 MiB   0%",
                        "total " + bar(4, 12) + " 36.0/96.0 MiB  37%")
                + draw(5, "mem0  " + bar(12, 12) + " 32.0/32.0 MiB 100%",
                        "      staged in slot 2, active after",
                        "      the next cold reset",
                        "mem1  " + bar(12, 12) + " 32.0/32.0 MiB 100%",
                        "mem2  " + bar(0, 12) + "  0.0/32.0 MiB   0%",
                        "      failed:",
                        "      receiving:read-write-error",
                        "total " + bar(8, 12) + " 64.0/96.0 MiB  66%")
                + draw(7, "mem0  " + bar(12, 12) + " 32.0/32.0 MiB 100%",
                        "      staged in slot 2, active after",
                        "      the next cold reset",
                        "mem1  " + bar(12, 12) + " 32.0/32.0 MiB 100%",
                        "      staged in slot 2, active after",
                        "      the next cold reset",
                        "mem2  " + bar(0, 12) + "  0.0/32.0 MiB   0%",
                        "      failed:",
                        "      receiving:read-write-error",
                        "total " + bar(8, 12) + " 64.0/96.0 MiB  66%")
                + "\n");
    }

    @Test
    void threeMemdevsAt200Columns() {
        assertThat(threeUploads(200)).isEqualTo(
                draw(0, "mem0  " + bar(0, 50) + "  0.0/32.0 MiB   0%  receiving",
                        "mem1  " + bar(0, 50) + "  0.0/32.0 MiB   0%  receiving",
                        "mem2  " + bar(0, 50) + "  0.0/32.0 MiB   0%  receiving",
                        "total " + bar(0, 50) + "  0.0/96.0 MiB   0%")
                + draw(3, "mem0  " + bar(0, 50) + "  0.0/32.0 MiB   0%  receiving",
                        "mem1  " + bar(6, 50) + "  4.0/32.0 MiB  12%  4.0 MiB/s  ETA 0:07",
                        "mem2  " + bar(0, 50) + "  0.0/32.0 MiB   0%  receiving",
                        "total " + bar(2, 50) + "  4.0/96.0 MiB   4%  4.0 MiB/s  ETA 0:07")
                + draw(3, "mem0  " + bar(50, 50) + " 32.0/32.0 MiB 100%  16.0 MiB/s  " + STAGED,
                        "mem1  " + bar(6, 50) + "  4.0/32.0 MiB  12%  2.0 MiB/s  ETA 0:14",
                        "mem2  " + bar(0, 50) + "  0.0/32.0 MiB   0%  receiving",
                        "total " + bar(18, 50) + " 36.0/96.0 MiB  37%  18.0 MiB/s  ETA 0:14")
                + draw(3, "mem0  " + bar(50, 50) + " 32.0/32.0 MiB 100%  16.0 MiB/s  " + STAGED,
                        "mem1  " + bar(50, 50) + " 32.0/32.0 MiB 100%  programming",
                        "mem2  " + bar(0, 50) + "  0.0/32.0 MiB   0%  " + FAILED,
                        "total " + bar(33, 50) + " 64.0/96.0 MiB  66%  21.3 MiB/s")
                + draw(3, "mem0  " + bar(50, 50) + " 32.0/32.0 MiB 100%  16.0 MiB/s  " + STAGED,
                        "mem1  " + bar(50, 50) + " 32.0/32.0 MiB 100%  10.0 MiB/s  " + STAGED,
                        "mem2  " + bar(0, 50) + "  0.0/32.0 MiB   0%  " + FAILED,
                        "total " + bar(33, 50) + " 64.0/96.0 MiB  66%  20.0 MiB/s")
                + "\n");
    }

    // ---- what every drawing keeps to -----------------------------------------------------------

    @Test
    void onTheScreenOnlyTheLastDrawingIsLeftAndNothingWraps() {
        for (int width : new int[] {40, 80, 200}) {
            terminal.getBuffer().setLength(0);
            String output = threeUploads(width);
            TerminalScreen screen = TerminalScreen.of(output, width);
            String lastDrawing = output.substring(output.lastIndexOf('\r'));
            String lines = lastDrawing.replaceFirst("^\r(\033\\[[0-9]+A)?", "").replace(K, "");
            assertThat(screen.lines()).as("at %d columns", width).containsExactlyElementsOf(lines.lines().toList());
            assertThat(screen.wraps()).isZero();
        }
    }

    @Test
    void noLineIsEverWiderThanTheTerminalLessOneColumn() {
        Random random = new Random(7);
        for (int width = 8; width <= 220; width++) {
            terminal.getBuffer().setLength(0);
            columns = width;
            ProgressBar b = bar("mem0", "mem10", "a-long-memdev-name");
            long[] done = new long[3];
            long size = 1L << (10 + random.nextInt(26)); // 1 KiB .. 32 GiB
            for (int step = 0; step < 40; step++) {
                now += 100 * MS;
                int m = random.nextInt(3);
                String name = List.of("mem0", "mem10", "a-long-memdev-name").get(m);
                done[m] = Math.min(size, done[m] + random.nextInt((int) Math.min(size, Integer.MAX_VALUE)) + 1);
                if (step > 30 && random.nextBoolean()) {
                    b.end(name, done[m], size, random.nextBoolean() ? STAGED : FAILED);
                } else {
                    b.update(name, done[m], size, List.of("receiving", "transferring", "programming").get(
                            random.nextInt(3)));
                }
            }
            b.finish();
            for (String line : text().split("\r|\n|\033\\[[0-9]*[AKJ]")) {
                assertThat(line.length()).as("at %d columns: %s", width, line).isLessThan(width);
            }
        }
    }

    @Test
    void aDrawingComesAtMostEvery100ms() {
        ProgressBar b = bar("mem0");
        b.update("mem0", 0, 100 * MIB, "transferring");
        int drawings = 1;
        for (int i = 1; i <= 1_000; i++) { // one second, an update every millisecond
            now += MS;
            b.update("mem0", i * MIB / 10, 100 * MIB, "transferring");
        }
        assertThat(text().split("\r", -1)).hasSize(1 + drawings + 10);
        assertThat(text()).doesNotContain("\n");
    }

    @Test
    void tickRedrawsTheRateAndEtaAsTimePasses() {
        ProgressBar b = bar("mem0");
        b.update("mem0", 0, 32 * MIB, "transferring");
        now += 1_000 * MS;
        b.update("mem0", 8 * MIB, 32 * MIB, "transferring");
        now += 50 * MS;
        b.tick(); // too soon
        now += 950 * MS; // nothing moved for a second: the rate halves, the ETA grows
        b.tick();
        assertThat(text()).endsWith("\r" + "mem0 " + bar(6, 27) + "  8.0/32.0 MiB  25%  4.0 MiB/s  ETA 0:06" + K);
        assertThat(text().split("\r", -1)).hasSize(4);
    }

    @Test
    void nothingIsDrawnUntilEveryLineHasItsSizes() {
        ProgressBar b = bar("mem0", "mem1");
        b.update("mem0", 0, MIB, "receiving");
        assertThat(text()).isEmpty();
        b.end("mem1", MIB, MIB, STAGED);
        assertThat(text()).startsWith("\rmem0  [");
    }

    @Test
    void aMessageGoesAboveTheBarsWhichAreDrawnAgainBelowIt() {
        ProgressBar b = bar("mem0", "mem1");
        b.update("mem0", 0, 32 * MIB, "receiving");
        b.update("mem1", 0, 32 * MIB, "receiving");
        terminal.getBuffer().setLength(0);
        now += 10 * MS; // a message is drawn at once, whatever the time
        b.message("cxlkit: update-firmware: mem0: transferring");
        String block = String.join(K + "\n",
                "mem0  " + bar(0, 26) + "  0.0/32.0 MiB   0%  receiving",
                "mem1  " + bar(0, 26) + "  0.0/32.0 MiB   0%  receiving",
                "total " + bar(0, 26) + "  0.0/64.0 MiB   0%") + K;
        // up to the block's first line, erase it and all below, the message, the block again
        assertThat(text()).isEqualTo("\r\033[2A\033[J" + "cxlkit: update-firmware: mem0: transferring\n" + "\r" + block);
    }

    @Test
    void aMessageBeforeAnyDrawingIsJustALine() {
        ProgressBar b = bar("mem0");
        b.message("cxlkit: update-firmware: mem0: transferring");
        assertThat(text()).isEqualTo("cxlkit: update-firmware: mem0: transferring\n");
    }

    @Test
    void aNarrowerTerminalGetsTheBarsAnewBelowTheOldOnes() {
        ProgressBar b = bar("mem0", "mem1");
        b.update("mem0", 0, 32 * MIB, "receiving");
        b.update("mem1", 0, 32 * MIB, "receiving");
        terminal.getBuffer().setLength(0);
        columns = 40; // a terminal that rewraps its lines has moved the old block: no climbing over it
        now += 100 * MS;
        b.update("mem0", 0, 32 * MIB, "receiving");
        assertThat(text()).isEqualTo("\n" + String.join(K + "\n",
                "mem0  " + bar(0, 12) + "  0.0/32.0 MiB   0%",
                "mem1  " + bar(0, 12) + "  0.0/32.0 MiB   0%",
                "total " + bar(0, 12) + "  0.0/64.0 MiB   0%") + K);
        terminal.getBuffer().setLength(0);
        columns = 200; // wider: the block is where it was
        now += 100 * MS;
        b.update("mem0", 0, 32 * MIB, "receiving");
        assertThat(text()).startsWith("\r\033[2Amem0  [" + ".".repeat(50) + "]");
    }

    @Test
    void finishRedrawsOnlyWhatChangedThenEndsTheLine() {
        columns = 200;
        ProgressBar b = bar("mem0");
        b.update("mem0", 0, MIB, "transferring");
        now += 10 * MS;
        b.update("mem0", MIB / 2, MIB, "transferring"); // too soon to be drawn
        b.end("mem0", MIB, MIB, "active in slot 2"); // also too soon
        b.finish(); // so finish draws it
        assertThat(text()).isEqualTo(draw(0, "mem0 " + bar(0, 50) + " 0.0/1.0 MiB   0%")
                + draw(0, "mem0 " + bar(50, 50) + " 1.0/1.0 MiB 100%  100.0 MiB/s  active in slot 2") + "\n");
    }

    @Test
    void finishWithNothingToShowPrintsNothing() {
        ProgressBar b = bar();
        b.finish();
        assertThat(text()).isEmpty();
    }

    @Test
    void theWriterIsFlushedAfterEachDrawing() {
        StringWriter sink = new StringWriter();
        // without autoflush and with a buffer, only a flush makes the text visible
        PrintWriter buffered = new PrintWriter(new java.io.BufferedWriter(sink, 1 << 16));
        ProgressBar b = new ProgressBar(buffered, () -> now, () -> 80, List.of("mem0"));
        b.update("mem0", 0, 10, "transferring");
        assertThat(sink.toString()).startsWith("\rmem0 [");
        now += 100 * MS;
        b.end("mem0", 10, 10, "active in slot 1");
        b.finish();
        assertThat(sink.toString()).endsWith("\n");
    }

    @Test
    void abandonMovesBelowTheBarsAndNothingIsDrawnAfter() {
        ProgressBar b = bar("mem0", "mem1");
        b.update("mem0", 0, 32 * MIB, "transferring");
        b.update("mem1", 0, 32 * MIB, "transferring");
        String before = text();
        b.abandon();
        assertThat(text()).isEqualTo(before + "\n");
        now += 1_000 * MS;
        b.update("mem0", 16 * MIB, 32 * MIB, "transferring");
        b.end("mem1", 32 * MIB, 32 * MIB, STAGED);
        b.tick();
        b.finish();
        b.abandon();
        assertThat(text()).isEqualTo(before + "\n");
    }

    @Test
    void abandonBeforeAnyDrawingPrintsNothing() {
        ProgressBar b = bar("mem0");
        b.abandon();
        assertThat(text()).isEmpty();
    }

    @Test
    void abandonAfterFinishAddsNoLine() {
        ProgressBar b = bar("mem0");
        b.end("mem0", MIB, MIB, STAGED);
        b.finish();
        b.abandon();
        assertThat(text()).endsWith("\n").doesNotEndWith("\n\n");
    }

    @Test
    void linesOfMemdevsWithDifferentSizesAlignTheirBarsAndFigures() {
        columns = 80;
        ProgressBar b = bar("mem0", "mem1");
        b.update("mem0", 0, 512 * MIB, "receiving");
        b.update("mem1", 3 * MIB, 4 * MIB, "programming");
        List<String> lines = new ArrayList<>(Arrays.asList(text().substring(1).split(java.util.regex.Pattern.quote(K) + "\n?")));
        // "512.0/516.0 MiB" is the widest count: every count is right-aligned to its width
        assertThat(lines).containsExactly(
                "mem0  " + bar(0, 24) + "   0.0/512.0 MiB   0%  receiving",
                "mem1  " + bar(18, 24) + "     3.0/4.0 MiB  75%  programming",
                "total " + bar(0, 24) + "   3.0/516.0 MiB   0%");
    }
}
