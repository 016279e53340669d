package io.cxlkit.protocol.fwpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helpers behind the {@code none} policy's revision rule. */
class RevisionRulesTest {

    @TempDir
    Path dir;

    @Test
    void rawRevisionIsRawDashAnd12HexDigits() {
        byte[] image = "hello".getBytes(StandardCharsets.US_ASCII);
        // sha256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
        assertThat(PackageVerifier.rawRevision(Vectors.sha256(image))).isEqualTo("RAW-2cf24dba5fb0");
        assertThat(PackageVerifier.revisionOrRaw(image)).isEqualTo("RAW-2cf24dba5fb0");
        assertThat(PackageVerifier.rawRevision(Vectors.sha256(image))).hasSize(16)
                .satisfies(r -> assertThat(PackageHeader.isValidRevision(r)).isTrue());
        assertThatThrownBy(() -> PackageVerifier.rawRevision(new byte[20])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void revisionIfParsableIgnoresDigests() {
        byte[] pkg = FirmwarePackage.builder().revision("BWFW VERSION 7").body(new byte[1000]).build().toByteArray();
        assertThat(PackageVerifier.revisionIfParsable(pkg)).contains("BWFW VERSION 7");
        byte[] broken = pkg.clone();
        broken[0x60] ^= 1;      // header digest
        broken[500] ^= 1;       // body
        broken[0x50] = 9;       // reserved
        assertThat(PackageVerifier.inspect(broken).intact()).isFalse();
        assertThat(PackageVerifier.revisionIfParsable(broken)).contains("BWFW VERSION 7");
        assertThat(PackageVerifier.revisionIfParsable(Arrays.copyOf(pkg, 128))).contains("BWFW VERSION 7");
        assertThat(PackageVerifier.revisionOrRaw(broken)).isEqualTo("BWFW VERSION 7");
    }

    @Test
    void noRevisionWithoutMagicVersionOrAValidField() {
        byte[] pkg = FirmwarePackage.builder().revision("BWFW VERSION 7").body(new byte[10]).build().toByteArray();
        byte[] badMagic = pkg.clone();
        badMagic[3] = 'x';
        byte[] badVersion = pkg.clone();
        badVersion[8] = 2;
        byte[] badRevision = pkg.clone();
        badRevision[0x10] = 0;
        assertThat(PackageVerifier.revisionIfParsable(badMagic)).isEmpty();
        assertThat(PackageVerifier.revisionIfParsable(badVersion)).isEmpty();
        assertThat(PackageVerifier.revisionIfParsable(badRevision)).isEmpty();
        assertThat(PackageVerifier.revisionIfParsable(Arrays.copyOf(pkg, 127))).isEmpty();
        assertThat(PackageVerifier.revisionIfParsable(new byte[0])).isEmpty();
        assertThat(PackageVerifier.revisionOrRaw(badMagic))
                .isEqualTo("RAW-" + HexFormat.of().formatHex(Vectors.sha256(badMagic)).substring(0, 12));
    }

    @Test
    void fileVariantsAgree() throws IOException {
        byte[] random = new byte[300_001];
        new java.util.Random(3).nextBytes(random);
        Path raw = dir.resolve("raw.bin");
        Files.write(raw, random);
        assertThat(PackageVerifier.revisionOrRaw(raw)).isEqualTo(PackageVerifier.revisionOrRaw(random));
        assertThat(PackageVerifier.revisionIfParsable(raw)).isEmpty();

        Path pkg = dir.resolve("pkg.img");
        Files.write(pkg, FirmwarePackage.factory());
        assertThat(PackageVerifier.revisionOrRaw(pkg)).isEqualTo("BWFW VERSION 0");
        assertThat(PackageVerifier.revisionIfParsable(pkg)).contains("BWFW VERSION 0");
        try (FileChannel ch = FileChannel.open(pkg, StandardOpenOption.READ)) {
            assertThat(PackageVerifier.revisionIfParsable(ch, ch.size())).contains("BWFW VERSION 0");
            assertThat(PackageVerifier.revisionIfParsable(ch, 100)).isEmpty();
            assertThat(ch.position()).isZero();
        }
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        // sha256 of nothing: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        assertThat(PackageVerifier.revisionOrRaw(empty)).isEqualTo("RAW-e3b0c44298fc");
    }
}
