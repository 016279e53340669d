package io.cxlkit.protocol.fwpkg;

import java.security.PublicKey;
import java.util.HexFormat;

/**
 * Key ids: the first 8 bytes of the SHA-256 of a public key's X.509 SubjectPublicKeyInfo DER
 * encoding ({@link PublicKey#getEncoded()}; for Ed25519 the 44 bytes
 * {@code 302a300506032b6570032100} followed by the 32 raw key bytes), as 16 lowercase hex digits.
 */
public final class KeyIds {

    /** Length of a key id in hex digits. */
    public static final int LENGTH = 16;

    private KeyIds() {
    }

    /** True if {@code text} has a key id's form: {@value #LENGTH} lowercase hex digits. */
    public static boolean isKeyId(String text) {
        return text.length() == LENGTH && text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /** {@code text}, if it is a key id; else the one message every record holding a key id gives. */
    public static String requireKeyId(String text) {
        if (!isKeyId(text)) {
            throw new IllegalArgumentException("a key id is " + LENGTH + " lower-case hex digits: " + text);
        }
        return text;
    }

    /** The key id of {@code key}, 16 lowercase hex digits. */
    public static String of(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new IllegalArgumentException("the key has no encoding");
        }
        return ofEncoded(encoded);
    }

    /** The key id of an X.509 SubjectPublicKeyInfo encoding. */
    static String ofEncoded(byte[] x509) {
        return HexFormat.of().formatHex(Ed25519.sha256(x509, 0, x509.length), 0, LENGTH / 2);
    }
}
