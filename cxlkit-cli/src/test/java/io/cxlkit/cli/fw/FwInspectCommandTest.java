package io.cxlkit.cli.fw;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.Cli;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.KeyIds;
import io.cxlkit.protocol.fwpkg.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxlkit fw inspect}: the header as JSON; exit 1 with one line when the file is not a package
 * or a digest is wrong (the JSON is still printed when the header parses).
 */
class FwInspectCommandTest {

    @TempDir
    Path dir;

    private static final String FACTORY_JSON = """
            {
              "format_version":1,
              "revision":"BWFW VERSION 0",
              "body_length":4096,
              "body_sha256":"ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7",
              "security_version":0,
              "flags":0,
              "digest_ok":true,
              "signed":false
            }
            """;

    private static byte[] body(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static KeyPair keyPair() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private Path publicKeyFile(String name, KeyPair pair) throws Exception {
        return Files.writeString(dir.resolve(name), Pem.writePublicKey(pair.getPublic()));
    }

    private Path signedPackage(KeyPair pair) throws Exception {
        return Files.write(dir.resolve("signed.pkg"), FirmwarePackage.builder().revision("SIGNED 2")
                .securityVersion(5).body(body(3000, 1)).sign(pair.getPrivate(), pair.getPublic()).build()
                .toByteArray());
    }

    @Test
    void theFactoryPackage() throws Exception {
        Path f = Files.write(dir.resolve("factory.pkg"), FirmwarePackage.factory());
        Cli.Run r = Cli.run("fw", "inspect", f.toString());
        assertThat(r.out()).isEqualTo(FACTORY_JSON);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
    }

    @Test
    void aFileThatIsNotAPackageIsExit1WithOneLineAndNoJson() throws Exception {
        Path f = Files.write(dir.resolve("random.bin"), body(4096, 2));
        Cli.Run r = Cli.run("fw", "inspect", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: fw inspect: " + f
                + " is not a cxlkit firmware package: bad magic");
    }

    @Test
    void aFileShorterThanAHeaderIsNotAPackage() throws Exception {
        Path f = Files.write(dir.resolve("short.bin"), new byte[10]);
        Cli.Run r = Cli.run("fw", "inspect", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: fw inspect: " + f
                + " is not a cxlkit firmware package: truncated header: 10 of 128 bytes");
    }

    @Test
    void aFlippedBodyBytePrintsTheJsonWithDigestNotOkAndExits1() throws Exception {
        byte[] pkg = FirmwarePackage.factory();
        pkg[128 + 100] ^= 0x01;
        Path f = Files.write(dir.resolve("corrupt.pkg"), pkg);
        Cli.Run r = Cli.run("fw", "inspect", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(FACTORY_JSON.replace("\"digest_ok\":true", "\"digest_ok\":false"));
        String found = sha256Hex(java.util.Arrays.copyOfRange(pkg, 128, pkg.length)).substring(0, 16);
        assertThat(r.errLines()).containsExactly("cxlkit: fw inspect: " + f
                + ": body digest mismatch: expected ad7facb2586fc6e9, found " + found);
    }

    @Test
    void aFlippedHeaderByteIsAHeaderDigestMismatch() throws Exception {
        byte[] pkg = FirmwarePackage.factory();
        pkg[0x10 + 13] = '9'; // revision "BWFW VERSION 9": still parses, digest no longer matches
        Path f = Files.write(dir.resolve("corrupt.pkg"), pkg);
        Cli.Run r = Cli.run("fw", "inspect", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(FACTORY_JSON.replace("\"digest_ok\":true", "\"digest_ok\":false")
                .replace("BWFW VERSION 0", "BWFW VERSION 9"));
        String found = sha256Hex(java.util.Arrays.copyOf(pkg, 0x60)).substring(0, 16);
        assertThat(r.errLines()).containsExactly("cxlkit: fw inspect: " + f
                + ": header digest mismatch: expected 9ea9055cf30aeb3f, found " + found);
    }

    @Test
    void aTruncatedPackageIsExit1() throws Exception {
        byte[] pkg = FirmwarePackage.factory();
        Path f = Files.write(dir.resolve("cut.pkg"), java.util.Arrays.copyOf(pkg, pkg.length - 128));
        Cli.Run r = Cli.run("fw", "inspect", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("\"digest_ok\":false");
        assertThat(r.errLines()).containsExactly("cxlkit: fw inspect: " + f + ": truncated: 4096 of 4224 bytes");
    }

    @Test
    void trailingBytesAreExit1ButTheDigestsAreFine() throws Exception {
        byte[] pkg = FirmwarePackage.factory();
        Path f = Files.write(dir.resolve("long.pkg"), java.util.Arrays.copyOf(pkg, pkg.length + 128));
        Cli.Run r = Cli.run("fw", "inspect", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(FACTORY_JSON);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("cxlkit: fw inspect: " + f + ": 128 bytes after the end of the package");
    }

    @Test
    void aMissingFileIsExit1() {
        Path f = dir.resolve("nope.pkg");
        Cli.Run r = Cli.run("fw", "inspect", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: fw inspect: " + f + ": no such file");
    }

    @Test
    void noFileIsAUsageError() {
        Cli.Run r = Cli.run("fw", "inspect");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
    }

    @Test
    void aSignedPackageShowsItsKeyIdAndWhetherItIsTrusted() throws Exception {
        KeyPair signer = keyPair();
        KeyPair other = keyPair();
        Path pkg = signedPackage(signer);
        Path signerPub = publicKeyFile("signer.pub", signer);
        Path otherPub = publicKeyFile("other.pub", other);
        String keyId = KeyIds.of(signer.getPublic());

        Cli.Run plain = Cli.run("fw", "inspect", pkg.toString());
        assertThat(plain.exit()).isZero();
        assertThat(plain.err()).isEmpty();
        assertThat(plain.out()).contains("\"flags\":1,", "\"signed\":true,", "\"key_id\":\"" + keyId + "\",")
                .endsWith("\"signature_ok\":true\n}\n").doesNotContain("trusted");

        Cli.Run trusted = Cli.run("fw", "inspect", pkg.toString(), "--trusted-key", signerPub.toString());
        assertThat(trusted.exit()).isZero();
        assertThat(trusted.out()).endsWith("  \"signature_ok\":true,\n  \"trusted\":true\n}\n");

        Cli.Run untrusted = Cli.run("fw", "inspect", pkg.toString(), "--trusted-key", otherPub.toString());
        assertThat(untrusted.exit()).isZero(); // an untrusted signer is not a broken package
        assertThat(untrusted.err()).isEmpty();
        assertThat(untrusted.out()).endsWith("  \"signature_ok\":true,\n  \"trusted\":false\n}\n");

        Cli.Run either = Cli.run("fw", "inspect", pkg.toString(), "--trusted-key", otherPub.toString(),
                "--trusted-key", signerPub.toString());
        assertThat(either.out()).endsWith("  \"trusted\":true\n}\n");
    }

    @Test
    void aBadSignatureIsShownButTheDigestsAreFine() throws Exception {
        KeyPair signer = keyPair();
        Path pkg = signedPackage(signer);
        byte[] b = Files.readAllBytes(pkg);
        int trailer = 128 + 3000;
        b[trailer + 104 - 1] ^= 0x01; // the last byte of the signature
        Files.write(pkg, b);
        Cli.Run r = Cli.run("fw", "inspect", pkg.toString(), "--trusted-key",
                publicKeyFile("signer.pub", signer).toString());
        assertThat(r.out()).contains("\"digest_ok\":true,", "\"key_id\":\"" + KeyIds.of(signer.getPublic()) + "\",")
                .endsWith("  \"signature_ok\":false,\n  \"trusted\":false\n}\n");
        assertThat(r.exit()).isZero();
    }

    @Test
    void anUnsignedPackageWithATrustedKeyIsNotTrusted() throws Exception {
        Path f = Files.write(dir.resolve("factory.pkg"), FirmwarePackage.factory());
        Cli.Run r = Cli.run("fw", "inspect", f.toString(), "--trusted-key",
                publicKeyFile("k.pub", keyPair()).toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(FACTORY_JSON.replace("\"signed\":false\n", "\"signed\":false,\n  \"trusted\":false\n"));
    }

    @Test
    void aMissingOrBadTrustedKeyIsExit1BeforeInspecting() throws Exception {
        Path f = Files.write(dir.resolve("factory.pkg"), FirmwarePackage.factory());
        Path missing = dir.resolve("missing.pub");
        Cli.Run r = Cli.run("fw", "inspect", f.toString(), "--trusted-key", missing.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: fw inspect: " + missing + ": no such file");

        Path bad = Files.writeString(dir.resolve("bad.pub"), "not a key\n");
        Cli.Run b = Cli.run("fw", "inspect", f.toString(), "--trusted-key", bad.toString());
        assertThat(b.exit()).isEqualTo(1);
        assertThat(b.out()).isEmpty();
        assertThat(b.errLines()).hasSize(1);
        assertThat(b.err()).startsWith("cxlkit: fw inspect: bad trusted key: ");
    }

    private static String sha256Hex(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
