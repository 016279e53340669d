package io.cxlkit.protocol.fwpkg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The 104-byte signature trailer that follows the body of a signed package
 * (docs/package-format.md §3). Little-endian.
 *
 * <pre>
 * off  len  field
 * 00h  4    magic "SIG1" (53 49 47 31)
 * 04h  2    algorithm: 1 = Ed25519 (the only one defined)
 * 06h  2    reserved, 0
 * 08h  32   the signer's Ed25519 public key, raw (RFC 8032 encoding)
 * 28h  64   Ed25519 signature of the 128 header bytes as stored
 * </pre>
 *
 * The accessors return copies.
 */
public record SignatureTrailer(int algorithm, byte[] publicKey, byte[] signature) {

    /** Size of the trailer in bytes. */
    public static final int SIZE = 104;
    /** The trailer magic, ASCII. */
    public static final String MAGIC = "SIG1";
    static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
    /** Algorithm id of Ed25519. */
    public static final int ALGORITHM_ED25519 = 1;

    static final int OFF_ALGORITHM = 0x04;
    static final int OFF_RESERVED = 0x06;
    static final int OFF_PUBLIC_KEY = 0x08;
    static final int OFF_SIGNATURE = 0x28;

    public SignatureTrailer {
        if (algorithm != ALGORITHM_ED25519) {
            throw new PackageFormatException("unknown signature algorithm " + algorithm);
        }
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(signature, "signature");
        if (publicKey.length != Ed25519.PUBLIC_KEY_LENGTH) {
            throw new PackageFormatException("an Ed25519 public key is 32 bytes");
        }
        if (signature.length != Ed25519.SIGNATURE_LENGTH) {
            throw new PackageFormatException("an Ed25519 signature is 64 bytes");
        }
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    /**
     * Signs the 128 encoded header bytes with {@code privateKey} and records {@code publicKey}.
     *
     * @throws IllegalArgumentException if a key is not Ed25519 or the two keys are not a pair
     */
    public static SignatureTrailer sign(byte[] headerBytes, PrivateKey privateKey, PublicKey publicKey) {
        byte[] raw = Ed25519.raw(publicKey);
        byte[] signature = Ed25519.sign(privateKey, headerBytes);
        if (!Ed25519.verify(publicKey, headerBytes, signature)) {
            throw new IllegalArgumentException("the private and public keys are not a pair");
        }
        return new SignatureTrailer(ALGORITHM_ED25519, raw, signature);
    }

    /** The raw public key (32 bytes). */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The signature (64 bytes). */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The key id of the embedded public key (see {@link KeyIds}). */
    public String keyId() {
        return KeyIds.ofEncoded(Ed25519.x509FromRaw(publicKey));
    }

    /** The embedded public key in X.509 SubjectPublicKeyInfo encoding. */
    byte[] publicKeyX509() {
        return Ed25519.x509FromRaw(publicKey);
    }

    /** True if the signature is a valid Ed25519 signature of {@code headerBytes} by the embedded key. */
    public boolean verifies(byte[] headerBytes) {
        return Ed25519.verify(Ed25519.publicKeyFromRaw(publicKey), headerBytes, signature);
    }

    /** True if the embedded key is {@code key} (same X.509 encoding). */
    public boolean isKey(PublicKey key) {
        byte[] enc = key == null ? null : key.getEncoded();
        return enc != null && Arrays.equals(enc, publicKeyX509());
    }

    /** Writes the 104 trailer bytes at the buffer's position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        out.put(encode());
    }

    /** The 104 trailer bytes. */
    public byte[] encode() {
        byte[] t = new byte[SIZE];
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, MAGIC_BYTES);
        b.putShort(OFF_ALGORITHM, (short) algorithm);
        b.put(OFF_PUBLIC_KEY, publicKey);
        b.put(OFF_SIGNATURE, signature);
        return t;
    }

    /**
     * Reads and checks 104 bytes at the buffer's position, advancing it on success.
     *
     * @throws PackageFormatException if the bytes are not a trailer (magic, algorithm, reserved)
     */
    public static SignatureTrailer parse(ByteBuffer in) {
        if (in.remaining() < SIZE) {
            throw new PackageFormatException("truncated signature trailer: " + in.remaining() + " of 104 bytes");
        }
        byte[] t = new byte[SIZE];
        in.duplicate().get(t);
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        if (!Arrays.equals(t, 0, MAGIC_BYTES.length, MAGIC_BYTES, 0, MAGIC_BYTES.length)) {
            throw new PackageFormatException("bad signature trailer magic");
        }
        int algorithm = b.getShort(OFF_ALGORITHM) & 0xFFFF;
        if (algorithm != ALGORITHM_ED25519) {
            throw new PackageFormatException("unknown signature algorithm " + algorithm);
        }
        if (b.getShort(OFF_RESERVED) != 0) {
            throw new PackageFormatException("reserved signature trailer bytes are not zero");
        }
        SignatureTrailer trailer = new SignatureTrailer(algorithm,
                Arrays.copyOfRange(t, OFF_PUBLIC_KEY, OFF_SIGNATURE),
                Arrays.copyOfRange(t, OFF_SIGNATURE, SIZE));
        in.position(in.position() + SIZE);
        return trailer;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignatureTrailer other && algorithm == other.algorithm
                && Arrays.equals(publicKey, other.publicKey) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, Arrays.hashCode(publicKey), Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "SignatureTrailer[algorithm=" + algorithm + ", keyId=" + keyId()
                + ", signature=" + HexFormat.of().formatHex(signature) + "]";
    }
}
