package io.cxlkit.protocol;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** An immutable set of {@link CelEffect}s and its 16-bit encoding. Bits 12..15 are reserved and dropped. */
public final class CelEffects {

    public static final CelEffects NONE = new CelEffects(EnumSet.noneOf(CelEffect.class));

    private final Set<CelEffect> effects;

    private CelEffects(EnumSet<CelEffect> effects) {
        this.effects = Collections.unmodifiableSet(effects);
    }

    public static CelEffects of(CelEffect... effects) {
        EnumSet<CelEffect> set = EnumSet.noneOf(CelEffect.class);
        Collections.addAll(set, effects);
        return new CelEffects(set);
    }

    /** Decodes a 16-bit effect field; reserved bits are ignored. */
    public static CelEffects fromBits(int bits) {
        EnumSet<CelEffect> set = EnumSet.noneOf(CelEffect.class);
        for (CelEffect e : CelEffect.values()) {
            if ((bits & e.mask()) != 0) {
                set.add(e);
            }
        }
        return new CelEffects(set);
    }

    public int bits() {
        int bits = 0;
        for (CelEffect e : effects) {
            bits |= e.mask();
        }
        return bits;
    }

    public boolean contains(CelEffect effect) {
        return effects.contains(effect);
    }

    public Set<CelEffect> asSet() {
        return effects;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CelEffects other && other.effects.equals(effects);
    }

    @Override
    public int hashCode() {
        return effects.hashCode();
    }

    @Override
    public String toString() {
        return String.format("%04Xh%s", bits(), effects);
    }
}
