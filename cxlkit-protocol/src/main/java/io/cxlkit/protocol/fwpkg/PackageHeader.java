package io.cxlkit.protocol.fwpkg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The 128-byte header of a cxlkit firmware package (docs/package-format.md §2). All integers are
 * little-endian.
 *
 * <pre>
 * off  len  field
 * 00h  8    magic "CXLKITFW" (43 58 4C 4B 49 54 46 57)
 * 08h  2    format version = 1
 * 0Ah  2    header length = 128 (0080h)
 * 0Ch  2    flags: bit 0 = signed (a signature trailer follows the body); bits 15:1 reserved, 0
 * 0Eh  2    reserved, 0
 * 10h  16   revision: 1-16 printable ASCII bytes (20h..7Eh), NUL-padded
 * 20h  8    body length in bytes (at most 2^62)
 * 28h  32   SHA-256 of the body
 * 48h  4    security version (unsigned)
 * 4Ch  4    signature trailer length: 0 unsigned, 104 (68h) signed
 * 50h  16   reserved, 0
 * 60h  32   SHA-256 of header bytes 00h..5Fh
 * </pre>
 *
 * <p>The record holds the decoded fields; the header length, trailer length and header digest
 * are derived when encoding. {@link #bodySha256()} returns a copy.
 */
public record PackageHeader(int formatVersion, int flags, String revision, long bodyLength, byte[] bodySha256,
                            long securityVersion) {

    /** Size of the header in bytes. */
    public static final int SIZE = 128;
    /** The magic, ASCII. */
    public static final String MAGIC = "CXLKITFW";
    static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
    /** The only format version defined. */
    public static final int FORMAT_VERSION = 1;
    /** Flags bit 0: a signature trailer follows the body. */
    public static final int FLAG_SIGNED = 0x0001;
    /** The largest body length accepted. */
    public static final long MAX_BODY_LENGTH = 1L << 62;
    /** The largest security version (32 bits unsigned). */
    public static final long MAX_SECURITY_VERSION = 0xFFFF_FFFFL;
    /** Maximum revision length in characters (and width of the field). */
    public static final int REVISION_LENGTH = 16;

    // field offsets
    static final int OFF_MAGIC = 0x00;
    static final int OFF_FORMAT_VERSION = 0x08;
    static final int OFF_HEADER_LENGTH = 0x0A;
    static final int OFF_FLAGS = 0x0C;
    static final int OFF_RESERVED1 = 0x0E;
    static final int OFF_REVISION = 0x10;
    static final int OFF_BODY_LENGTH = 0x20;
    static final int OFF_BODY_SHA256 = 0x28;
    static final int OFF_SECURITY_VERSION = 0x48;
    static final int OFF_TRAILER_LENGTH = 0x4C;
    static final int OFF_RESERVED2 = 0x50;
    static final int OFF_HEADER_SHA256 = 0x60;
    /** Bytes 00h..5Fh are covered by the header digest. */
    static final int DIGESTED_LENGTH = OFF_HEADER_SHA256;
    static final int DIGEST_LENGTH = 32;

    static final String BAD_REVISION = "revision is not 1-16 printable ASCII characters";

    public PackageHeader {
        if (formatVersion != FORMAT_VERSION) {
            throw new PackageFormatException("unsupported format version " + formatVersion);
        }
        if ((flags & ~FLAG_SIGNED) != 0) {
            throw new PackageFormatException(String.format("unknown flags %04xh", flags & 0xFFFF));
        }
        if (!isValidRevision(revision)) {
            throw new PackageFormatException(BAD_REVISION);
        }
        if (bodyLength < 0 || bodyLength > MAX_BODY_LENGTH) {
            throw new PackageFormatException("body length " + Long.toUnsignedString(bodyLength) + " is out of range");
        }
        Objects.requireNonNull(bodySha256, "bodySha256");
        if (bodySha256.length != DIGEST_LENGTH) {
            throw new PackageFormatException("body digest is not 32 bytes");
        }
        bodySha256 = bodySha256.clone();
        if (securityVersion < 0 || securityVersion > MAX_SECURITY_VERSION) {
            throw new PackageFormatException("security version " + securityVersion + " is out of range");
        }
    }

    /** A format-version-1 header. */
    public static PackageHeader of(String revision, long securityVersion, long bodyLength, byte[] bodySha256,
                                   boolean signed) {
        return new PackageHeader(FORMAT_VERSION, signed ? FLAG_SIGNED : 0, revision, bodyLength, bodySha256,
                securityVersion);
    }

    /** True if {@code revision} is 1-16 characters, each printable ASCII (20h..7Eh). */
    public static boolean isValidRevision(String revision) {
        if (revision == null || revision.isEmpty() || revision.length() > REVISION_LENGTH) {
            return false;
        }
        for (int i = 0; i < revision.length(); i++) {
            char c = revision.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** A copy of the body's SHA-256. */
    @Override
    public byte[] bodySha256() {
        return bodySha256.clone();
    }

    /** The body's SHA-256 as 64 lowercase hex digits. */
    public String bodySha256Hex() {
        return HexFormat.of().formatHex(bodySha256);
    }

    /** Flags bit 0: a signature trailer follows the body. */
    public boolean signed() {
        return (flags & FLAG_SIGNED) != 0;
    }

    /** The signature trailer length this header announces: 0, or {@link SignatureTrailer#SIZE} if signed. */
    public int trailerLength() {
        return signed() ? SignatureTrailer.SIZE : 0;
    }

    /** Header + body + trailer, before padding. */
    public long unpaddedLength() {
        return SIZE + bodyLength + trailerLength();
    }

    /** The whole package's length: header + body + trailer, rounded up to a multiple of 128. */
    public long packageLength() {
        return paddedLength(unpaddedLength());
    }

    static long paddedLength(long n) {
        return (n + (SIZE - 1)) & ~(long) (SIZE - 1);
    }

    /** Writes the 128 header bytes (digest included) at the buffer's position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        out.put(encode());
    }

    /** The 128 header bytes, digest included. */
    public byte[] encode() {
        byte[] h = new byte[SIZE];
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        b.put(OFF_MAGIC, MAGIC_BYTES);
        b.putShort(OFF_FORMAT_VERSION, (short) formatVersion);
        b.putShort(OFF_HEADER_LENGTH, (short) SIZE);
        b.putShort(OFF_FLAGS, (short) flags);
        byte[] rev = revision.getBytes(StandardCharsets.US_ASCII);
        b.put(OFF_REVISION, rev);
        b.putLong(OFF_BODY_LENGTH, bodyLength);
        b.put(OFF_BODY_SHA256, bodySha256);
        b.putInt(OFF_SECURITY_VERSION, (int) securityVersion);
        b.putInt(OFF_TRAILER_LENGTH, trailerLength());
        b.put(OFF_HEADER_SHA256, headerDigest(h));
        return h;
    }

    /**
     * Reads and checks 128 bytes at the buffer's position, advancing it past them on success (the
     * position is left alone on failure). The buffer's byte order is not used.
     *
     * <p>Checks, in order (the first failure is the message): length, magic, header digest,
     * format version, header length, flags, trailer length, revision, reserved bytes, body length.
     * Because the header digest is checked right after the magic, any change to bytes 08h..7Fh
     * is reported as {@code "header digest mismatch"}.
     *
     * @throws PackageFormatException if the bytes are not a valid header
     */
    public static PackageHeader parse(ByteBuffer in) {
        if (in.remaining() < SIZE) {
            throw new PackageFormatException("truncated header: " + in.remaining() + " of 128 bytes");
        }
        byte[] h = new byte[SIZE];
        in.duplicate().get(h);
        PackageHeader header = decode(h, true);
        in.position(in.position() + SIZE);
        return header;
    }

    /** {@link #parse(ByteBuffer)} of the first 128 bytes of {@code bytes}. */
    public static PackageHeader parse(byte[] bytes) {
        return parse(ByteBuffer.wrap(bytes));
    }

    static boolean magicMatches(byte[] h) {
        return h.length >= MAGIC_BYTES.length && Arrays.equals(h, 0, MAGIC_BYTES.length, MAGIC_BYTES, 0, MAGIC_BYTES.length);
    }

    static byte[] headerDigest(byte[] h) {
        return Ed25519.sha256(h, 0, DIGESTED_LENGTH);
    }

    static boolean digestMatches(byte[] h) {
        return MessageDigest.isEqual(headerDigest(h), Arrays.copyOfRange(h, OFF_HEADER_SHA256, SIZE));
    }

    static int formatVersionOf(byte[] h) {
        return (h[OFF_FORMAT_VERSION] & 0xFF) | (h[OFF_FORMAT_VERSION + 1] & 0xFF) << 8;
    }

    /**
     * The revision field if it holds 1-16 printable ASCII bytes followed only by NULs, else null.
     */
    static String revisionOf(byte[] h) {
        int n = 0;
        while (n < REVISION_LENGTH && h[OFF_REVISION + n] != 0) {
            int c = h[OFF_REVISION + n] & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return null;
            }
            n++;
        }
        for (int i = n; i < REVISION_LENGTH; i++) {
            if (h[OFF_REVISION + i] != 0) {
                return null;
            }
        }
        return n == 0 ? null : new String(h, OFF_REVISION, n, StandardCharsets.US_ASCII);
    }

    /** Decodes a 128-byte header, checking the digest only if asked. */
    static PackageHeader decode(byte[] h, boolean checkDigest) {
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        if (!magicMatches(h)) {
            throw new PackageFormatException("bad magic");
        }
        if (checkDigest && !digestMatches(h)) {
            throw new PackageFormatException("header digest mismatch");
        }
        int version = formatVersionOf(h);
        if (version != FORMAT_VERSION) {
            throw new PackageFormatException("unsupported format version " + version);
        }
        int headerLength = b.getShort(OFF_HEADER_LENGTH) & 0xFFFF;
        if (headerLength != SIZE) {
            throw new PackageFormatException("header length " + headerLength + " is not 128");
        }
        int flags = b.getShort(OFF_FLAGS) & 0xFFFF;
        if ((flags & ~FLAG_SIGNED) != 0) {
            throw new PackageFormatException(String.format("unknown flags %04xh", flags));
        }
        long trailerLength = b.getInt(OFF_TRAILER_LENGTH) & 0xFFFF_FFFFL;
        long expectedTrailer = (flags & FLAG_SIGNED) != 0 ? SignatureTrailer.SIZE : 0;
        if (trailerLength != expectedTrailer) {
            throw new PackageFormatException("signature trailer length " + trailerLength
                    + " does not match the flags (expected " + expectedTrailer + ")");
        }
        String revision = revisionOf(h);
        if (revision == null) {
            throw new PackageFormatException(BAD_REVISION);
        }
        if (!allZero(h, OFF_RESERVED1, 2) || !allZero(h, OFF_RESERVED2, OFF_HEADER_SHA256 - OFF_RESERVED2)) {
            throw new PackageFormatException("reserved header bytes are not zero");
        }
        long bodyLength = b.getLong(OFF_BODY_LENGTH);
        byte[] bodySha = Arrays.copyOfRange(h, OFF_BODY_SHA256, OFF_BODY_SHA256 + DIGEST_LENGTH);
        long securityVersion = b.getInt(OFF_SECURITY_VERSION) & 0xFFFF_FFFFL;
        return new PackageHeader(version, flags, revision, bodyLength, bodySha, securityVersion);
    }

    static boolean allZero(byte[] a, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackageHeader other
                && formatVersion == other.formatVersion
                && flags == other.flags
                && revision.equals(other.revision)
                && bodyLength == other.bodyLength
                && Arrays.equals(bodySha256, other.bodySha256)
                && securityVersion == other.securityVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(formatVersion, flags, revision, bodyLength, Arrays.hashCode(bodySha256), securityVersion);
    }

    @Override
    public String toString() {
        return "PackageHeader[formatVersion=" + formatVersion + ", flags=" + flags + ", revision=" + revision
                + ", bodyLength=" + bodyLength + ", bodySha256=" + bodySha256Hex()
                + ", securityVersion=" + securityVersion + "]";
    }
}
