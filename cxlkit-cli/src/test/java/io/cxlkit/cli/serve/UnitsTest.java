package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sizes and durations as options and config files take them. */
class UnitsTest {

    @ParameterizedTest
    @CsvSource({"4096, 4096", "0, 0", "128B, 128", "4KiB, 4096", "4k, 4096", "4K, 4096", "32MiB, 33554432",
        "32m, 33554432", "32M, 33554432", "1GiB, 1073741824", "1g, 1073741824", "4G, 4294967296",
        "' 4 KiB ', 4096"})
    void sizesTakeIecUnitsAndNdctlsBinarySuffixes(String text, long bytes) {
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "4kb", "4KB", "4 kB", "-1", "1.5M", "4T", "4 MiBs", "0x10"})
    void anythingElseIsNotASize(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a size (a byte count, or N with KiB/MiB/GiB or k/m/g)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807G", "8589934592G", "9999999999999999999"})
    void tooLargeSaysSo(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).hasMessageContaining("too large");
    }

    @ParameterizedTest
    @CsvSource({"2ms, PT0.002S", "30s, PT30S", "1m, PT1M", "5S, PT5S"})
    void durationsNameTheirUnit(String text, String iso) {
        assertThat(Units.parseDuration(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5h", "", "1.5s"})
    void aDurationWithoutAKnownUnitIsRefused(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).hasMessageContaining("is not a duration");
    }
}
