package io.cxlkit.protocol.fwpkg;

import static io.cxlkit.protocol.fwpkg.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwarePackageTest {

    @TempDir
    Path dir;

    @Test
    void signedPackageMatchesTheVectorByteForByte() {
        byte[] pkg = FirmwarePackage.builder()
                .revision(Vectors.REVISION).securityVersion(Vectors.SECURITY_VERSION)
                .body(Vectors.BODY)
                .sign(Vectors.rfcPrivate(), Vectors.rfcPublic())
                .build().toByteArray();
        assertThat(hex(pkg)).isEqualTo(Vectors.SIGNED_PACKAGE_HEX);
    }

    @Test
    void unsignedPackageIsHeaderBodyAndZeroPadding() {
        FirmwarePackage p = FirmwarePackage.builder().revision(Vectors.REVISION)
                .securityVersion(Vectors.SECURITY_VERSION).body(Vectors.BODY).build();
        byte[] pkg = p.toByteArray();
        assertThat(pkg).hasSize(256);
        assertThat(p.length()).isEqualTo(256);
        assertThat(hex(Arrays.copyOf(pkg, 128))).isEqualTo(Vectors.UNSIGNED_HEADER_HEX);
        assertThat(Arrays.copyOfRange(pkg, 128, 134)).isEqualTo(Vectors.BODY);
        assertThat(Arrays.copyOfRange(pkg, 134, 256)).containsOnly(0);
        assertThat(p.keyId()).isEmpty();
        assertThat(p.trailer()).isEmpty();
        assertThat(p.headerBytes()).isEqualTo(Arrays.copyOf(pkg, 128));
    }

    @Test
    void factoryPackage() {
        byte[] f = FirmwarePackage.factory();
        assertThat(f).hasSize(4224);
        assertThat(f.length % 128).isZero();
        assertThat(hex(Arrays.copyOf(f, 128))).isEqualTo(Vectors.FACTORY_HEADER_HEX);
        assertThat(Arrays.copyOfRange(f, 128, f.length)).containsOnly(0);
        assertThat(hex(Vectors.sha256(f))).isEqualTo(Vectors.FACTORY_SHA256);
        PackageHeader h = PackageHeader.parse(f);
        assertThat(h.revision()).isEqualTo("BWFW VERSION 0");
        assertThat(h.securityVersion()).isZero();
        assertThat(h.bodyLength()).isEqualTo(4096);
        assertThat(h.signed()).isFalse();
        assertThat(h.formatVersion()).isEqualTo(1);
        PackageInspection i = PackageVerifier.inspect(f);
        assertThat(i.intact()).isTrue();
        assertThat(i.factory()).isTrue();
        assertThat(FirmwarePackage.factory()).isEqualTo(f);
    }

    @Test
    void aPackageThatLooksLikeTheFactoryButIsNotIsNotFactory() {
        byte[] other = FirmwarePackage.builder().revision("BWFW VERSION 0").body(new byte[4095]).build().toByteArray();
        assertThat(PackageVerifier.inspect(other).factory()).isFalse();
        byte[] broken = FirmwarePackage.factory();
        broken[200] = 1;
        assertThat(PackageVerifier.inspect(broken).factory()).isFalse();
    }

    @Test
    void pathBodyAndByteBodyGiveTheSamePackage() throws IOException {
        byte[] body = new byte[200_000];
        new Random(7).nextBytes(body);
        Path bodyFile = dir.resolve("body.bin");
        Files.write(bodyFile, body);
        KeyPair kp = Vectors.newKeyPair();

        FirmwarePackage fromBytes = FirmwarePackage.builder().revision("R 2").securityVersion(9).body(body)
                .sign(kp.getPrivate(), kp.getPublic()).build();
        FirmwarePackage fromPath = FirmwarePackage.builder().revision("R 2").securityVersion(9).body(bodyFile)
                .sign(kp.getPrivate(), kp.getPublic()).build();
        byte[] a = fromBytes.toByteArray();
        assertThat(fromPath.toByteArray()).isEqualTo(a);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fromPath.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(a);

        Path pkgFile = dir.resolve("fw.img");
        fromPath.writeTo(pkgFile);
        assertThat(Files.readAllBytes(pkgFile)).isEqualTo(a);
        assertThat(a.length).isEqualTo(fromPath.length()).isEqualTo(128 * 1565);
        assertThat(fromPath.keyId()).contains(KeyIds.of(kp.getPublic()));
    }

    @Test
    void roundTripThroughTheVerifier() {
        KeyPair kp = Vectors.newKeyPair();
        for (int n : new int[] {0, 1, 23, 24, 25, 127, 128, 129, 1000}) {
            byte[] body = new byte[n];
            new Random(n).nextBytes(body);
            for (boolean sign : new boolean[] {false, true}) {
                FirmwarePackage.Builder b = FirmwarePackage.builder().revision("rev-" + n).securityVersion(n).body(body);
                if (sign) {
                    b.sign(kp.getPrivate(), kp.getPublic());
                }
                byte[] pkg = b.build().toByteArray();
                PackageInspection i = PackageVerifier.inspect(pkg);
                assertThat(pkg.length % 128).isZero();
                assertThat(i.intact()).as("n=%d signed=%s %s", n, sign, i).isTrue();
                assertThat(i.header().orElseThrow().revision()).isEqualTo("rev-" + n);
                assertThat(i.header().orElseThrow().securityVersion()).isEqualTo(n);
                assertThat(i.header().orElseThrow().bodyLength()).isEqualTo(n);
                assertThat(Arrays.copyOfRange(pkg, 128, 128 + n)).isEqualTo(body);
                assertThat(i.signed()).isEqualTo(sign);
                assertThat(i.signatureValid()).isEqualTo(sign ? java.util.Optional.of(true) : java.util.Optional.empty());
            }
        }
    }

    @Test
    void bodyFileChangedBetweenBuildAndWriteIsAnError() throws IOException {
        Path bodyFile = dir.resolve("body.bin");
        Files.write(bodyFile, new byte[1000]);
        FirmwarePackage p = FirmwarePackage.builder().revision("r").body(bodyFile).build();
        byte[] changed = new byte[1000];
        changed[500] = 1;
        Files.write(bodyFile, changed);
        Path out = dir.resolve("out.img");
        assertThatThrownBy(() -> p.writeTo(out)).isInstanceOf(IOException.class).hasMessageContaining("changed");
        assertThat(out).doesNotExist();
        Files.write(bodyFile, new byte[1001]);
        assertThatThrownBy(p::toByteArray).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void builderRejectsBadInput() {
        assertThatThrownBy(() -> FirmwarePackage.builder().revision("ABCDEFGHIJKLMNOPQ"))
                .isInstanceOf(PackageFormatException.class)
                .hasMessage("revision is not 1-16 printable ASCII characters");
        assertThatThrownBy(() -> FirmwarePackage.builder().securityVersion(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FirmwarePackage.builder().securityVersion(1L << 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FirmwarePackage.builder().body(new byte[1]).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("revision is not set");
        assertThatThrownBy(() -> FirmwarePackage.builder().revision("r").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("body is not set");
        assertThatThrownBy(() -> FirmwarePackage.builder().revision("r").body(dir.resolve("missing")).build())
                .isInstanceOf(UncheckedIOException.class);
        KeyPair a = Vectors.newKeyPair();
        KeyPair b = Vectors.newKeyPair();
        assertThatThrownBy(() -> FirmwarePackage.builder().revision("r").body(new byte[1])
                .sign(a.getPrivate(), b.getPublic()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the private and public keys are not a pair");
    }

    @Test
    void signingRejectsNonEd25519Keys() throws Exception {
        KeyPair ed448 = java.security.KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        KeyPair ed25519 = Vectors.newKeyPair();
        assertThatThrownBy(() -> FirmwarePackage.builder().sign(ed448.getPrivate(), ed448.getPublic()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not an Ed25519 public key");
        assertThatThrownBy(() -> FirmwarePackage.builder().revision("r").body(new byte[1])
                .sign(ed448.getPrivate(), ed25519.getPublic()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not an Ed25519 private key");
    }

    @Test
    void signingIsDeterministic() {
        KeyPair kp = Vectors.newKeyPair();
        FirmwarePackage.Builder b = FirmwarePackage.builder().revision("r").body(new byte[300])
                .sign(kp.getPrivate(), kp.getPublic());
        assertThat(b.build().toByteArray()).isEqualTo(b.build().toByteArray());
        assertThat(b.unsigned().build().header().signed()).isFalse();
    }
}
