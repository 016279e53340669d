package io.cxlkit.protocol.fwpkg;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a package and reports what it found ({@link PackageInspection}); policy-free.
 *
 * <p>File and channel inspection streams: memory use is one 64 KiB buffer whatever the package
 * size, and a body length that the file cannot hold is never read. The channel is read with
 * positional reads, so its position is not changed. Only I/O errors throw; every format problem
 * is reported in the inspection.
 */
public final class PackageVerifier {

    /** Prefix of the raw revision given to images that are not packages under the {@code none} policy. */
    public static final String RAW_REVISION_PREFIX = "RAW-";

    private static final int BUFFER_SIZE = FirmwarePackage.BUFFER_SIZE;

    private PackageVerifier() {
    }

    /** A positional byte source. */
    @FunctionalInterface
    private interface Source {
        /** Reads into {@code dst} from {@code position}; -1 at end. */
        int read(ByteBuffer dst, long position) throws IOException;
    }

    /** Inspects the whole file. */
    public static PackageInspection inspect(Path file) throws IOException {
        return inspect(file, null);
    }

    /**
     * Inspects the whole file; when {@code knownBody} covers the body length the header states,
     * the body is not read: its digest is taken from there. Header, trailer and padding are read.
     */
    public static PackageInspection inspect(Path file, BodyDigest knownBody) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return inspect(ch::read, ch.size(), knownBody);
        }
    }

    /**
     * Inspects the first {@code size} bytes of {@code channel} (positional reads; the channel's
     * position is unchanged).
     *
     * @throws EOFException if the channel holds fewer than {@code size} bytes
     */
    public static PackageInspection inspect(FileChannel channel, long size) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (channel.size() < size) {
            throw new EOFException("the channel holds " + channel.size() + " bytes, fewer than " + size);
        }
        return inspect(channel::read, size, null);
    }

    /** Inspects a package held in memory. */
    public static PackageInspection inspect(byte[] bytes) {
        try {
            return inspect(arraySource(bytes), bytes.length, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: reading a byte array", e);
        }
    }

    private static Source arraySource(byte[] bytes) {
        return (dst, position) -> {
            if (position >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            return n;
        };
    }

    private static PackageInspection inspect(Source src, long size, BodyDigest knownBody) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        if (size < PackageHeader.SIZE) {
            return headerless(size, false, VerificationFailure.described(VerificationCheck.HEADER_TOO_SHORT,
                    "truncated header: " + size + " of 128 bytes"));
        }
        byte[] h = new byte[PackageHeader.SIZE];
        readFully(src, 0, ByteBuffer.wrap(h));
        if (!PackageHeader.magicMatches(h)) {
            return headerless(size, false, VerificationFailure.of(VerificationCheck.BAD_MAGIC));
        }
        boolean headerDigestOk = PackageHeader.digestMatches(h);
        VerificationFailure failure = headerDigestOk ? null : VerificationFailure.digestMismatch(
                VerificationCheck.HEADER_DIGEST_MISMATCH,
                Arrays.copyOfRange(h, PackageHeader.OFF_HEADER_SHA256, PackageHeader.SIZE), PackageHeader.headerDigest(h));
        PackageHeader header;
        try {
            header = PackageHeader.decode(h, false);
        } catch (PackageFormatException e) {
            return headerless(size, headerDigestOk, headerDigestOk ? headerFieldFailure(h, e) : failure);
        }

        long bodyEnd = PackageHeader.SIZE + header.bodyLength();
        long unpadded = header.unpaddedLength();
        long expected = header.packageLength();
        if (size < expected && failure == null) {
            failure = VerificationFailure.described(VerificationCheck.WRONG_PACKAGE_LENGTH,
                    "truncated: " + size + " of " + expected + " bytes");
        }

        ByteBuffer buf = ByteBuffer.allocate(BUFFER_SIZE);
        byte[] bodySha = null; // the body's digest as stored, once known
        if (size >= bodyEnd && knownBody != null && knownBody.bodyLength() == header.bodyLength()) {
            bodySha = knownBody.sha256();
        } else if (size >= bodyEnd) {
            MessageDigest md = Ed25519.sha256();
            long pos = PackageHeader.SIZE;
            while (pos < bodyEnd) {
                buf.clear().limit((int) Math.min(buf.capacity(), bodyEnd - pos));
                readFully(src, pos, buf);
                buf.flip();
                pos += buf.remaining();
                md.update(buf);
            }
            bodySha = md.digest();
        }
        boolean bodyDigestOk = bodySha != null && MessageDigest.isEqual(bodySha, header.bodySha256());
        if (!bodyDigestOk && failure == null) {
            // a body the file cannot hold is a truncation, reported above: here the digest is known
            failure = VerificationFailure.digestMismatch(VerificationCheck.BODY_DIGEST_MISMATCH, header.bodySha256(),
                    bodySha);
        }

        SignatureTrailer trailer = null;
        boolean signatureValid = false;
        if (header.signed() && size >= unpadded) {
            ByteBuffer t = ByteBuffer.allocate(SignatureTrailer.SIZE);
            readFully(src, bodyEnd, t);
            t.flip();
            try {
                trailer = SignatureTrailer.parse(t);
                signatureValid = trailer.verifies(h);
            } catch (PackageFormatException e) {
                if (failure == null) {
                    failure = VerificationFailure.described(VerificationCheck.BAD_SIGNATURE_TRAILER, e.getMessage());
                }
            }
        }

        boolean paddingZero = true;
        long pos = unpadded;
        long paddingEnd = Math.min(size, expected);
        while (paddingZero && pos < paddingEnd) {
            buf.clear().limit((int) Math.min(buf.capacity(), paddingEnd - pos));
            readFully(src, pos, buf);
            buf.flip();
            pos += buf.remaining();
            while (buf.hasRemaining()) {
                if (buf.get() != 0) {
                    paddingZero = false;
                    break;
                }
            }
        }
        if (!paddingZero && failure == null) {
            failure = VerificationFailure.of(VerificationCheck.NONZERO_PADDING);
        }
        if (size > expected && failure == null) {
            failure = VerificationFailure.described(VerificationCheck.WRONG_PACKAGE_LENGTH,
                    (size - expected) + " bytes after the end of the package (" + expected + " bytes)");
        }
        boolean lengthOk = size == expected && paddingZero;
        return new PackageInspection(size, header, headerDigestOk, bodyDigestOk, lengthOk, header.signed(),
                trailer, signatureValid, failure, h);
    }

    /**
     * A header whose digest matches but whose fields do not decode: the format version, checked
     * first, or another field, in {@link PackageHeader}'s words.
     */
    private static VerificationFailure headerFieldFailure(byte[] h, PackageFormatException e) {
        VerificationCheck check = PackageHeader.formatVersionOf(h) != PackageHeader.FORMAT_VERSION
                ? VerificationCheck.UNSUPPORTED_FORMAT_VERSION : VerificationCheck.BAD_HEADER_FIELD;
        return VerificationFailure.described(check, e.getMessage());
    }

    private static PackageInspection headerless(long size, boolean headerDigestOk, VerificationFailure failure) {
        return new PackageInspection(size, null, headerDigestOk, false, false, false, null, false, failure, null);
    }

    /** Fills {@code dst} from {@code position}. */
    private static void readFully(Source src, long position, ByteBuffer dst) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = src.read(dst, pos);
            if (n <= 0) {
                throw new EOFException("unexpected end of input at byte " + pos);
            }
            pos += n;
        }
    }

    // ---- revisions for the none policy -------------------------------------------------------

    /**
     * The revision of an image whose header's magic and format version parse and whose revision
     * field holds 1-16 printable ASCII characters (NUL-padded), regardless of digests and other
     * fields; else empty. Images shorter than 128 bytes have none.
     */
    public static Optional<String> revisionIfParsable(byte[] image) {
        if (image.length < PackageHeader.SIZE) {
            return Optional.empty();
        }
        return revisionOfHeader(java.util.Arrays.copyOf(image, PackageHeader.SIZE));
    }

    /** {@link #revisionIfParsable(byte[])} of a file, reading only its first 128 bytes. */
    public static Optional<String> revisionIfParsable(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return revisionIfParsable(ch, ch.size());
        }
    }

    /** {@link #revisionIfParsable(byte[])} of the first {@code size} bytes of a channel (positional reads). */
    public static Optional<String> revisionIfParsable(FileChannel channel, long size) throws IOException {
        if (size < PackageHeader.SIZE) {
            return Optional.empty();
        }
        ByteBuffer h = ByteBuffer.allocate(PackageHeader.SIZE);
        readFully(channel::read, 0, h);
        return revisionOfHeader(h.array());
    }

    private static Optional<String> revisionOfHeader(byte[] h) {
        if (!PackageHeader.magicMatches(h) || PackageHeader.formatVersionOf(h) != PackageHeader.FORMAT_VERSION) {
            return Optional.empty();
        }
        return Optional.ofNullable(PackageHeader.revisionOf(h));
    }

    /**
     * The raw revision of an image that is not a package: {@code "RAW-"} followed by the first 12
     * lowercase hex digits of the SHA-256 of the whole image (16 characters in all).
     *
     * @param sha256OfWholeImage the 32-byte SHA-256 of the image bytes
     */
    public static String rawRevision(byte[] sha256OfWholeImage) {
        if (sha256OfWholeImage.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest is 32 bytes, got " + sha256OfWholeImage.length);
        }
        return RAW_REVISION_PREFIX + HexFormat.of().formatHex(sha256OfWholeImage, 0, 6);
    }

    /** The revision the {@code none} policy gives an image: its own if parsable, else the raw one. */
    public static String revisionOrRaw(byte[] image) {
        return revisionIfParsable(image).orElseGet(() -> rawRevision(Ed25519.sha256(image, 0, image.length)));
    }

    /** {@link #revisionOrRaw(byte[])} of a file; streams it when a digest is needed. */
    public static String revisionOrRaw(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Optional<String> rev = revisionIfParsable(ch, size);
            if (rev.isPresent()) {
                return rev.get();
            }
            MessageDigest md = Ed25519.sha256();
            ByteBuffer buf = ByteBuffer.allocate(BUFFER_SIZE);
            long pos = 0;
            while (pos < size) {
                buf.clear().limit((int) Math.min(buf.capacity(), size - pos));
                readFully(ch::read, pos, buf);
                buf.flip();
                pos += buf.remaining();
                md.update(buf);
            }
            return rawRevision(md.digest());
        }
    }
}
