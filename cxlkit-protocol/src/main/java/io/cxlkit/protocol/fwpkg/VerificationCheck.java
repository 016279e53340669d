package io.cxlkit.protocol.fwpkg;

import java.util.Optional;

/**
 * The checks a package can fail, in the order a device applies them: the format checks of
 * {@link PackageVerifier} (docs/package-format.md §2, §5), then the {@code signed} policy's
 * (§6), then anti-rollback. A failed verification names exactly one, the first that failed
 * ({@link VerificationFailure}).
 *
 * <p>The codes are wire values (the check code of a verification log record,
 * docs/verification-log.md) and the labels are JSON values: both are stable. A new check gets a
 * new code; a code is never reused.
 */
public enum VerificationCheck {
    /** Fewer than 128 bytes. */
    HEADER_TOO_SHORT(0x01, "header-too-short"),
    /** Bytes 00h..07h are not {@code CXLKITFW}. */
    BAD_MAGIC(0x02, "bad-magic"),
    /** The header's SHA-256 (60h..7Fh) does not match bytes 00h..5Fh. */
    HEADER_DIGEST_MISMATCH(0x03, "header-digest-mismatch"),
    /** A format version other than 1. */
    UNSUPPORTED_FORMAT_VERSION(0x04, "unsupported-format-version"),
    /** Another header field breaks its rule: header length, flags, trailer length, revision, reserved, body length. */
    BAD_HEADER_FIELD(0x05, "bad-header-field"),
    /** Fewer bytes than the header announces, or bytes after the padding. */
    WRONG_PACKAGE_LENGTH(0x06, "wrong-package-length"),
    /** The body's SHA-256 does not match the header's. */
    BODY_DIGEST_MISMATCH(0x07, "body-digest-mismatch"),
    /** A signature trailer that is not one (magic, algorithm, reserved bytes). */
    BAD_SIGNATURE_TRAILER(0x08, "bad-signature-trailer"),
    /** A padding byte is not zero. */
    NONZERO_PADDING(0x09, "nonzero-padding"),
    /** {@code signed} policy: the package carries no signature. */
    NOT_SIGNED(0x0A, "not-signed"),
    /** {@code signed} policy: the signature does not verify with the trailer's own key. */
    SIGNATURE_INVALID(0x0B, "signature-invalid"),
    /** {@code signed} policy: a valid signature by a key the device does not trust. */
    KEY_NOT_TRUSTED(0x0C, "key-not-trusted"),
    /** Anti-rollback: the package's security version is below the device's floor. */
    SECURITY_VERSION_BELOW_FLOOR(0x0D, "security-version-below-floor");

    private final int code;
    private final String label;

    VerificationCheck(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The wire code, 16 bits. */
    public int code() {
        return code;
    }

    /** The JSON label, e.g. {@code key-not-trusted}. */
    public String label() {
        return label;
    }

    /** The check with wire code {@code code}; empty for a code no check has (yet). */
    public static Optional<VerificationCheck> fromCode(int code) {
        for (VerificationCheck c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
