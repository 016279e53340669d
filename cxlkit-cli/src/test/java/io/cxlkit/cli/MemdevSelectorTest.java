package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** MEMDEV: memN, N or all, several allowed (ndctl's util_cxl_memdev_filter). */
class MemdevSelectorTest {

    private static final List<String> NAMES = List.of("mem0", "mem1", "mem2", "mem10");

    private static List<String> select(String... args) {
        return MemdevSelector.parse(List.of(args)).select(NAMES, Function.identity());
    }

    @Test
    void memNAndNAreTheSameDevice() {
        assertThat(select("mem1")).containsExactly("mem1");
        assertThat(select("1")).containsExactly("mem1");
        assertThat(select("mem01")).containsExactly("mem1");
        assertThat(select("10")).containsExactly("mem10");
    }

    @Test
    void allSelectsEveryDeviceInTheDaemonsOrder() {
        assertThat(select("all")).containsExactlyElementsOf(NAMES);
        assertThat(select("2", "all")).containsExactlyElementsOf(NAMES);
    }

    @Test
    void severalSelectorsKeepTheDaemonsOrderAndSelectEachDeviceOnce() {
        assertThat(select("mem2", "0", "mem0")).containsExactly("mem0", "mem2");
    }

    @Test
    void oneArgumentMayHoldSeveralSeparatedBySpacesOrCommas() {
        MemdevSelector s = MemdevSelector.parse(List.of("mem0 mem2", "1,10"));
        assertThat(s.tokens()).containsExactly("mem0", "mem2", "1", "10");
        assertThat(s.select(NAMES, Function.identity())).containsExactlyElementsOf(NAMES);
    }

    @Test
    void otherNamesMatchExactly() {
        List<String> names = List.of("mem0", "cxl-a", "memx");
        MemdevSelector s = MemdevSelector.parse(List.of("cxl-a", "memx"));
        assertThat(s.select(names, Function.identity())).containsExactly("cxl-a", "memx");
        assertThat(MemdevSelector.matches("mem", "mem0")).isFalse();
        assertThat(MemdevSelector.matches("0", "cxl-a")).isFalse();
    }

    @Test
    void unmatchedSelectorsAreReportedOnceInOrder() {
        MemdevSelector s = MemdevSelector.parse(List.of("mem9", "0", "x", "mem9"));
        assertThat(s.unmatched(NAMES)).containsExactly("mem9", "x");
        assertThat(MemdevSelector.parse(List.of("all")).unmatched(List.of())).containsExactly("all");
    }

    @Test
    void singleMeansOneNamedMemdev() {
        assertThat(MemdevSelector.parse(List.of("mem0")).single()).isTrue();
        assertThat(MemdevSelector.parse(List.of("all")).single()).isFalse();
        assertThat(MemdevSelector.parse(List.of("0,1")).single()).isFalse();
    }

    @Test
    void emptyOrMissingSelectorsAreRefused() {
        assertThatThrownBy(() -> MemdevSelector.parse(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemdevSelector.parse(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemdevSelector.parse(List.of(",,"))).isInstanceOf(IllegalArgumentException.class);
    }
}
