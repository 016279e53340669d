package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.json.MemdevView;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * MEMDEV: memN, N, a name, a host or all, several allowed; -S serial numbers as strtoull reads
 * them; -b the one bus (ndctl's util_cxl_memdev_filter, util_cxl_memdev_serial_filter and
 * util_cxl_bus_filter).
 */
class MemdevSelectorTest {

    /** mem0, mem1, mem2, mem10 with serials 0, 1, 0x1234, 10 and hosts 0000:0d:00.0 ... */
    private static final List<MemdevView> MEMDEVS = List.of(memdev("mem0", 0, "0000:0d:00.0"),
            memdev("mem1", 1, "0000:0e:00.0"), memdev("mem2", 0x1234, "0000:0f:00.0"),
            memdev("mem10", 10, "0000:17:00.0"));

    private static MemdevView memdev(String name, long serial, String host) {
        return MemdevView.of(name, 0, 0, serial, host);
    }

    private static List<String> names(List<MemdevView> views) {
        return views.stream().map(MemdevView::name).toList();
    }

    private static List<String> select(String... args) {
        return names(MemdevSelector.parse(List.of(args)).select(MEMDEVS));
    }

    private static List<String> serials(String... args) {
        return names(MemdevSelector.parseSerials(List.of(args)).select(MEMDEVS));
    }

    @Test
    void memNAndNAreTheSameDevice() {
        assertThat(select("mem1")).containsExactly("mem1");
        assertThat(select("1")).containsExactly("mem1");
        assertThat(select("mem01")).containsExactly("mem1");
        assertThat(select("10")).containsExactly("mem10");
    }

    @Test
    void aHostSelectsItsMemdev() {
        assertThat(select("0000:0f:00.0")).containsExactly("mem2");
        assertThat(select("0000:0f:00.1")).isEmpty();
    }

    @Test
    void allSelectsEveryDeviceInTheDaemonsOrder() {
        assertThat(select("all")).containsExactly("mem0", "mem1", "mem2", "mem10");
        assertThat(select("2", "all")).containsExactly("mem0", "mem1", "mem2", "mem10");
    }

    @Test
    void severalSelectorsKeepTheDaemonsOrderAndSelectEachDeviceOnce() {
        assertThat(select("mem2", "0", "mem0")).containsExactly("mem0", "mem2");
    }

    @Test
    void oneArgumentMayHoldSeveralSeparatedBySpacesOrCommas() {
        MemdevSelector s = MemdevSelector.parse(List.of("mem0 mem2", "1,10"));
        assertThat(s.tokens()).containsExactly("mem0", "mem2", "1", "10");
        assertThat(names(s.select(MEMDEVS))).containsExactly("mem0", "mem1", "mem2", "mem10");
    }

    @Test
    void otherNamesMatchExactly() {
        List<MemdevView> named = List.of(memdev("mem0", 0, "h0"), memdev("cxl-a", 1, "h1"), memdev("memx", 2, "h2"));
        MemdevSelector s = MemdevSelector.parse(List.of("cxl-a", "memx"));
        assertThat(names(s.select(named))).containsExactly("cxl-a", "memx");
        assertThat(MemdevSelector.matches("mem", "mem0")).isFalse();
        assertThat(MemdevSelector.matches("0", "cxl-a")).isFalse();
    }

    @Test
    void unmatchedSelectorsAreReportedOnceInOrder() {
        MemdevSelector s = MemdevSelector.parse(List.of("mem9", "0", "x", "mem9"));
        assertThat(s.unmatched(MEMDEVS)).containsExactly("mem9", "x");
        assertThat(MemdevSelector.parse(List.of("all")).unmatched(List.of())).containsExactly("all");
    }

    @Test
    void singleMeansOneNamedMemdev() {
        assertThat(MemdevSelector.parse(List.of("mem0")).single()).isTrue();
        assertThat(MemdevSelector.parse(List.of("all")).single()).isFalse();
        assertThat(MemdevSelector.parse(List.of("0,1")).single()).isFalse();
        assertThat(MemdevSelector.parseSerials(List.of("0x1234")).single()).isTrue();
    }

    @Test
    void emptyOrMissingSelectorsAreRefused() {
        assertThatThrownBy(() -> MemdevSelector.parse(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing MEMDEV (memN, N or all)");
        assertThatThrownBy(() -> MemdevSelector.parse(List.of(" "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty MEMDEV (memN, N or all)");
        assertThatThrownBy(() -> MemdevSelector.parse(List.of(",,"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemdevSelector.parseSerials(List.of(" , "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty serial number");
    }

    // ---- -S / list -s --------------------------------------------------------------------------

    @Test
    void serialsAreReadAsStrtoullReadsThem_decimalHexOrOctal() {
        assertThat(serials("1")).containsExactly("mem1");
        assertThat(serials("0x1234")).containsExactly("mem2");
        assertThat(serials("0X1234")).containsExactly("mem2");
        assertThat(serials("4660")).containsExactly("mem2");
        assertThat(serials("012")).as("a leading 0 is octal, as in C").containsExactly("mem10");
        assertThat(serials("0")).containsExactly("mem0");
        assertThat(serials("1,0xa 0")).containsExactly("mem0", "mem1", "mem10");
        assertThat(serials("7")).isEmpty();
    }

    @Test
    void aSerialIsNeverANameAndANameNeverASerial() {
        assertThat(serials("10")).as("serial 10 is mem10, not mem10's id").containsExactly("mem10");
        assertThat(select("0x1234")).isEmpty();
        assertThat(MemdevSelector.parseSerials(List.of("2")).unmatched(MEMDEVS)).containsExactly("2");
    }

    @Test
    void serialsCoverTheUnsigned64BitRange() {
        List<MemdevView> big = List.of(memdev("mem0", -1, "h0"), memdev("mem1", Long.MIN_VALUE, "h1"));
        assertThat(names(MemdevSelector.parseSerials(List.of("0xffffffffffffffff")).select(big)))
                .containsExactly("mem0");
        assertThat(names(MemdevSelector.parseSerials(List.of("18446744073709551615")).select(big)))
                .containsExactly("mem0");
        assertThat(names(MemdevSelector.parseSerials(List.of("9223372036854775808")).select(big)))
                .containsExactly("mem1");
    }

    @Test
    void whatIsNotAWholeSerialIsRefusedNamingIt() {
        for (String bad : List.of("mem1", "08", "0x", "1x", "-1", "+1", "0x1g", "18446744073709551616")) {
            assertThat(MemdevSelector.serial(bad)).as(bad).isEqualTo(OptionalLong.empty());
            assertThatThrownBy(() -> MemdevSelector.parseSerials(List.of("1", bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a valid memdev serial number (decimal, 0x hex or 0 octal)");
        }
    }

    // ---- -b ------------------------------------------------------------------------------------

    @Test
    void theOneBusIsRoot0_anyOfItsNamesSelectsItsMemdevs() {
        for (String bus : List.of("root0", "0", "ACPI.CXL", "all", "root1,root0", "port1 0")) {
            assertThat(names(MemdevSelector.parse(List.of("mem1")).onBus(bus).select(MEMDEVS))).as(bus)
                    .containsExactly("mem1");
        }
    }

    @Test
    void anotherBusSelectsNothing_andEveryWordIsUnmatched() {
        MemdevSelector s = MemdevSelector.parse(List.of("mem1", "all")).onBus("root1");
        assertThat(s.select(MEMDEVS)).isEmpty();
        assertThat(s.unmatched(MEMDEVS)).containsExactly("mem1", "all");
        assertThat(MemdevSelector.parseSerials(List.of("1")).onBus("cxl_test").select(MEMDEVS)).isEmpty();
    }

    @Test
    void anEmptyBusIsRefused() {
        assertThatThrownBy(() -> MemdevSelector.parse(List.of("mem0")).onBus(" , "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("empty BUS (root0, 0, ACPI.CXL or all)");
    }
}
