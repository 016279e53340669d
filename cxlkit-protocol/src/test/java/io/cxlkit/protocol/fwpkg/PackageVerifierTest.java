package io.cxlkit.protocol.fwpkg;

import static io.cxlkit.protocol.fwpkg.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageVerifierTest {

    @TempDir
    Path dir;

    private static final KeyPair SIGNER = Vectors.newKeyPair();
    private static final KeyPair OTHER = Vectors.newKeyPair();

    /** 300-byte body: 128 + 300 = 428, padded to 512 (84 bytes of padding); signed: 532 → 640. */
    private static byte[] body() {
        byte[] body = new byte[300];
        new Random(1).nextBytes(body);
        return body;
    }

    private static byte[] unsigned() {
        return FirmwarePackage.builder().revision("BWFW VERSION 1").securityVersion(3).body(body()).build()
                .toByteArray();
    }

    private static byte[] signed() {
        return FirmwarePackage.builder().revision("BWFW VERSION 1").securityVersion(3).body(body())
                .sign(SIGNER.getPrivate(), SIGNER.getPublic()).build().toByteArray();
    }

    /** The one-line reason of the first failure. */
    private static Optional<String> message(PackageInspection i) {
        return i.failure().map(VerificationFailure::message);
    }

    private static Optional<VerificationCheck> check(PackageInspection i) {
        return i.failure().map(VerificationFailure::check);
    }

    private static byte[] redigestHeader(byte[] pkg) {
        System.arraycopy(Vectors.sha256(Arrays.copyOf(pkg, 96)), 0, pkg, 96, 32);
        return pkg;
    }

    @Test
    void intactUnsignedPackage() {
        PackageInspection i = PackageVerifier.inspect(unsigned());
        assertThat(i.intact()).isTrue();
        assertThat(message(i)).isEmpty();
        assertThat(i.headerDigestOk()).isTrue();
        assertThat(i.bodyDigestOk()).isTrue();
        assertThat(i.lengthOk()).isTrue();
        assertThat(i.signed()).isFalse();
        assertThat(i.keyId()).isEmpty();
        assertThat(i.signatureValid()).isEmpty();
        assertThat(i.trusted(List.of(SIGNER.getPublic()))).isEmpty();
        assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).isFalse();
        assertThat(i.revision()).contains("BWFW VERSION 1");
        assertThat(i.size()).isEqualTo(512);
        assertThat(i.factory()).isFalse();
    }

    @Test
    void aKnownBodyDigestStandsInForReadingTheBody() throws IOException {
        byte[] pkg = signed();
        Path file = Files.write(dir.resolve("p.pkg"), pkg);
        byte[] realBody = Vectors.sha256(body());
        BodyDigest right = new BodyDigest(300, realBody);
        assertThat(PackageVerifier.inspect(file, right).intact()).isTrue();

        // the body is taken from the digest: a wrong one fails though the file is intact...
        byte[] wrongSha = realBody.clone();
        wrongSha[0] ^= 1;
        PackageInspection wrong = PackageVerifier.inspect(file, new BodyDigest(300, wrongSha));
        assertThat(wrong.bodyDigestOk()).isFalse();
        assertThat(check(wrong)).contains(VerificationCheck.BODY_DIGEST_MISMATCH);

        // ...but only when it covers the length the header states; otherwise the body is read
        assertThat(PackageVerifier.inspect(file, new BodyDigest(299, wrongSha)).intact()).isTrue();

        // header, trailer and padding are still read from the file
        byte[] badPadding = pkg.clone();
        badPadding[badPadding.length - 1] = 1;
        Path padded = Files.write(dir.resolve("pad.pkg"), badPadding);
        assertThat(message(PackageVerifier.inspect(padded, right))).contains("padding is not zero");
        byte[] badSignature = pkg.clone();
        badSignature[128 + 300 + 50] ^= 1;
        Path sig = Files.write(dir.resolve("sig.pkg"), badSignature);
        assertThat(PackageVerifier.inspect(sig, right).signatureValid()).contains(false);
    }

    @Test
    void everyHeaderByteFlipIsDetected() {
        for (byte[] good : List.of(unsigned(), signed())) {
            for (int at = 0; at < 128; at++) {
                byte[] p = good.clone();
                p[at] ^= 0x01;
                PackageInspection i = PackageVerifier.inspect(p);
                assertThat(i.intact()).as("byte %d", at).isFalse();
                assertThat(check(i)).as("byte %d", at).contains(at < 8 ? VerificationCheck.BAD_MAGIC
                        : VerificationCheck.HEADER_DIGEST_MISMATCH);
                assertThat(i.headerDigestOk()).isFalse();
                assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).as("byte %d", at).isFalse();
            }
        }
    }

    @Test
    void headerDigestMismatchStillReportsTheDecodedFields() {
        byte[] p = unsigned();
        p[0x48] = 9; // security version 3 -> 9 without fixing the digest
        PackageInspection i = PackageVerifier.inspect(p);
        assertThat(check(i)).contains(VerificationCheck.HEADER_DIGEST_MISMATCH);
        assertThat(i.header().orElseThrow().securityVersion()).isEqualTo(9);
        assertThat(i.bodyDigestOk()).isTrue();
        assertThat(i.lengthOk()).isTrue();
    }

    @Test
    void everyBodyByteFlipIsABodyDigestMismatch() {
        for (byte[] good : List.of(unsigned(), signed())) {
            for (int at = 128; at < 128 + 300; at++) {
                byte[] p = good.clone();
                p[at] ^= (byte) 0x80;
                PackageInspection i = PackageVerifier.inspect(p);
                assertThat(check(i)).as("byte %d", at).contains(VerificationCheck.BODY_DIGEST_MISMATCH);
                assertThat(i.headerDigestOk()).isTrue();
                assertThat(i.bodyDigestOk()).isFalse();
                assertThat(i.lengthOk()).isTrue();
                assertThat(i.intact()).isFalse();
            }
        }
    }

    @Test
    void everyNonZeroPaddingByteIsDetected() {
        byte[] good = unsigned();
        for (int at = 428; at < 512; at++) {
            byte[] p = good.clone();
            p[at] = 1;
            PackageInspection i = PackageVerifier.inspect(p);
            assertThat(message(i)).as("byte %d", at).contains("padding is not zero");
            assertThat(i.lengthOk()).isFalse();
            assertThat(i.bodyDigestOk()).isTrue();
        }
        byte[] s = signed();
        for (int at = 532; at < 640; at++) {
            byte[] p = s.clone();
            p[at] = (byte) 0xFF;
            assertThat(message(PackageVerifier.inspect(p))).as("byte %d", at).contains("padding is not zero");
        }
    }

    @Test
    void everyTruncationIsDetected() {
        for (byte[] good : List.of(unsigned(), signed())) {
            for (int n = 0; n < good.length; n++) {
                PackageInspection i = PackageVerifier.inspect(Arrays.copyOf(good, n));
                assertThat(i.intact()).as("length %d", n).isFalse();
                assertThat(i.lengthOk()).isFalse();
                assertThat(message(i).orElseThrow()).as("length %d", n).startsWith("truncated");
                assertThat(check(i)).as("length %d", n).contains(n < 128 ? VerificationCheck.HEADER_TOO_SHORT
                        : VerificationCheck.WRONG_PACKAGE_LENGTH);
            }
        }
        assertThat(message(PackageVerifier.inspect(new byte[0]))).contains("truncated header: 0 of 128 bytes");
        assertThat(message(PackageVerifier.inspect(Arrays.copyOf(unsigned(), 500))))
                .contains("truncated: 500 of 512 bytes");
    }

    @Test
    void trailingBytesAreDetectedEvenWhenZero() {
        byte[] good = unsigned();
        for (byte extra : new byte[] {0, 1}) {
            byte[] p = Arrays.copyOf(good, good.length + 128);
            Arrays.fill(p, good.length, p.length, extra);
            PackageInspection i = PackageVerifier.inspect(p);
            assertThat(i.lengthOk()).isFalse();
            assertThat(i.bodyDigestOk()).isTrue();
            assertThat(message(i)).contains("128 bytes after the end of the package (512 bytes)");
        }
        byte[] one = Arrays.copyOf(good, good.length + 1);
        assertThat(message(PackageVerifier.inspect(one))).contains("1 bytes after the end of the package (512 bytes)");
    }

    @Test
    void inconsistentBodyLengthIsDetectedEvenWithAValidHeaderDigest() {
        for (long delta : new long[] {-300, -129, -128, -1, 1, 84, 85, 1000, 1L << 40}) {
            byte[] p = unsigned();
            ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0x20, 300 + delta);
            redigestHeader(p);
            PackageInspection i = PackageVerifier.inspect(p);
            assertThat(i.headerDigestOk()).isTrue();
            assertThat(i.intact()).as("delta %d", delta).isFalse();
            assertThat(i.bodyDigestOk()).as("delta %d", delta).isFalse();
        }
    }

    @Test
    void badSignatureTrailerFormat() {
        int trailer = 128 + 300;
        byte[] p = signed();
        p[trailer] = 'X';
        assertThat(message(PackageVerifier.inspect(p))).contains("bad signature trailer magic");
        p = signed();
        p[trailer + 4] = 2;
        assertThat(message(PackageVerifier.inspect(p))).contains("unknown signature algorithm 2");
        p = signed();
        p[trailer + 7] = 1;
        PackageInspection i = PackageVerifier.inspect(p);
        assertThat(message(i)).contains("reserved signature trailer bytes are not zero");
        assertThat(i.signed()).isTrue();
        assertThat(i.signatureValid()).contains(false);
        assertThat(i.keyId()).isEmpty();
        assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).isFalse();
    }

    @Test
    void validSignatureVerifiesWithTheRightKeyOnly() {
        PackageInspection i = PackageVerifier.inspect(signed());
        assertThat(i.intact()).isTrue();
        assertThat(i.signed()).isTrue();
        assertThat(i.signatureValid()).contains(true);
        assertThat(i.keyId()).contains(KeyIds.of(SIGNER.getPublic()));
        assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).isTrue();
        assertThat(i.verifiesWith(List.of(OTHER.getPublic(), SIGNER.getPublic()))).isTrue();
        assertThat(i.trusted(List.of(SIGNER.getPublic()))).contains(true);
        assertThat(i.verifiesWith(List.of(OTHER.getPublic()))).isFalse();
        assertThat(i.trusted(List.of(OTHER.getPublic()))).contains(false);
        assertThat(i.verifiesWith(List.of())).isFalse();
        // the same key read back from PEM is the same key
        assertThat(i.verifiesWith(List.of(Pem.readPublicKey(Pem.writePublicKey(SIGNER.getPublic()))))).isTrue();
    }

    @Test
    void theVectorPackageVerifiesWithTheRfcKey() {
        PackageInspection i = PackageVerifier.inspect(hex(Vectors.SIGNED_PACKAGE_HEX));
        assertThat(i.intact()).isTrue();
        assertThat(i.keyId()).contains(Vectors.RFC8032_KEY_ID);
        assertThat(i.verifiesWith(List.of(Vectors.rfcPublic()))).isTrue();
    }

    @Test
    void tamperingTheHeaderBreaksTheSignature() {
        // change the revision and fix the header digest: still intact, but no longer signed by SIGNER
        byte[] p = signed();
        p[0x10 + 13] = '2';
        redigestHeader(p);
        PackageInspection i = PackageVerifier.inspect(p);
        assertThat(i.intact()).isTrue();
        assertThat(i.revision()).contains("BWFW VERSION 2");
        assertThat(i.signatureValid()).contains(false);
        assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).isFalse();

        // raise the security version the same way
        p = signed();
        p[0x48] = 4;
        redigestHeader(p);
        assertThat(PackageVerifier.inspect(p).verifiesWith(List.of(SIGNER.getPublic()))).isFalse();
    }

    @Test
    void tamperingTheBodyBreaksTheDigestWhichTheSignatureBinds() {
        byte[] p = signed();
        p[200] ^= 1;
        PackageInspection i = PackageVerifier.inspect(p);
        assertThat(i.intact()).isFalse();
        assertThat(i.signatureValid()).contains(true); // the header is still the signed one ...
        assertThat(i.bodyDigestOk()).isFalse();          // ... but the body does not match it
    }

    @Test
    void everySignatureOrKeyByteFlipBreaksTheSignature() {
        byte[] good = signed();
        for (int at = 128 + 300 + 8; at < 128 + 300 + 104; at++) {
            byte[] p = good.clone();
            p[at] ^= 0x01;
            PackageInspection i = PackageVerifier.inspect(p);
            assertThat(i.intact()).isTrue();
            assertThat(i.signatureValid()).as("byte %d", at).contains(false);
            assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).isFalse();
        }
    }

    @Test
    void resigningWithAnotherKeyIsValidButNotTrusted() {
        byte[] p = signed();
        byte[] header = Arrays.copyOf(p, 128);
        SignatureTrailer forged = SignatureTrailer.sign(header, OTHER.getPrivate(), OTHER.getPublic());
        System.arraycopy(forged.encode(), 0, p, 428, 104);
        PackageInspection i = PackageVerifier.inspect(p);
        assertThat(i.intact()).isTrue();
        assertThat(i.signatureValid()).contains(true);
        assertThat(i.keyId()).contains(KeyIds.of(OTHER.getPublic()));
        assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).isFalse();
        assertThat(i.verifiesWith(List.of(OTHER.getPublic()))).isTrue();
    }

    @Test
    void strippingTheSignatureLeavesAnUnsignedPackage() {
        // clear the flag and trailer length, drop the trailer: a valid unsigned package, not trusted
        byte[] s = signed();
        byte[] p = Arrays.copyOf(s, 512);
        p[0x0C] = 0;
        p[0x4C] = 0;
        Arrays.fill(p, 428, 512, (byte) 0);
        redigestHeader(p);
        PackageInspection i = PackageVerifier.inspect(p);
        assertThat(i.intact()).isTrue();
        assertThat(i.signed()).isFalse();
        assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).isFalse();
    }

    @Test
    void fileAndChannelInspectionAgreeWithTheByteArray() throws IOException {
        byte[] p = signed();
        Path f = dir.resolve("p.img");
        Files.write(f, p);
        PackageInspection fromFile = PackageVerifier.inspect(f);
        assertThat(fromFile.toString()).isEqualTo(PackageVerifier.inspect(p).toString());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ch.position(17);
            assertThat(PackageVerifier.inspect(ch, ch.size()).intact()).isTrue();
            assertThat(ch.position()).isEqualTo(17);
            // a shorter logical size: truncated
            assertThat(message(PackageVerifier.inspect(ch, 600))).contains("truncated: 600 of 640 bytes");
            // a size beyond the end of the file is the caller's error
            assertThatThrownBy(() -> PackageVerifier.inspect(ch, 700)).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void inspectsA64MiBPackageStreaming() throws Exception {
        long bodyLength = 64L << 20;
        Path bodyFile = dir.resolve("big.bin");
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(bodyFile)) {
            for (int c = 0; c < 64; c++) {
                Arrays.fill(chunk, (byte) c);
                chunk[c] = (byte) 0xEE;
                out.write(chunk);
                md.update(chunk);
            }
        }
        byte[] bodySha = md.digest();
        Path pkg = dir.resolve("big.img");
        FirmwarePackage.builder().revision("BIG").securityVersion(1).body(bodyFile)
                .sign(SIGNER.getPrivate(), SIGNER.getPublic()).build().writeTo(pkg);
        Files.delete(bodyFile);
        assertThat(Files.size(pkg)).isEqualTo(128 + bodyLength + 128);

        PackageInspection i = PackageVerifier.inspect(pkg);
        assertThat(i.intact()).as("%s", i).isTrue();
        assertThat(i.header().orElseThrow().bodySha256()).isEqualTo(bodySha);
        assertThat(i.verifiesWith(List.of(SIGNER.getPublic()))).isTrue();

        // flip one byte in the middle of the body
        try (FileChannel ch = FileChannel.open(pkg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x42}), 128 + (33L << 20) + 5);
            PackageInspection broken = PackageVerifier.inspect(ch, ch.size());
            assertThat(check(broken)).contains(VerificationCheck.BODY_DIGEST_MISMATCH);
        }
    }

    @Test
    void anAbsurdBodyLengthIsNotRead() {
        byte[] p = unsigned();
        ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putLong(0x20, PackageHeader.MAX_BODY_LENGTH);
        redigestHeader(p);
        PackageInspection i = PackageVerifier.inspect(p);
        assertThat(message(i).orElseThrow()).startsWith("truncated: 512 of ");
        assertThat(i.bodyDigestOk()).isFalse();
    }

    @Test
    void headerFieldErrorsAreReportedNotThrown() {
        byte[] p = unsigned();
        p[0x08] = 2;
        redigestHeader(p);
        PackageInspection i = PackageVerifier.inspect(p);
        assertThat(i.header()).isEmpty();
        assertThat(i.headerDigestOk()).isTrue();
        assertThat(message(i)).contains("unsupported format version 2");
        p[0x09] = 1; // now the digest does not match either: the digest is the reported cause
        assertThat(check(PackageVerifier.inspect(p))).contains(VerificationCheck.HEADER_DIGEST_MISMATCH);
        assertThat(message(PackageVerifier.inspect(new byte[128]))).contains("bad magic");
        assertThat(PackageVerifier.inspect(new byte[128]).signatureValid()).isEqualTo(Optional.empty());
    }

    @Test
    void digestFailuresCarryTheExpectedAndTheFoundDigest() throws IOException {
        byte[] body = body();
        body[7] ^= 1;
        byte[] damaged = unsigned();
        damaged[128 + 7] ^= 1;
        VerificationFailure f = PackageVerifier.inspect(damaged).failure().orElseThrow();
        assertThat(f.check()).isEqualTo(VerificationCheck.BODY_DIGEST_MISMATCH);
        assertThat(f.digests().orElseThrow().expected()).isEqualTo(Vectors.sha256(body()));
        assertThat(f.digests().orElseThrow().found()).isEqualTo(Vectors.sha256(body));
        assertThat(f.message()).isEqualTo("body digest mismatch: expected "
                + hex(Vectors.sha256(body())).substring(0, 16) + ", found " + hex(Vectors.sha256(body)).substring(0, 16));
        assertThat(f.keyId()).isEmpty();
        assertThat(f.securityVersions()).isEmpty();

        // with a known body digest, the found digest is that one
        byte[] wrongSha = Vectors.sha256(body());
        wrongSha[31] ^= 1;
        Path file = Files.write(dir.resolve("p.pkg"), unsigned());
        VerificationFailure known = PackageVerifier.inspect(file, new BodyDigest(300, wrongSha)).failure().orElseThrow();
        assertThat(known.digests().orElseThrow().found()).isEqualTo(wrongSha);

        byte[] header = unsigned();
        header[0x48] = 9;
        VerificationFailure h = PackageVerifier.inspect(header).failure().orElseThrow();
        assertThat(h.check()).isEqualTo(VerificationCheck.HEADER_DIGEST_MISMATCH);
        assertThat(h.digests().orElseThrow().expected()).isEqualTo(Arrays.copyOfRange(header, 96, 128));
        assertThat(h.digests().orElseThrow().found()).isEqualTo(Vectors.sha256(Arrays.copyOf(header, 96)));
        assertThat(h.message()).startsWith("header digest mismatch: expected " + hex(Arrays.copyOfRange(header, 96, 104)));
    }

    @Test
    void eachFormatCheckHasItsOwnCode() {
        int trailer = 128 + 300;
        byte[] flags = unsigned();
        flags[0x0C] = 4;
        byte[] trailerMagic = signed();
        trailerMagic[trailer] = 'X';
        byte[] padding = unsigned();
        padding[511] = 1;
        byte[] version = unsigned();
        version[0x08] = 2;
        java.util.Map<VerificationCheck, byte[]> cases = new java.util.LinkedHashMap<>();
        cases.put(VerificationCheck.HEADER_TOO_SHORT, new byte[127]);
        cases.put(VerificationCheck.BAD_MAGIC, new byte[128]);
        cases.put(VerificationCheck.UNSUPPORTED_FORMAT_VERSION, redigestHeader(version));
        cases.put(VerificationCheck.BAD_HEADER_FIELD, redigestHeader(flags));
        cases.put(VerificationCheck.WRONG_PACKAGE_LENGTH, Arrays.copyOf(unsigned(), 640));
        cases.put(VerificationCheck.BAD_SIGNATURE_TRAILER, trailerMagic);
        cases.put(VerificationCheck.NONZERO_PADDING, padding);
        cases.forEach((expected, bytes) -> {
            VerificationFailure f = PackageVerifier.inspect(bytes).failure().orElseThrow();
            assertThat(f.check()).as(expected.label()).isEqualTo(expected);
            assertThat(f.digests()).isEmpty();
        });
        assertThat(message(cases.get(VerificationCheck.BAD_HEADER_FIELD))).contains("unknown flags 0004h");
        assertThat(message(cases.get(VerificationCheck.WRONG_PACKAGE_LENGTH)))
                .contains("128 bytes after the end of the package (512 bytes)");
    }

    private static Optional<String> message(byte[] pkg) {
        return message(PackageVerifier.inspect(pkg));
    }
}
