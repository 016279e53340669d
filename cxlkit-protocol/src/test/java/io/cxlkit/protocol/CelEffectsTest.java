package io.cxlkit.protocol;

import static io.cxlkit.protocol.CelEffect.BACKGROUND_OPERATION;
import static io.cxlkit.protocol.CelEffect.CONFIG_CHANGE_AFTER_COLD_RESET;
import static io.cxlkit.protocol.CelEffect.IMMEDIATE_CONFIG_CHANGE;
import static io.cxlkit.protocol.CelEffect.REQUEST_ABORT_SUPPORTED;
import static io.cxlkit.protocol.CelEffect.RESET_BITS_VALID;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** reference.md §4 (CEL bits) and device-behaviour.md §1 (0341h, 0243h). */
class CelEffectsTest {

    @Test
    void transferFwEffects0341h() {
        // cold reset (0) + background (6) + abortable (8) + bits 10/11 valid (9)
        assertThat(CelEffects.fromBits(0x0341).asSet()).containsExactlyInAnyOrder(
                CONFIG_CHANGE_AFTER_COLD_RESET, BACKGROUND_OPERATION, REQUEST_ABORT_SUPPORTED, RESET_BITS_VALID);
        assertThat(CelEffects.of(CONFIG_CHANGE_AFTER_COLD_RESET, BACKGROUND_OPERATION, REQUEST_ABORT_SUPPORTED,
                RESET_BITS_VALID).bits()).isEqualTo(0x0341);
    }

    @Test
    void activateFwEffects0243h() {
        // cold reset (0) + immediate config change (1) + background (6) + bits 10/11 valid (9); not abortable
        CelEffects e = CelEffects.fromBits(0x0243);
        assertThat(e.asSet()).containsExactlyInAnyOrder(
                CONFIG_CHANGE_AFTER_COLD_RESET, IMMEDIATE_CONFIG_CHANGE, BACKGROUND_OPERATION, RESET_BITS_VALID);
        assertThat(e.contains(REQUEST_ABORT_SUPPORTED)).isFalse();
        assertThat(e.bits()).isEqualTo(0x0243);
    }

    @Test
    void bitPositionsFollowTheSpecNotQemu() {
        assertThat(CelEffect.SECONDARY_MAILBOX_SUPPORTED.bit()).isEqualTo(7);
        assertThat(CelEffect.REQUEST_ABORT_SUPPORTED.bit()).isEqualTo(8);
        assertThat(CelEffects.fromBits(0x0080).asSet()).containsExactly(CelEffect.SECONDARY_MAILBOX_SUPPORTED);
        assertThat(CelEffects.fromBits(0x0100).asSet()).containsExactly(CelEffect.REQUEST_ABORT_SUPPORTED);
    }

    @Test
    void everyBitHasItsPlace() {
        int[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        CelEffect[] all = CelEffect.values();
        assertThat(all).hasSize(12);
        for (int i = 0; i < all.length; i++) {
            assertThat(all[i].bit()).isEqualTo(expected[i]);
            assertThat(all[i].mask()).isEqualTo(1 << expected[i]);
        }
        assertThat(CelEffect.IMMEDIATE_POLICY_CHANGE.bit()).isEqualTo(3);
        assertThat(CelEffect.CONFIG_CHANGE_AFTER_CXL_RESET.bit()).isEqualTo(11);
    }

    @Test
    void reservedBitsAreDropped() {
        assertThat(CelEffects.fromBits(0xF000)).isEqualTo(CelEffects.NONE);
        assertThat(CelEffects.fromBits(0xF341).bits()).isEqualTo(0x0341);
        assertThat(CelEffects.NONE.bits()).isZero();
        assertThat(CelEffects.fromBits(0x0341).toString()).startsWith("0341h");
    }
}
