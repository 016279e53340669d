package io.cxlkit.device.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Modelled durations (device-behaviour.md §7), as pure functions of the data sizes. */
class TimingTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final long MIB = 1L << 20;

    @Test
    void instant_isZeroForEverything() {
        Timing t = Timing.instant();
        assertThat(t.preset()).isEqualTo(Timing.Preset.INSTANT);
        assertThat(t.partNanos(128)).isZero();
        assertThat(t.partNanos(1L << 30)).isZero();
        assertThat(t.fullNanos(32 * MIB)).isZero();
        assertThat(t.endNanos(128, 32 * MIB)).isZero();
        assertThat(t.activateNanos()).isZero();
    }

    @Test
    void realistic_partIs1msPlusDataOver256MiBPerSecond() {
        Timing t = Timing.realistic();
        assertThat(t.partNanos(0)).isEqualTo(MS);
        assertThat(t.partNanos(256 * MIB)).isEqualTo(MS + S);
        assertThat(t.partNanos(128 * MIB)).isEqualTo(MS + S / 2);
        assertThat(t.partNanos(128)).isEqualTo(MS + 128 * S / (256 * MIB));
    }

    @Test
    void realistic_fullIs200msPlusDataOver64MiBPerSecond() {
        Timing t = Timing.realistic();
        assertThat(t.fullNanos(0)).isEqualTo(200 * MS);
        assertThat(t.fullNanos(64 * MIB)).isEqualTo(200 * MS + S);
        assertThat(t.fullNanos(32 * MIB)).isEqualTo(200 * MS + S / 2);
        assertThat(t.fullNanos(4096L * MIB)).as("no overflow at 4 GiB").isEqualTo(200 * MS + 64 * S);
    }

    @Test
    void realistic_endIsPOfItsDataPlusFOfTheWholePackage() {
        Timing t = Timing.realistic();
        assertThat(t.endNanos(128, 64 * MIB)).isEqualTo(t.partNanos(128) + t.fullNanos(64 * MIB));
        assertThat(t.endNanos(0, 64 * MIB)).isEqualTo(MS + 200 * MS + S);
    }

    @Test
    void realistic_onlineActivationIs500ms() {
        assertThat(Timing.realistic().activateNanos()).isEqualTo(500 * MS);
    }

    @Test
    void qemu_part2s_full10s_end2s_activation0() {
        Timing t = Timing.of(Timing.Preset.QEMU);
        assertThat(t.partNanos(128)).isEqualTo(2 * S);
        assertThat(t.partNanos(64 * MIB)).isEqualTo(2 * S);
        assertThat(t.fullNanos(128)).isEqualTo(10 * S);
        assertThat(t.fullNanos(64 * MIB)).isEqualTo(10 * S);
        assertThat(t.endNanos(128, 64 * MIB)).isEqualTo(2 * S);
        assertThat(t.activateNanos()).isZero();
    }

    @Test
    void partOverride_replacesPAndEndsPTerm() {
        Timing t = Timing.realistic().withPartTime(Duration.ofMillis(3));
        assertThat(t.partNanos(0)).isEqualTo(3 * MS);
        assertThat(t.partNanos(256 * MIB)).isEqualTo(3 * MS);
        assertThat(t.endNanos(256 * MIB, 64 * MIB)).isEqualTo(3 * MS + 200 * MS + S);
        assertThat(t.fullNanos(64 * MIB)).as("F unchanged").isEqualTo(200 * MS + S);
        assertThat(Timing.of(Timing.Preset.QEMU).withPartTime(Duration.ofMillis(3)).endNanos(128, 128))
                .isEqualTo(3 * MS);
        assertThat(Timing.instant().withPartTime(Duration.ofMillis(3)).endNanos(128, 128)).isEqualTo(3 * MS);
    }

    @Test
    void fullOverride_replacesFAndEndsFTerm() {
        Timing t = Timing.realistic().withFullTime(Duration.ofSeconds(7));
        assertThat(t.fullNanos(0)).isEqualTo(7 * S);
        assertThat(t.fullNanos(64 * MIB)).isEqualTo(7 * S);
        assertThat(t.endNanos(128, 64 * MIB)).isEqualTo(t.partNanos(128) + 7 * S);
        assertThat(t.partNanos(128)).as("P unchanged").isEqualTo(MS + 128 * S / (256 * MIB));
    }

    @Test
    void activateOverride_replacesTheActivationTime() {
        assertThat(Timing.realistic().withActivateTime(Duration.ofSeconds(2)).activateNanos()).isEqualTo(2 * S);
        assertThat(Timing.instant().withActivateTime(Duration.ofSeconds(2)).activateNanos()).isEqualTo(2 * S);
        assertThat(Timing.of(Timing.Preset.QEMU).withActivateTime(Duration.ofSeconds(2)).activateNanos())
                .isEqualTo(2 * S);
    }

    @Test
    void overridesCompose_andKeepThePreset() {
        Timing t = Timing.realistic().withPartTime(Duration.ofMillis(1)).withFullTime(Duration.ofMillis(2))
                .withActivateTime(Duration.ofMillis(3));
        assertThat(t.preset()).isEqualTo(Timing.Preset.REALISTIC);
        assertThat(t.partNanos(99)).isEqualTo(MS);
        assertThat(t.fullNanos(99)).isEqualTo(2 * MS);
        assertThat(t.endNanos(99, 999)).isEqualTo(3 * MS);
        assertThat(t.activateNanos()).isEqualTo(3 * MS);
        assertThat(t.toString()).isEqualTo("realistic part=PT0.001S full=PT0.002S activate=PT0.003S");
    }

    // ---- Sanitize, by total capacity C (memdev-commands.md §10) ----

    private static final long GIB = 1L << 30;

    @Test
    void sanitize_instantIsZero_whateverTheCapacity() {
        assertThat(Timing.instant().sanitizeNanos(256 * MIB)).isZero();
        assertThat(Timing.instant().sanitizeNanos(2L << 40)).isZero();
    }

    @Test
    void sanitize_realisticIs1sPlusCOver1GiBPerSecond() {
        Timing t = Timing.realistic();
        assertThat(t.sanitizeNanos(0)).isEqualTo(S);
        assertThat(t.sanitizeNanos(256 * MIB)).isEqualTo(S + S / 4);
        assertThat(t.sanitizeNanos(GIB)).isEqualTo(2 * S);
        assertThat(t.sanitizeNanos(16 * GIB)).isEqualTo(17 * S);
        assertThat(t.sanitizeNanos(1L << 40)).isEqualTo(1025 * S);
    }

    @Test
    void sanitize_qemuFollowsItsTable_atEveryEdge() {
        Timing t = Timing.of(Timing.Preset.QEMU);
        long[][] edges = {{512 * MIB, 4}, {GIB, 8}, {2 * GIB, 15}, {4 * GIB, 30}, {8 * GIB, 60}, {16 * GIB, 120},
                {32 * GIB, 240}, {64 * GIB, 480}, {128 * GIB, 900}, {256 * GIB, 1800}, {512 * GIB, 3600},
                {1024 * GIB, 7200}};
        long previous = 0;
        for (long[] e : edges) {
            assertThat(t.sanitizeNanos(e[0])).as("C = %d MiB", e[0] / MIB).isEqualTo(e[1] * S);
            assertThat(t.sanitizeNanos(e[0] + 1)).as("just above %d MiB", e[0] / MIB)
                    .isGreaterThan(e[1] * S);
            assertThat(t.sanitizeNanos(previous + 1)).as("just above the previous edge").isEqualTo(e[1] * S);
            previous = e[0];
        }
        assertThat(t.sanitizeNanos(256 * MIB)).isEqualTo(4 * S);
        assertThat(t.sanitizeNanos(1024 * GIB + 1)).isEqualTo(14400 * S);
        assertThat(t.sanitizeNanos(16L << 40)).isEqualTo(14400 * S);
    }

    @Test
    void sanitizeOverride_replacesTheSanitizeTime_only() {
        for (Timing.Preset p : Timing.Preset.values()) {
            Timing t = Timing.of(p).withSanitizeTime(Duration.ofMillis(1500));
            assertThat(t.sanitizeNanos(GIB)).isEqualTo(1500 * MS);
            assertThat(t.sanitizeNanos(4096 * GIB)).isEqualTo(1500 * MS);
            assertThat(t.activateNanos()).isEqualTo(Timing.of(p).activateNanos());
            assertThat(t.partNanos(128)).isEqualTo(Timing.of(p).partNanos(128));
        }
        Timing both = Timing.realistic().withSanitizeTime(Duration.ofSeconds(3)).withActivateTime(Duration.ofMillis(3));
        assertThat(both.sanitizeNanos(GIB)).as("a later override keeps the Sanitize one").isEqualTo(3 * S);
        assertThat(both.toString()).isEqualTo("realistic activate=PT0.003S sanitize=PT3S");
    }

    @Test
    void presetLabels() {
        assertThat(Timing.Preset.fromLabel("instant")).isEqualTo(Timing.Preset.INSTANT);
        assertThat(Timing.Preset.fromLabel("realistic")).isEqualTo(Timing.Preset.REALISTIC);
        assertThat(Timing.Preset.fromLabel("qemu")).isEqualTo(Timing.Preset.QEMU);
        assertThat(Timing.Preset.QEMU.label()).isEqualTo("qemu");
        assertThatThrownBy(() -> Timing.Preset.fromLabel("fast")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDeviceDefaultIsRealistic() {
        assertThat(DeviceConfig.defaults(0).timing().preset()).isEqualTo(Timing.Preset.REALISTIC);
    }

    // ---- Scan Media (memdev-commands.md §10) ----

    @Test
    void scanMedia_perPreset() {
        long gib = 1L << 30;
        assertThat(Timing.instant().scanMediaNanos(gib)).isZero();
        // realistic: 10 ms + L / 8 GiB/s
        assertThat(Timing.realistic().scanMediaNanos(0)).isEqualTo(10 * MS);
        assertThat(Timing.realistic().scanMediaNanos(8 * gib)).isEqualTo(10 * MS + S);
        assertThat(Timing.realistic().scanMediaNanos(gib)).isEqualTo(10 * MS + S / 8);
        assertThat(Timing.realistic().scanMediaNanos(1L << 40)).as("1 TiB: no overflow").isEqualTo(10 * MS + 128 * S);
        // qemu: max(1 ms, L/64 x 0.5 us)
        Timing q = Timing.of(Timing.Preset.QEMU);
        assertThat(q.scanMediaNanos(64)).isEqualTo(MS);
        assertThat(q.scanMediaNanos(64 * 2000)).isEqualTo(MS);
        assertThat(q.scanMediaNanos(64 * 2001)).isEqualTo(1_000_500L);
        assertThat(q.scanMediaNanos(gib)).isEqualTo((gib / 64) * 500);
    }

    @Test
    void scanMedia_overrideReplacesEveryPreset_andSurvivesTheOtherOverrides() {
        Timing t = Timing.realistic().withScanMediaTime(Duration.ofMillis(7)).withPartTime(Duration.ofMillis(1))
                .withFullTime(Duration.ofMillis(2)).withActivateTime(Duration.ofMillis(3));
        assertThat(t.scanMediaNanos(1L << 30)).isEqualTo(7 * MS);
        assertThat(t.scanMediaNanos(0)).isEqualTo(7 * MS);
        assertThat(Timing.instant().withScanMediaTime(Duration.ofSeconds(2)).scanMediaNanos(64)).isEqualTo(2 * S);
        assertThat(t.toString()).contains("scan-media=PT0.007S");
    }
}
