package io.cxlkit.protocol.fwpkg;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** The JDK's Ed25519 and SHA-256, wrapped for the package format. Package-private. */
final class Ed25519 {

    /** Raw public key length. */
    static final int PUBLIC_KEY_LENGTH = 32;
    /** Signature length. */
    static final int SIGNATURE_LENGTH = 64;
    /**
     * The fixed DER prefix of an Ed25519 X.509 SubjectPublicKeyInfo (RFC 8410):
     * SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33 bytes, 0 unused bits) }.
     * The encoding is this prefix followed by the 32 raw key bytes, 44 bytes in all.
     */
    static final byte[] X509_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static byte[] sha256(byte[] bytes, int offset, int length) {
        MessageDigest md = sha256();
        md.update(bytes, offset, length);
        return md.digest();
    }

    /** The 44-byte X.509 encoding of an Ed25519 public key; anything else is rejected. */
    static byte[] x509(PublicKey key) {
        byte[] enc = key == null ? null : key.getEncoded();
        if (enc == null || enc.length != X509_PREFIX.length + PUBLIC_KEY_LENGTH
                || !Arrays.equals(enc, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return enc;
    }

    /** The 32 raw bytes of an Ed25519 public key. */
    static byte[] raw(PublicKey key) {
        byte[] enc = x509(key);
        return Arrays.copyOfRange(enc, X509_PREFIX.length, enc.length);
    }

    /** The X.509 encoding of a raw 32-byte key (no point validation). */
    static byte[] x509FromRaw(byte[] raw) {
        if (raw.length != PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
        }
        byte[] enc = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + PUBLIC_KEY_LENGTH);
        System.arraycopy(raw, 0, enc, X509_PREFIX.length, PUBLIC_KEY_LENGTH);
        return enc;
    }

    /** The public key for raw bytes, or null if the JDK refuses them (not a curve point). */
    static PublicKey publicKeyFromRaw(byte[] raw) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509FromRaw(raw)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an Ed25519 private key", e);
        } catch (NoSuchAlgorithmException | SignatureException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** True if {@code signature} is a valid Ed25519 signature of {@code message} by {@code key}; never throws. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (key == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
