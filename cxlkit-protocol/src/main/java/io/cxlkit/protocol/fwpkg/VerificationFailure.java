package io.cxlkit.protocol.fwpkg;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Why a package failed verification: the first {@link VerificationCheck} that failed and what it
 * compared, where it compared something: the expected and found SHA-256 of a digest check, the
 * key id of a signature check, the security version and the floor of anti-rollback.
 * {@link #message()} is the one-line reason derived from them, the words of the device's log
 * lines and of its verification log (docs/verification-log.md).
 *
 * <p>Built with the factory of its check; the constructor checks that the details present are
 * exactly the ones the check has.
 *
 * @param detail the verifier's own words for the format checks whose specifics have no field of
 *               their own ({@link #DESCRIBED}: a length, the format version, a header field, the
 *               trailer's fault), e.g. {@code truncated: 600 of 640 bytes}; empty for every other
 *               check
 */
public record VerificationFailure(VerificationCheck check, String detail, Optional<Digests> digests,
                                  Optional<String> keyId, Optional<SecurityVersions> securityVersions) {

    /** How many hex digits of each digest a message shows (as many as a key id has). */
    public static final int SHOWN_DIGEST_DIGITS = KeyIds.LENGTH;

    /** The checks whose message is the verifier's {@link #detail}. */
    public static final Set<VerificationCheck> DESCRIBED = Set.copyOf(EnumSet.of(VerificationCheck.HEADER_TOO_SHORT,
            VerificationCheck.UNSUPPORTED_FORMAT_VERSION, VerificationCheck.BAD_HEADER_FIELD,
            VerificationCheck.WRONG_PACKAGE_LENGTH, VerificationCheck.BAD_SIGNATURE_TRAILER));
    private static final Set<VerificationCheck> DIGEST_CHECKS = Set.copyOf(EnumSet.of(
            VerificationCheck.HEADER_DIGEST_MISMATCH, VerificationCheck.BODY_DIGEST_MISMATCH));
    private static final Set<VerificationCheck> KEY_CHECKS = Set.copyOf(EnumSet.of(
            VerificationCheck.SIGNATURE_INVALID, VerificationCheck.KEY_NOT_TRUSTED));

    public VerificationFailure {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(digests, "digests");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(securityVersions, "securityVersions");
        if (DESCRIBED.contains(check) == detail.isEmpty()
                || DIGEST_CHECKS.contains(check) != digests.isPresent()
                || KEY_CHECKS.contains(check) != keyId.isPresent()
                || (check == VerificationCheck.SECURITY_VERSION_BELOW_FLOOR) != securityVersions.isPresent()) {
            throw new IllegalArgumentException("the details of a " + check.label() + " failure are its own: detail '"
                    + detail + "', digests " + digests.isPresent() + ", key id " + keyId.isPresent()
                    + ", security versions " + securityVersions.isPresent());
        }
        keyId.ifPresent(KeyIds::requireKeyId);
    }

    /** A check with nothing to add: {@code bad-magic}, {@code nonzero-padding}, {@code not-signed}. */
    public static VerificationFailure of(VerificationCheck check) {
        return new VerificationFailure(check, "", Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A check of {@link #DESCRIBED}, in the verifier's words. */
    public static VerificationFailure described(VerificationCheck check, String words) {
        return new VerificationFailure(check, words, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A digest check: the SHA-256 the package states and the one of the bytes as stored. */
    public static VerificationFailure digestMismatch(VerificationCheck check, byte[] expected, byte[] found) {
        return new VerificationFailure(check, "", Optional.of(new Digests(expected, found)), Optional.empty(),
                Optional.empty());
    }

    /** The signature by the key {@code keyId} does not verify. */
    public static VerificationFailure signatureInvalid(String keyId) {
        return new VerificationFailure(VerificationCheck.SIGNATURE_INVALID, "", Optional.empty(), Optional.of(keyId),
                Optional.empty());
    }

    /** A valid signature by the key {@code keyId}, which the device does not trust. */
    public static VerificationFailure keyNotTrusted(String keyId) {
        return new VerificationFailure(VerificationCheck.KEY_NOT_TRUSTED, "", Optional.empty(), Optional.of(keyId),
                Optional.empty());
    }

    /** Anti-rollback: security version {@code securityVersion} is below the device's {@code floor}. */
    public static VerificationFailure belowFloor(long securityVersion, long floor) {
        return new VerificationFailure(VerificationCheck.SECURITY_VERSION_BELOW_FLOOR, "", Optional.empty(),
                Optional.empty(), Optional.of(new SecurityVersions(securityVersion, floor)));
    }

    /**
     * The one-line reason, e.g. {@code body digest mismatch: expected 3a7b..., found 91c2...} (the
     * first {@value #SHOWN_DIGEST_DIGITS} hex digits of each digest) or {@code signed by key
     * f3af909053e689d9, which is not trusted by this device}. At most 80 characters for any package
     * of up to 4 GiB, the largest a device takes.
     */
    public String message() {
        return switch (check) {
            case BAD_MAGIC -> "bad magic";
            case HEADER_DIGEST_MISMATCH -> "header digest mismatch: " + digests.orElseThrow().describe();
            case BODY_DIGEST_MISMATCH -> "body digest mismatch: " + digests.orElseThrow().describe();
            case NONZERO_PADDING -> "padding is not zero";
            case NOT_SIGNED -> "the package is not signed";
            case SIGNATURE_INVALID -> "the signature (key " + keyId.orElseThrow() + ") does not verify";
            case KEY_NOT_TRUSTED -> "signed by key " + keyId.orElseThrow() + ", which is not trusted by this device";
            case SECURITY_VERSION_BELOW_FLOOR -> "security version " + securityVersions.orElseThrow().securityVersion()
                    + " is below the device's floor " + securityVersions.orElseThrow().floor();
            case HEADER_TOO_SHORT, UNSUPPORTED_FORMAT_VERSION, BAD_HEADER_FIELD, WRONG_PACKAGE_LENGTH,
                    BAD_SIGNATURE_TRAILER -> detail;
        };
    }

    /**
     * What a digest check compared: the SHA-256 the package states (the header's digest field, or
     * the body digest in the header) and the SHA-256 of the bytes as stored. 32 bytes each; the
     * accessors return copies.
     */
    public record Digests(byte[] expected, byte[] found) {

        public static final int SIZE = 32;

        public Digests {
            if (expected.length != SIZE || found.length != SIZE) {
                throw new IllegalArgumentException("a SHA-256 digest is 32 bytes");
            }
            expected = expected.clone();
            found = found.clone();
        }

        @Override
        public byte[] expected() {
            return expected.clone();
        }

        @Override
        public byte[] found() {
            return found.clone();
        }

        /** {@code expected 3a7b3a7b3a7b3a7b, found 91c291c291c291c2}. */
        String describe() {
            return "expected " + shown(expected) + ", found " + shown(found);
        }

        private static String shown(byte[] digest) {
            return HexFormat.of().formatHex(digest, 0, SHOWN_DIGEST_DIGITS / 2);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Digests d && MessageDigest.isEqual(d.expected, expected)
                    && MessageDigest.isEqual(d.found, found);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(expected) + Arrays.hashCode(found);
        }

        @Override
        public String toString() {
            return "Digests[expected=" + HexFormat.of().formatHex(expected) + ", found="
                    + HexFormat.of().formatHex(found) + "]";
        }
    }

    /** What anti-rollback compared: the package's security version and the device's floor (32-bit unsigned). */
    public record SecurityVersions(long securityVersion, long floor) {
        public SecurityVersions {
            if (securityVersion < 0 || securityVersion > PackageHeader.MAX_SECURITY_VERSION
                    || floor < 0 || floor > PackageHeader.MAX_SECURITY_VERSION) {
                throw new IllegalArgumentException("security versions are 32-bit unsigned: " + securityVersion
                        + ", floor " + floor);
            }
        }
    }
}
