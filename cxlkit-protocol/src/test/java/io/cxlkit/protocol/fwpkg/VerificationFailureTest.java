package io.cxlkit.protocol.fwpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The structured reasons of a failed verification and the one line derived from them. */
class VerificationFailureTest {

    private static byte[] digest(int first) {
        byte[] d = new byte[32];
        Arrays.fill(d, (byte) 0x11);
        d[0] = (byte) first;
        return d;
    }

    @Test
    void codesAndLabelsAreStable() {
        assertThat(Arrays.stream(VerificationCheck.values()).map(c -> c.code() + " " + c.label())).containsExactly(
                "1 header-too-short", "2 bad-magic", "3 header-digest-mismatch", "4 unsupported-format-version",
                "5 bad-header-field", "6 wrong-package-length", "7 body-digest-mismatch", "8 bad-signature-trailer",
                "9 nonzero-padding", "10 not-signed", "11 signature-invalid", "12 key-not-trusted",
                "13 security-version-below-floor");
        assertThat(VerificationCheck.fromCode(0x0C)).contains(VerificationCheck.KEY_NOT_TRUSTED);
        assertThat(VerificationCheck.fromCode(0)).isEmpty();
        assertThat(VerificationCheck.fromCode(0x0E)).isEmpty();
    }

    @Test
    void eachMessageIsDerivedFromTheDetails() {
        assertThat(VerificationFailure.of(VerificationCheck.BAD_MAGIC).message()).isEqualTo("bad magic");
        assertThat(VerificationFailure.of(VerificationCheck.NONZERO_PADDING).message()).isEqualTo("padding is not zero");
        assertThat(VerificationFailure.of(VerificationCheck.NOT_SIGNED).message()).isEqualTo("the package is not signed");
        assertThat(VerificationFailure.digestMismatch(VerificationCheck.BODY_DIGEST_MISMATCH, digest(0x3a), digest(0x91))
                .message()).isEqualTo("body digest mismatch: expected 3a11111111111111, found 9111111111111111");
        assertThat(VerificationFailure.digestMismatch(VerificationCheck.HEADER_DIGEST_MISMATCH, digest(1), digest(2))
                .message()).isEqualTo("header digest mismatch: expected 0111111111111111, found 0211111111111111");
        assertThat(VerificationFailure.keyNotTrusted("f3af909053e689d9").message())
                .isEqualTo("signed by key f3af909053e689d9, which is not trusted by this device");
        assertThat(VerificationFailure.signatureInvalid("f3af909053e689d9").message())
                .isEqualTo("the signature (key f3af909053e689d9) does not verify");
        assertThat(VerificationFailure.belowFloor(3, 5).message())
                .isEqualTo("security version 3 is below the device's floor 5");
        assertThat(VerificationFailure.described(VerificationCheck.WRONG_PACKAGE_LENGTH, "truncated: 600 of 640 bytes")
                .message()).isEqualTo("truncated: 600 of 640 bytes");
    }

    @Test
    void theLongestMessagesFitEightyCharacters() {
        String longest = "f".repeat(16);
        assertThat(VerificationFailure.keyNotTrusted(longest).message()).hasSizeLessThanOrEqualTo(80);
        assertThat(VerificationFailure.belowFloor(0xFFFF_FFFFL, 0xFFFF_FFFFL).message()).hasSizeLessThanOrEqualTo(80);
        assertThat(VerificationFailure.digestMismatch(VerificationCheck.HEADER_DIGEST_MISMATCH, digest(0), digest(0))
                .message()).hasSizeLessThanOrEqualTo(80);
        // the longest words of the header checks, and lengths of a 4 GiB device's packages
        assertThat("signature trailer length 4294967295 does not match the flags (expected 104)")
                .hasSizeLessThanOrEqualTo(80);
        assertThat("4294967295 bytes after the end of the package (4294967296 bytes)").hasSizeLessThanOrEqualTo(80);
    }

    @Test
    void aFailureHasExactlyTheDetailsOfItsCheck() {
        assertThatThrownBy(() -> VerificationFailure.described(VerificationCheck.BAD_MAGIC, "bad magic"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerificationFailure.of(VerificationCheck.WRONG_PACKAGE_LENGTH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerificationFailure.digestMismatch(VerificationCheck.KEY_NOT_TRUSTED, digest(0),
                digest(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VerificationFailure(VerificationCheck.KEY_NOT_TRUSTED, "", Optional.empty(),
                Optional.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerificationFailure.keyNotTrusted("F3AF909053E689D9"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerificationFailure.belowFloor(1L << 32, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerificationFailure.digestMismatch(VerificationCheck.BODY_DIGEST_MISMATCH, new byte[31],
                digest(0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void digestsAreCopiedAndComparedByContent() {
        byte[] expected = digest(1);
        var d = new VerificationFailure.Digests(expected, digest(2));
        expected[0] = 9;
        assertThat(d.expected()[0]).isEqualTo((byte) 1);
        assertThat(d).isEqualTo(new VerificationFailure.Digests(digest(1), digest(2)));
        assertThat(d).isNotEqualTo(new VerificationFailure.Digests(digest(1), digest(3)));
    }
}
