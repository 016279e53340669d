package io.cxlkit.device.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Identity defaults and configuration limits (device-behaviour.md §1, §3, §9). */
class DeviceConfigTest {

    @ParameterizedTest
    @CsvSource({"0, 0000:0d:00.0", "1, 0000:0e:00.0", "242, 0000:ff:00.0", "243, 0001:0d:00.0",
            "244, 0001:0e:00.0", "485, 0001:ff:00.0", "486, 0002:0d:00.0"})
    void pciAddress_domainIOver243_bus0dPlusIMod243(int index, String address) {
        assertThat(DeviceConfig.pciAddress(index)).isEqualTo(address);
        assertThat(DeviceConfig.defaults(index).pciAddress()).isEqualTo(address);
    }

    @Test
    void defaults_ofMemI() {
        DeviceConfig c = DeviceConfig.defaults(3);
        assertThat(c.name()).isEqualTo("mem3");
        assertThat(c.serial()).isEqualTo(3);
        assertThat(c.vendorId()).isEqualTo(0x1b36);
        assertThat(c.deviceId()).isEqualTo(0x0d93);
        assertThat(c.subsystemVendorId()).isZero();
        assertThat(c.subsystemId()).isZero();
        assertThat(c.persistentCapacity()).isEqualTo(1L << 30);
        assertThat(c.volatileCapacity()).isZero();
        assertThat(c.eventLogSize()).isEqualTo(8);
        assertThat(c.slots()).isEqualTo(2);
        assertThat(c.onlineActivate()).isTrue();
        assertThat(c.maxPackageSize()).isEqualTo(32L << 20);
        assertThat(c.partTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.payloadSizeExponent()).isEqualTo(12);
        assertThat(c.payloadSize()).isEqualTo(4096);
        assertThat(c.mctpMessageSizeExponent()).isEqualTo(10);
        assertThat(c.mctpMessageSize()).isEqualTo(1024);
        assertThat(c.verifyPolicy()).isEqualTo(VerifyPolicy.PACKAGE);
        assertThat(c.partitionableCapacity()).isZero();
        assertThat(c.partitionAlignment()).isZero();
        assertThat(c.lsaSize()).isEqualTo(128 << 10);
        assertThat(c.totalCapacity()).isEqualTo(1L << 30);
    }

    @Test
    void toBuilder_roundTrips() {
        DeviceConfig c = DeviceConfig.defaults(7);
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.toBuilder().slots(4).build().slots()).isEqualTo(4);
    }

    private static void rejects(UnaryOperator<DeviceConfig.Builder> change) {
        assertThatThrownBy(() -> change.apply(DeviceConfig.defaults(0).toBuilder()).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void accepts(UnaryOperator<DeviceConfig.Builder> change) {
        change.apply(DeviceConfig.defaults(0).toBuilder()).build();
    }

    @Test
    void limits() {
        accepts(b -> b.slots(2));
        accepts(b -> b.slots(4));
        rejects(b -> b.slots(1));
        rejects(b -> b.slots(5));
        accepts(b -> b.payloadSizeExponent(8));
        accepts(b -> b.payloadSizeExponent(20));
        rejects(b -> b.payloadSizeExponent(7));
        rejects(b -> b.payloadSizeExponent(21));
        accepts(b -> b.mctpMessageSizeExponent(8));
        accepts(b -> b.mctpMessageSizeExponent(20));
        rejects(b -> b.mctpMessageSizeExponent(7));
        rejects(b -> b.mctpMessageSizeExponent(21));
        rejects(b -> b.partTimeout(Duration.ZERO));
        rejects(b -> b.persistentCapacity((1L << 30) + 1));
        rejects(b -> b.vendorId(0x10000));
        rejects(b -> b.maxPackageSize(127));
    }

    @Test
    void eventLogSize_1To1024_default8() {
        assertThat(DeviceConfig.defaults(0).eventLogSize()).isEqualTo(8);
        accepts(b -> b.eventLogSize(1));
        accepts(b -> b.eventLogSize(1024));
        rejects(b -> b.eventLogSize(0));
        rejects(b -> b.eventLogSize(1025));
        assertThatThrownBy(() -> DeviceConfig.defaults(0).toBuilder().eventLogSize(0).build())
                .hasMessage("event log size must be 1..1024, not 0");
    }

    @Test
    void poisonMaxRecords_1ToFFFFFFh_default256_injectPoisonLimit_0ToFFFFh_default0() {
        assertThat(DeviceConfig.defaults(0).poisonMaxRecords()).isEqualTo(256);
        assertThat(DeviceConfig.defaults(0).injectPoisonLimit()).isZero();
        accepts(b -> b.poisonMaxRecords(1));
        accepts(b -> b.poisonMaxRecords(0xFF_FFFF));
        rejects(b -> b.poisonMaxRecords(0));
        rejects(b -> b.poisonMaxRecords(0x100_0000));
        accepts(b -> b.injectPoisonLimit(0xFFFF));
        rejects(b -> b.injectPoisonLimit(-1));
        rejects(b -> b.injectPoisonLimit(0x10000));
        assertThatThrownBy(() -> DeviceConfig.defaults(0).toBuilder().poisonMaxRecords(0).build())
                .hasMessage("mem0: poison-max-records must be 1..16777215, not 0");
        assertThatThrownBy(() -> DeviceConfig.defaults(0).toBuilder().injectPoisonLimit(70000).build())
                .hasMessage("mem0: inject-poison-limit must be 0..65535 (0: no limit), not 70000");
    }

    @Test
    void criticalThresholds_defaultsAndRanges_leaveRoomForTheDefaultWarnings() {
        assertThat(DeviceConfig.defaults(0).criticalThresholds()).isEqualTo(new CriticalThresholds(75, 85, 0));
        new CriticalThresholds(41, 76, 4);
        new CriticalThresholds(100, 32767, -32768);
        assertThatThrownBy(() -> new CriticalThresholds(40, 85, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("life-used-critical must be 41..100 (above the life used warning's default, 40), not 40");
        assertThatThrownBy(() -> new CriticalThresholds(101, 85, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CriticalThresholds(75, 75, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("over-temp-critical must be 76..32767 (above the over-temperature warning's default, 75),"
                        + " not 75");
        assertThatThrownBy(() -> new CriticalThresholds(75, 32768, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CriticalThresholds(75, 85, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("under-temp-critical must be -32768..4 (below the under-temperature warning's default, 5),"
                        + " not 5");
        assertThatThrownBy(() -> new CriticalThresholds(75, 85, -32769)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DeviceConfig.defaults(0).toBuilder().criticalThresholds(new CriticalThresholds(90, 100, -5)).build()
                .criticalThresholds().overTemperature()).isEqualTo(100);
    }

    private static final long MIB = 1L << 20;

    /** The one-line message building mem3 with {@code change} fails with. */
    private static String rejection(UnaryOperator<DeviceConfig.Builder> change) {
        try {
            change.apply(DeviceConfig.defaults(3).toBuilder()).build();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void partitioning_multiplesOf256MiB_xAMultipleOfA_aNeededWhenXIsNotZero_messagesNameTheDevice() {
        accepts(b -> b.partitionableCapacity(1024 * MIB).partitionAlignment(256 * MIB));
        accepts(b -> b.partitionableCapacity(1024 * MIB).partitionAlignment(1024 * MIB));
        accepts(b -> b.partitionableCapacity(1536 * MIB).partitionAlignment(512 * MIB));
        accepts(b -> b.partitionableCapacity(0).partitionAlignment(512 * MIB));
        assertThat(DeviceConfig.defaults(0).toBuilder().volatileCapacity(256 * MIB).partitionableCapacity(512 * MIB)
                .partitionAlignment(256 * MIB).build().totalCapacity()).isEqualTo((256 + 1024 + 512) * MIB);

        assertThat(rejection(b -> b.partitionableCapacity(100 * MIB).partitionAlignment(256 * MIB)))
                .isEqualTo("mem3: partitionable capacity must be a multiple of 256 MiB, not 104857600 B");
        assertThat(rejection(b -> b.partitionableCapacity(512 * MIB).partitionAlignment(128 * MIB)))
                .isEqualTo("mem3: partition alignment must be a multiple of 256 MiB, not 134217728 B");
        assertThat(rejection(b -> b.partitionableCapacity(512 * MIB)))
                .isEqualTo("mem3: partitionable capacity 512 MiB needs a partition alignment, not 0");
        assertThat(rejection(b -> b.partitionableCapacity(768 * MIB).partitionAlignment(512 * MIB)))
                .isEqualTo("mem3: partitionable capacity 768 MiB is not a multiple of the partition alignment 512 MiB");
        assertThat(rejection(b -> b.partitionableCapacity(256 * MIB).partitionAlignment(512 * MIB)))
                .startsWith("mem3: partitionable capacity 256 MiB is not a multiple");
        assertThat(rejection(b -> b.partitionableCapacity(-256 * MIB).partitionAlignment(256 * MIB)))
                .startsWith("mem3: partitionable capacity must be a multiple of 256 MiB");
        assertThat(rejection(b -> b.partitionAlignment(-256 * MIB))).startsWith("mem3: partition alignment");
        long huge = (Long.MAX_VALUE / (256 * MIB)) * 256 * MIB;
        assertThat(rejection(b -> b.persistentCapacity(huge).partitionableCapacity(huge).partitionAlignment(256 * MIB)))
                .isEqualTo("mem3: total capacity overflows");
    }

    @Test
    void lsaSize_1280BTo16MiB_theMessageNamesTheDevice() {
        accepts(b -> b.lsaSize(1280));
        accepts(b -> b.lsaSize(1281));
        accepts(b -> b.lsaSize(16 << 20));
        assertThat(rejection(b -> b.lsaSize(1279))).isEqualTo("mem3: LSA size must be 1280 B..16 MiB, not 1279 B");
        assertThat(rejection(b -> b.lsaSize((16 << 20) + 1)))
                .isEqualTo("mem3: LSA size must be 1280 B..16 MiB, not 16777217 B");
        assertThat(rejection(b -> b.lsaSize(0))).startsWith("mem3: LSA size");
    }
}
