package io.cxlkit.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Where the progress display's width comes from: bin/cxlkit's stty answer, $COLUMNS, else 80. */
class TerminalColumnsTest {

    private static Properties columns(String value) {
        Properties p = new Properties();
        if (value != null) {
            p.setProperty(TerminalColumns.PROPERTY, value);
        }
        return p;
    }

    @Test
    void theLaunchersWidthWinsOverColumns() {
        assertThat(TerminalColumns.initial(columns("132"), Map.of("COLUMNS", "50"))).isEqualTo(132);
    }

    @Test
    void withoutItColumnsCounts() {
        assertThat(TerminalColumns.initial(columns(null), Map.of("COLUMNS", "50"))).isEqualTo(50);
        assertThat(TerminalColumns.initial(columns(" 50 "), Map.of())).isEqualTo(50);
    }

    @Test
    void withNeitherItIs80() {
        assertThat(TerminalColumns.initial(columns(null), Map.of())).isEqualTo(80);
    }

    @Test
    void onlyAPositiveNumberCounts() {
        // a pty that was never given a size says 0 0
        for (String bad : new String[] {"0", "-5", "", "wide", "80x24", "99999999999"}) {
            assertThat(TerminalColumns.initial(columns(bad), Map.of("COLUMNS", bad))).as(bad).isEqualTo(80);
            assertThat(TerminalColumns.initial(columns(bad), Map.of("COLUMNS", "60"))).as(bad).isEqualTo(60);
        }
    }

    @Test
    void sttySizeIsRowsThenColumns() {
        assertThat(TerminalColumns.fromSttySize("24 80\n")).isEqualTo(80);
        assertThat(TerminalColumns.fromSttySize("50 213")).isEqualTo(213);
        assertThat(TerminalColumns.fromSttySize("0 0\n")).isZero();
        assertThat(TerminalColumns.fromSttySize("")).isZero();
        assertThat(TerminalColumns.fromSttySize("stty: 'standard input': Inappropriate ioctl for device")).isZero();
        assertThat(TerminalColumns.fromSttySize("80")).isZero();
    }

    @Test
    void aFixedWidthIsWhatItSays() {
        try (TerminalColumns c = TerminalColumns.fixed(47)) {
            assertThat(c.getAsInt()).isEqualTo(47);
        }
    }
}
