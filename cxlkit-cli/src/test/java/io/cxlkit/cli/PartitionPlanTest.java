package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.cli.PartitionPlan.Type;
import io.cxlkit.host.json.MemdevView.PartitionView;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ndctl v81's set-partition arithmetic and messages (cxl/memdev.c), memdev-commands.md §15.4. */
class PartitionPlanTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** 2 GiB: 256 MiB volatile-only, 256 MiB persistent-only, 1.5 GiB partitionable in 256 MiB steps. */
    private static final PartitionView DEVICE = new PartitionView(2 * GIB, 256 * MIB, 256 * MIB, 256 * MIB,
            Optional.empty());

    private static long plan(PartitionView p, Type type, Long size, boolean align) {
        return PartitionPlan.volatileSize(p, type, size == null ? OptionalLong.empty() : OptionalLong.of(size), align);
    }

    private static String refusal(PartitionView p, Type type, Long size, boolean align) {
        try {
            long v = plan(p, type, size, align);
            throw new AssertionError("accepted: " + v);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void withoutASizeAllAvailableCapacityGoesToTheType() {
        assertThat(plan(DEVICE, Type.PMEM, null, false)).isZero();
        assertThat(plan(DEVICE, Type.VOLATILE, null, false)).isEqualTo(1536 * MIB);
    }

    @Test
    void aSizeIsTheVolatileShareForRamAndTheRestForPmem() {
        assertThat(plan(DEVICE, Type.VOLATILE, 512 * MIB, false)).isEqualTo(512 * MIB);
        assertThat(plan(DEVICE, Type.PMEM, 512 * MIB, false)).isEqualTo(1024 * MIB);
        assertThat(plan(DEVICE, Type.PMEM, 1536 * MIB, false)).isZero();
        assertThat(plan(DEVICE, Type.VOLATILE, 0L, false)).isZero();
    }

    @Test
    void ndctlsRefusals() {
        assertThat(refusal(DEVICE, Type.VOLATILE, 1536 * MIB + 1, false))
                .isEqualTo("1610612737 exceeds available capacity 1610612736");
        // the unaligned value named is the volatile share, for pmem the rest of the available capacity
        assertThat(refusal(DEVICE, Type.PMEM, 100 * MIB, false))
                .isEqualTo("size 1505755136 is not partition aligned 268435456");
        assertThat(refusal(DEVICE, Type.VOLATILE, 300 * MIB, false))
                .isEqualTo("size 314572800 is not partition aligned 268435456");
    }

    @Test
    void alignmentGoesDownForPmemAndUpForRam() {
        assertThat(plan(DEVICE, Type.PMEM, 100 * MIB, true)).isEqualTo(1280 * MIB); // 1436 MiB down
        assertThat(plan(DEVICE, Type.VOLATILE, 300 * MIB, true)).isEqualTo(512 * MIB);
        assertThat(plan(DEVICE, Type.VOLATILE, 1L, true)).isEqualTo(256 * MIB);
        assertThat(plan(DEVICE, Type.PMEM, 1536 * MIB - 1, true)).isZero();
    }

    @Test
    void alignedUpPastTheAvailableCapacityFails() {
        // 1 GiB partitionable in 512 MiB steps but 768 MiB available (the device lies): ram 600 MiB aligns to 1 GiB
        PartitionView odd = new PartitionView(1024 * MIB, 256 * MIB, 0, 512 * MIB, Optional.empty());
        assertThat(refusal(odd, Type.VOLATILE, 600 * MIB, true))
                .isEqualTo("aligned partition size 1073741824 exceeds available size 805306368");
    }

    @Test
    void noAlignmentOrNothingToMoveIsNoAvailableCapacity() {
        PartitionView factory = new PartitionView(GIB, 0, GIB, 0, Optional.empty());
        assertThat(refusal(factory, Type.PMEM, null, false)).isEqualTo("no available capacity");
        assertThat(refusal(factory, Type.VOLATILE, 256 * MIB, true)).isEqualTo("no available capacity");
        PartitionView nothing = new PartitionView(GIB, 0, GIB, 256 * MIB, Optional.empty());
        assertThat(refusal(nothing, Type.VOLATILE, null, false)).isEqualTo("no available capacity");
    }

    @ParameterizedTest(name = "-s {0} is {1} bytes")
    @CsvSource({"0,0", "268435456,268435456", "0x10000000,268435456", "0X10000000,268435456", "01000,512",
            "256M,268435456", "256m,268435456", "1G,1073741824", "1g,1073741824", "4k,4096", "4K,4096",
            "1t,1099511627776", "1T,1099511627776", "256MiB,268435456", "1GiB,1073741824", "4KiB,4096", "1TiB,1099511627776",
            "512B,512", "0x1G,1073741824", "18446744073709551614,-2"})
    void sizesInNdctlsAndCliMdsForms(String text, long bytes) {
        assertThat(PartitionPlan.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "-s {0} is refused")
    @CsvSource({"''", "x", "1Q", "1.5G", "-1", "+1", "' 1'", "1 G", "1GB", "1Gi", "1GG", "0x", "08", "18446744073709551615",
            "18446744073709551616", "17179869184G", "16777216T", "0x10000000000000000"})
    void sizesThatParseSize64Refuses(String text) {
        assertThatThrownBy(() -> PartitionPlan.parseSize(text)).hasMessage("failed to parse size option '" + text + "'");
    }

    @ParameterizedTest(name = "-t {0}")
    @CsvSource({"pmem,PMEM", "ram,VOLATILE", "volatile,VOLATILE"})
    void types(String text, Type type) {
        assertThat(PartitionPlan.type(text)).isEqualTo(type);
        assertThat(PartitionPlan.type(null)).isEqualTo(Type.PMEM);
        assertThatThrownBy(() -> PartitionPlan.type("Ram")).hasMessage("invalid type 'Ram'");
    }
}
