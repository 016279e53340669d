package io.cxlkit.protocol.fwpkg;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * PEM text for Ed25519 keys: private keys as PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}),
 * public keys as X.509 SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}), base64 in
 * 64-character lines, {@code \n} line ends, as OpenSSL writes them.
 */
public final class Pem {

    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private Pem() {
    }

    /** PKCS#8 PEM of an Ed25519 private key. */
    public static String writePrivateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
            throw new IllegalArgumentException("the private key has no PKCS#8 encoding");
        }
        checkEd25519Private(key.getEncoded());
        return write(PRIVATE, key.getEncoded());
    }

    /** X.509 PEM of an Ed25519 public key. */
    public static String writePublicKey(PublicKey key) {
        return write(PUBLIC, Ed25519.x509(key));
    }

    /**
     * Reads the first PKCS#8 {@code PRIVATE KEY} block of {@code pem}.
     *
     * @throws IllegalArgumentException if there is none or it is not an Ed25519 key
     */
    public static PrivateKey readPrivateKey(String pem) {
        byte[] der = read(PRIVATE, pem);
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not an Ed25519 private key", e);
        }
    }

    /**
     * Reads the first X.509 {@code PUBLIC KEY} block of {@code pem}.
     *
     * @throws IllegalArgumentException if there is none or it is not an Ed25519 key
     */
    public static PublicKey readPublicKey(String pem) {
        byte[] der = read(PUBLIC, pem);
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            Ed25519.x509(key);
            return key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    private static void checkEd25519Private(byte[] der) {
        try {
            KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not an Ed25519 private key", e);
        }
    }

    private static String write(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    private static byte[] read(String type, String pem) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = b < 0 ? -1 : pem.indexOf(end, b + begin.length());
        if (b < 0 || e < 0) {
            throw new IllegalArgumentException("no PEM " + type + " block");
        }
        String body = pem.substring(b + begin.length(), e).replaceAll("\\s+", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("bad base64 in PEM " + type + " block", ex);
        }
        if (der.length == 0) {
            throw new IllegalArgumentException("empty PEM " + type + " block");
        }
        return der;
    }
}
