package io.cxlkit.protocol.fwpkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The parser's contract on hostile input: only PackageFormatException, and no false "intact". */
class PackageParserProperties {

    private static final KeyPair SIGNER = Vectors.newKeyPair();
    private static final byte[] UNSIGNED = FirmwarePackage.builder().revision("P 1").securityVersion(5)
            .body(body(333)).build().toByteArray();
    private static final byte[] SIGNED = FirmwarePackage.builder().revision("P 1").securityVersion(5)
            .body(body(333)).sign(SIGNER.getPrivate(), SIGNER.getPublic()).build().toByteArray();

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    /** One mutation: overwrite, flip, truncate, or extend. */
    record Mutation(int kind, int position, int value, int length) {
        byte[] apply(byte[] original) {
            byte[] p = original.clone();
            if (p.length == 0 && kind < 3) {
                return p;
            }
            int at = kind < 3 ? Math.floorMod(position, p.length) : 0;
            switch (kind) {
                case 0 -> p[at] = (byte) value;
                case 1 -> p[at] ^= (byte) (1 << (value & 7));
                case 2 -> p = Arrays.copyOf(p, at);
                default -> {
                    p = Arrays.copyOf(p, p.length + 1 + Math.floorMod(length, 300));
                    Arrays.fill(p, original.length, p.length, (byte) value);
                }
            }
            return p;
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers(),
                Arbitraries.integers().between(0, 255),
                Arbitraries.integers()).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    private static void parseOnlyThrowsFormatErrors(byte[] bytes) {
        try {
            PackageHeader.parse(bytes);
        } catch (PackageFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
        }
        try {
            SignatureTrailer.parse(java.nio.ByteBuffer.wrap(bytes));
        } catch (PackageFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 500)
    void randomBytesNeverThrowAnythingElse(@ForAll @Size(max = 600) byte[] bytes) {
        parseOnlyThrowsFormatErrors(bytes);
        PackageInspection i = PackageVerifier.inspect(bytes);
        assertThat(i.intact()).isFalse();
        PackageVerifier.revisionIfParsable(bytes);
        assertThat(PackageVerifier.revisionOrRaw(bytes)).satisfies(r -> assertThat(PackageHeader.isValidRevision(r)).isTrue());
    }

    @Property(tries = 500)
    void randomBytesBehindAValidMagicNeverThrowAnythingElse(@ForAll @Size(min = 128, max = 400) byte[] bytes) {
        System.arraycopy(PackageHeader.MAGIC_BYTES, 0, bytes, 0, 8);
        bytes[8] = 1;
        bytes[9] = 0;
        parseOnlyThrowsFormatErrors(bytes);
        assertThat(PackageVerifier.inspect(bytes).intact()).isFalse();
    }

    @Property(tries = 1000)
    void mutatedPackagesAreDetected(@ForAll("mutations") List<Mutation> mutations, @ForAll boolean signed) {
        byte[] original = signed ? SIGNED : UNSIGNED;
        byte[] p = original;
        for (Mutation m : mutations) {
            p = m.apply(p);
        }
        parseOnlyThrowsFormatErrors(p);
        PackageInspection i = PackageVerifier.inspect(p);
        if (Arrays.equals(p, original)) {
            assertThat(i.intact()).isTrue();
            assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).isEqualTo(signed);
        } else if (i.intact()) {
            // only the signature trailer's key or signature bytes can change without breaking
            // integrity, and then the signature no longer verifies
            assertThat(signed).isTrue();
            assertThat(p.length).isEqualTo(original.length);
            int trailer = 128 + 333;
            for (int k = 0; k < p.length; k++) {
                if (p[k] != original[k]) {
                    assertThat(k).isBetween(trailer + 8, trailer + 103);
                }
            }
            assertThat(i.signatureValid()).contains(false);
            assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).isFalse();
        }
    }
}
