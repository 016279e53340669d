package io.cxlkit.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The update-firmware progress bar against a {@link StringWriter} "terminal" and a fake clock:
 * drawn in place, at most once per 100 ms, with bytes, percent, rate and ETA.
 */
class ProgressBarTest {

    private static final long MS = 1_000_000L;
    private static final long MIB = 1L << 20;

    private final StringWriter terminal = new StringWriter();
    private long now = 1_000 * MS; // any origin: only differences count

    private ProgressBar bar(String label) {
        return new ProgressBar(new PrintWriter(terminal), () -> now, label);
    }

    private String text() {
        return terminal.toString();
    }

    /** The drawings so far: the text between carriage returns. */
    private String[] drawings() {
        String t = text();
        assertThat(t).startsWith("\r");
        return t.substring(1).split("\r", -1);
    }

    @Test
    void firstUpdateDrawsAtOnceWithBytesPercentRateAndEta() {
        ProgressBar b = bar("mem0");
        now += 1_000 * MS;
        assertThat(b.update(8 * MIB, 32 * MIB)).isTrue();
        assertThat(text()).isEqualTo(
                "\rmem0 [######..................] 8.0/32.0 MiB  25%  8.0 MiB/s  ETA 0:03");
    }

    @Test
    void theExactLineAtHalfway() {
        ProgressBar b = bar("mem0");
        now += 2_000 * MS;
        b.update(16 * MIB, 32 * MIB);
        assertThat(text()).isEqualTo(
                "\rmem0 [############............] 16.0/32.0 MiB  50%  8.0 MiB/s  ETA 0:02");
    }

    @Test
    void etaRoundsUpAndShowsMinutes() {
        ProgressBar b = bar("x");
        now += 10_000 * MS;
        b.update(1 * MIB, 100 * MIB); // 0.1 MiB/s, 99 MiB to go: 990 s = 16:30
        assertThat(text()).endsWith("  0.1 MiB/s  ETA 16:30");
        assertThat(text()).contains("   1%");

        ProgressBar c = bar("y");
        now += 3_000 * MS;
        terminal.getBuffer().setLength(0);
        c.update(2 * MIB, 3 * MIB); // 2/3 MiB/s, 1 MiB to go: 1.5 s, shown as 2
        assertThat(text()).endsWith("ETA 0:02");
    }

    @Test
    void updatesWithin100msOfTheLastDrawingAreSkipped() {
        ProgressBar b = bar("mem0");
        assertThat(b.update(1, 100)).isTrue();
        now += 50 * MS;
        assertThat(b.update(2, 100)).isFalse();
        now += 49 * MS;
        assertThat(b.update(3, 100)).isFalse();
        assertThat(drawings()).hasSize(1);
        now += 1 * MS; // 100 ms after the first drawing
        assertThat(b.update(4, 100)).isTrue();
        assertThat(drawings()).hasSize(2);
        assertThat(drawings()[1]).contains("   4%");
        now += 99 * MS; // measured from the last drawing, not the first
        assertThat(b.update(5, 100)).isFalse();
        now += 1 * MS;
        assertThat(b.update(6, 100)).isTrue();
        assertThat(drawings()).hasSize(3);
        assertThat(text()).doesNotContain("\n");
    }

    @Test
    void manyRapidUpdatesDrawAtMostTenTimesASecond() {
        ProgressBar b = bar("mem0");
        int drawn = 0;
        for (int i = 0; i < 1_000; i++) { // one second, an update every millisecond
            if (b.update(i, 1_000)) {
                drawn++;
            }
            now += MS;
        }
        assertThat(drawn).isEqualTo(10);
        assertThat(drawings()).hasSize(10);
    }

    @Test
    void aShorterLinePadsOverTheLongerPreviousOne() {
        ProgressBar b = bar("mem0");
        now += 1_000 * MS;
        b.update(1 * MIB, 32 * MIB); // with rate and ETA
        String first = drawings()[0];
        now += 200 * MS;
        // a label-only bar at 0 bytes has no rate and no ETA, so it is shorter
        b.update(0, 32 * MIB);
        String second = drawings()[1];
        assertThat(second).hasSize(first.length());
        assertThat(second.stripTrailing()).isEqualTo("mem0 [........................] 0.0/32.0 MiB   0%");
        assertThat(second).endsWith(" ".repeat(first.length() - second.stripTrailing().length()));
    }

    @Test
    void aLongerLineIsNotPadded() {
        ProgressBar b = bar("mem0");
        b.update(0, 32 * MIB);
        now += 1_000 * MS;
        b.update(1 * MIB, 32 * MIB);
        assertThat(drawings()[1]).doesNotEndWith(" ").endsWith("ETA 0:31");
    }

    @Test
    void finishDrawsTheFinalStateAndANewlineEvenWithin100ms() {
        ProgressBar b = bar("mem0");
        now += 1_000 * MS;
        b.update(16 * MIB, 32 * MIB);
        String during = drawings()[0];
        now += 10 * MS; // too soon for update, not for finish
        b.finish(32 * MIB, 32 * MIB);
        assertThat(text()).endsWith("\n");
        String last = drawings()[1];
        assertThat(last).startsWith("mem0 [########################] 32.0/32.0 MiB 100%  31.7 MiB/s");
        assertThat(last).doesNotContain("ETA"); // done: no ETA
        assertThat(last.stripTrailing()).hasSizeLessThan(during.length());
        // padded over the longer line with the ETA, then the newline
        assertThat(last).hasSize(during.length() + 1);
        assertThat(text().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void finishOfAFailedUploadShowsWhereItStopped() {
        ProgressBar b = bar("mem0");
        now += 1_000 * MS;
        b.finish(4 * MIB, 32 * MIB);
        assertThat(text()).isEqualTo("\rmem0 [###.....................] 4.0/32.0 MiB  12%  4.0 MiB/s\n");
    }

    @Test
    void doneEqualToTotalIsAFullBarAt100PercentWithoutEta() {
        ProgressBar b = bar("mem0");
        now += 500 * MS;
        b.update(4 * MIB, 4 * MIB);
        assertThat(text()).isEqualTo("\rmem0 [########################] 4.0/4.0 MiB 100%  8.0 MiB/s");
    }

    @Test
    void moreThanTheTotalIsCappedAt100Percent() {
        ProgressBar b = bar("mem0");
        now += 1_000 * MS;
        b.update(5 * MIB, 4 * MIB);
        assertThat(text()).startsWith("\rmem0 [########################] 5.0/4.0 MiB 100%");
    }

    @Test
    void zeroBytesAndZeroTotalDrawWithoutDividingByZero() {
        ProgressBar b = bar("mem0");
        assertThat(b.update(0, 0)).isTrue(); // no time has passed, nothing sent
        assertThat(text()).isEqualTo("\rmem0 [........................] 0.0/0.0 MiB   0%");
        now += 1_000 * MS;
        b.finish(0, 0);
        assertThat(drawings()[1]).isEqualTo("mem0 [........................] 0.0/0.0 MiB   0%\n");
    }

    @Test
    void noRateBeforeAnyTimeHasPassed() {
        ProgressBar b = bar("mem0");
        b.update(1 * MIB, 2 * MIB);
        assertThat(text()).isEqualTo("\rmem0 [############............] 1.0/2.0 MiB  50%");
    }

    @Test
    void theLabelNamesWhatIsUploaded() {
        ProgressBar b = bar("2 memdevs");
        b.update(0, 10);
        assertThat(text()).startsWith("\r2 memdevs [");
    }

    @Test
    void theWriterIsFlushedAfterEachDrawing() {
        StringWriter sink = new StringWriter();
        // without autoflush and with a buffer, only a flush makes the text visible
        PrintWriter buffered = new PrintWriter(new java.io.BufferedWriter(sink, 1 << 16));
        ProgressBar b = new ProgressBar(buffered, () -> now, "mem0");
        b.update(0, 10);
        assertThat(sink.toString()).startsWith("\rmem0 [");
        now += 100 * MS;
        b.finish(10, 10);
        assertThat(sink.toString()).endsWith("\n");
    }

    @Test
    void abandonEndsTheLineWhereItStandsAndNothingIsDrawnAfter() {
        ProgressBar b = bar("mem0");
        now += 1_000 * MS;
        b.update(8 * MIB, 32 * MIB);
        b.abandon();
        assertThat(text()).isEqualTo(
                "\rmem0 [######..................] 8.0/32.0 MiB  25%  8.0 MiB/s  ETA 0:03\n");
        now += 1_000 * MS;
        assertThat(b.update(16 * MIB, 32 * MIB)).isFalse();
        b.finish(32 * MIB, 32 * MIB);
        b.abandon();
        assertThat(text()).endsWith("ETA 0:03\n").doesNotContain("16.0");
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
        b.finish(MIB, MIB);
        b.abandon();
        assertThat(text()).endsWith("\n").doesNotEndWith("\n\n");
    }
}
