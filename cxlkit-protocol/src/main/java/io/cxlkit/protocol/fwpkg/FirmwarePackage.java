package io.cxlkit.protocol.fwpkg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A firmware package ready to be written: header, body, optional signature trailer, zero padding
 * (docs/package-format.md). Built with {@link #builder()}:
 *
 * <pre>{@code
 * FirmwarePackage pkg = FirmwarePackage.builder()
 *         .revision("BWFW VERSION 1").securityVersion(0)
 *         .body(Path.of("fw.bin"))             // or .body(byte[])
 *         .sign(privateKey, publicKey)         // optional
 *         .build();
 * pkg.writeTo(Path.of("fw.img"));               // or writeTo(OutputStream), toByteArray()
 * }</pre>
 *
 * <p>A {@link Path} body is never held in memory: {@link Builder#build()} digests it in one
 * streaming pass, and each write streams it again (64 KiB at a time) while re-digesting it, so a
 * body file that changed in between is an {@link IOException} rather than a corrupt package.
 */
public final class FirmwarePackage {

    /** Revision of the factory package. */
    public static final String FACTORY_REVISION = "BWFW VERSION 0";
    /** Body length of the factory package (all zero bytes). */
    public static final int FACTORY_BODY_LENGTH = 4096;

    static final int BUFFER_SIZE = 64 * 1024;
    private static final byte[] ZEROS = new byte[PackageHeader.SIZE];

    private final PackageHeader header;
    private final byte[] headerBytes;
    private final SignatureTrailer trailer; // null when unsigned
    private final byte[] body;              // exactly one of body and bodyPath is set
    private final Path bodyPath;

    private FirmwarePackage(PackageHeader header, SignatureTrailer trailer, byte[] body, Path bodyPath) {
        this.header = header;
        this.headerBytes = header.encode();
        this.trailer = trailer;
        this.body = body;
        this.bodyPath = bodyPath;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The factory package (device-behaviour.md §3): revision {@code BWFW VERSION 0}, security
     * version 0, a 4 KiB zero body, unsigned; 4224 bytes (33 x 128, no padding).
     */
    public static byte[] factory() {
        return builder().revision(FACTORY_REVISION).securityVersion(0).body(new byte[FACTORY_BODY_LENGTH])
                .build().toByteArray();
    }

    /** The 128 header bytes of the factory package. */
    static byte[] factoryHeaderBytes() {
        return FactoryHolder.HEADER.clone();
    }

    private static final class FactoryHolder {
        static final byte[] HEADER = java.util.Arrays.copyOf(factory(), PackageHeader.SIZE);
    }

    public PackageHeader header() {
        return header;
    }

    /** The 128 encoded header bytes (the bytes that are signed). */
    public byte[] headerBytes() {
        return headerBytes.clone();
    }

    /** The signature trailer, if signed. */
    public Optional<SignatureTrailer> trailer() {
        return Optional.ofNullable(trailer);
    }

    /** The signer's key id, if signed. */
    public Optional<String> keyId() {
        return trailer().map(SignatureTrailer::keyId);
    }

    /** The total length in bytes, padding included (a multiple of 128). */
    public long length() {
        return header.packageLength();
    }

    /** Streams the package to {@code out} (which is neither flushed nor closed). */
    public void writeTo(OutputStream out) throws IOException {
        out.write(headerBytes);
        if (body != null) {
            out.write(body);
        } else {
            copyBody(out);
        }
        if (trailer != null) {
            out.write(trailer.encode());
        }
        out.write(ZEROS, 0, (int) (header.packageLength() - header.unpaddedLength()));
    }

    /** Writes the package to {@code file}, creating or replacing it; a failed write deletes the file. */
    public void writeTo(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeTo(out);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The whole package as bytes.
     *
     * @throws IllegalStateException if the package is 2 GiB or larger
     * @throws UncheckedIOException if a {@link Path} body cannot be read or has changed
     */
    public byte[] toByteArray() {
        if (length() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a package of " + length() + " bytes does not fit in a byte array");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) length());
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void copyBody(OutputStream out) throws IOException {
        MessageDigest md = Ed25519.sha256();
        long copied = 0;
        byte[] buf = new byte[BUFFER_SIZE];
        try (InputStream in = Files.newInputStream(bodyPath)) {
            long remaining = header.bodyLength();
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                out.write(buf, 0, n);
                copied += n;
                remaining -= n;
            }
            if (copied != header.bodyLength() || in.read() >= 0
                    || !MessageDigest.isEqual(md.digest(), header.bodySha256())) {
                throw new IOException("body file changed while packing: " + bodyPath);
            }
        }
    }

    /** Builds a {@link FirmwarePackage}. Revision and body are required; security version defaults to 0. */
    public static final class Builder {
        private String revision;
        private long securityVersion;
        private byte[] body;
        private Path bodyPath;
        private PrivateKey privateKey;
        private PublicKey publicKey;

        private Builder() {
        }

        /** @throws PackageFormatException if not 1-16 printable ASCII characters */
        public Builder revision(String revision) {
            if (!PackageHeader.isValidRevision(revision)) {
                throw new PackageFormatException(PackageHeader.BAD_REVISION);
            }
            this.revision = revision;
            return this;
        }

        /** @throws IllegalArgumentException if not 0..2^32-1 */
        public Builder securityVersion(long securityVersion) {
            if (securityVersion < 0 || securityVersion > PackageHeader.MAX_SECURITY_VERSION) {
                throw new IllegalArgumentException("security version " + securityVersion + " is out of range");
            }
            this.securityVersion = securityVersion;
            return this;
        }

        /** The body bytes (copied). Replaces any earlier body. */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body").clone();
            this.bodyPath = null;
            return this;
        }

        /** A body file, streamed (never held in memory). Replaces any earlier body. */
        public Builder body(Path bodyFile) {
            this.bodyPath = Objects.requireNonNull(bodyFile, "bodyFile");
            this.body = null;
            return this;
        }

        /**
         * Sign with an Ed25519 key pair: the package gets a signature trailer with {@code publicKey}.
         *
         * @throws IllegalArgumentException if {@code publicKey} is not an Ed25519 key
         */
        public Builder sign(PrivateKey privateKey, PublicKey publicKey) {
            Ed25519.raw(publicKey);
            this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
            this.publicKey = publicKey;
            return this;
        }

        /** Do not sign (the default). */
        public Builder unsigned() {
            this.privateKey = null;
            this.publicKey = null;
            return this;
        }

        /**
         * Digests the body (one streaming pass for a file) and signs the header.
         *
         * @throws IllegalStateException if revision or body is missing
         * @throws IllegalArgumentException if the keys are not an Ed25519 pair
         * @throws UncheckedIOException if the body file cannot be read
         */
        public FirmwarePackage build() {
            if (revision == null) {
                throw new IllegalStateException("revision is not set");
            }
            if (body == null && bodyPath == null) {
                throw new IllegalStateException("body is not set");
            }
            long bodyLength;
            byte[] bodySha;
            if (body != null) {
                bodyLength = body.length;
                bodySha = Ed25519.sha256(body, 0, body.length);
            } else {
                MessageDigest md = Ed25519.sha256();
                byte[] buf = new byte[BUFFER_SIZE];
                long n = 0;
                try (InputStream in = Files.newInputStream(bodyPath)) {
                    for (int r; (r = in.read(buf)) >= 0; ) {
                        md.update(buf, 0, r);
                        n += r;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                bodyLength = n;
                bodySha = md.digest();
            }
            boolean signed = privateKey != null;
            PackageHeader header = PackageHeader.of(revision, securityVersion, bodyLength, bodySha, signed);
            SignatureTrailer trailer = signed ? SignatureTrailer.sign(header.encode(), privateKey, publicKey) : null;
            return new FirmwarePackage(header, trailer, body, bodyPath);
        }
    }
}
