package io.cxlkit.protocol.fwpkg;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link PackageVerifier} found in a package: facts, no policy. The device's verification
 * policies (docs/package-format.md §6) are built from them:
 *
 * <ul>
 *   <li>{@code package}: {@link #intact()};
 *   <li>{@code signed}: {@code intact() && (factory() || verifiesWith(trustedKeys))};
 *   <li>{@code none}: nothing ({@link PackageVerifier#revisionOrRaw} gives the revision).
 * </ul>
 *
 * <p>{@link #failure()} is the first reason, in check order, why the package is not intact:
 * header (length, magic, digest, fields), total length, body digest, signature trailer format,
 * padding ({@link VerificationCheck} up to {@link VerificationCheck#NONZERO_PADDING}). A signature
 * that does not verify is not a failure of integrity: it shows in {@link #signatureValid()} and
 * {@link #verifiesWith}.
 */
public final class PackageInspection {

    private final long size;
    private final PackageHeader header;
    private final boolean headerDigestOk;
    private final boolean bodyDigestOk;
    private final boolean lengthOk;
    private final boolean signed;
    private final SignatureTrailer trailer;
    private final boolean signatureValid;
    private final VerificationFailure failure;
    private final byte[] headerBytes;

    PackageInspection(long size, PackageHeader header, boolean headerDigestOk, boolean bodyDigestOk,
                      boolean lengthOk, boolean signed, SignatureTrailer trailer, boolean signatureValid,
                      VerificationFailure failure, byte[] headerBytes) {
        this.size = size;
        this.header = header;
        this.headerDigestOk = headerDigestOk;
        this.bodyDigestOk = bodyDigestOk;
        this.lengthOk = lengthOk;
        this.signed = signed;
        this.trailer = trailer;
        this.signatureValid = signatureValid;
        this.failure = failure;
        this.headerBytes = headerBytes;
    }

    /** The number of bytes inspected. */
    public long size() {
        return size;
    }

    /**
     * The decoded header, present when the magic, format version and every field decode (even if
     * the header digest does not match: see {@link #headerDigestOk()}).
     */
    public Optional<PackageHeader> header() {
        return Optional.ofNullable(header);
    }

    /** The revision from the header, when {@link #header()} is present. */
    public Optional<String> revision() {
        return header().map(PackageHeader::revision);
    }

    /** The header's digest (bytes 60h..7Fh) matches its bytes 00h..5Fh. */
    public boolean headerDigestOk() {
        return headerDigestOk;
    }

    /** The body is all there and its SHA-256 matches the header. */
    public boolean bodyDigestOk() {
        return bodyDigestOk;
    }

    /**
     * The size is exactly header + body + trailer rounded up to 128, and the padding bytes are
     * zero. False whenever there is no header.
     */
    public boolean lengthOk() {
        return lengthOk;
    }

    /** The header's signed flag is set. */
    public boolean signed() {
        return signed;
    }

    /** The well-formed signature trailer, if signed and present. */
    public Optional<SignatureTrailer> trailer() {
        return Optional.ofNullable(trailer);
    }

    /** The key id of the public key in the signature trailer, if signed and well-formed. */
    public Optional<String> keyId() {
        return trailer().map(SignatureTrailer::keyId);
    }

    /**
     * Empty if unsigned; else whether the trailer is well-formed and its signature verifies, over
     * the 128 header bytes as stored, with the trailer's own public key.
     */
    public Optional<Boolean> signatureValid() {
        return signed ? Optional.of(signatureValid) : Optional.empty();
    }

    /** The first integrity failure, e.g. a body digest mismatch with both digests; empty when intact. */
    public Optional<VerificationFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * The header parses, both digests match, the length and padding are right, and a signature
     * trailer (if flagged) is well-formed: what the {@code package} policy accepts.
     */
    public boolean intact() {
        return failure == null;
    }

    /**
     * This is the factory package ({@link FirmwarePackage#factory()}): intact and with the factory
     * header, byte for byte (the header binds the body through its digest).
     */
    public boolean factory() {
        return intact() && Arrays.equals(headerBytes, FirmwarePackage.factoryHeaderBytes());
    }

    /**
     * Empty if unsigned; else whether the signature is valid and made by one of {@code trustedKeys}
     * (the trailer's key must equal a trusted key and the signature must verify with it).
     */
    public Optional<Boolean> trusted(Collection<? extends PublicKey> trustedKeys) {
        return signed ? Optional.of(verifiesWith(trustedKeys)) : Optional.empty();
    }

    /**
     * True if the package is signed, the signature is valid, and the signing key is one of
     * {@code trustedKeys}. Says nothing about the digests: combine with {@link #intact()}.
     */
    public boolean verifiesWith(Collection<? extends PublicKey> trustedKeys) {
        Objects.requireNonNull(trustedKeys, "trustedKeys");
        if (!signed || trailer == null || !signatureValid) {
            return false;
        }
        for (PublicKey key : trustedKeys) {
            if (trailer.isKey(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PackageInspection[size=" + size + ", header=" + header + ", headerDigestOk=" + headerDigestOk
                + ", bodyDigestOk=" + bodyDigestOk + ", lengthOk=" + lengthOk + ", signed=" + signed
                + ", keyId=" + keyId().orElse(null) + ", signatureValid=" + signatureValid().orElse(null)
                + ", failure=" + failure().map(VerificationFailure::message).orElse(null) + "]";
    }
}
