package io.cxlkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class CelEffectsPropertiesTest {

    @Property
    void bitsRoundTrip(@ForAll @IntRange(max = 0xFFFF) int bits) {
        CelEffects e = CelEffects.fromBits(bits);
        assertThat(e.bits()).isEqualTo(bits & 0x0FFF);
        assertThat(CelEffects.fromBits(e.bits())).isEqualTo(e).hasSameHashCodeAs(e);
    }
}
