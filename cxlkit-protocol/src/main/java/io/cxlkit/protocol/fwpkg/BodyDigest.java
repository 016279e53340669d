package io.cxlkit.protocol.fwpkg;

import java.util.Arrays;

/**
 * The SHA-256 of bytes [128, 128 + {@code bodyLength}) of an image, computed by whoever wrote
 * them (a device hashing parts as they arrive), so {@link PackageVerifier} need not read the body
 * back. It is used only when the header's body length equals {@code bodyLength}; the caller
 * answers for it covering the bytes as stored.
 */
public record BodyDigest(long bodyLength, byte[] sha256) {

    public BodyDigest {
        if (bodyLength < 0) {
            throw new IllegalArgumentException("negative body length " + bodyLength);
        }
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest is 32 bytes, got " + sha256.length);
        }
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BodyDigest d && d.bodyLength == bodyLength && Arrays.equals(d.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bodyLength) * 31 + Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return "BodyDigest[" + bodyLength + " bytes, " + java.util.HexFormat.of().formatHex(sha256) + "]";
    }
}
