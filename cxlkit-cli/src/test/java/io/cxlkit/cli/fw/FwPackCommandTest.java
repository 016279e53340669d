package io.cxlkit.cli.fw;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.Cli;
import io.cxlkit.protocol.fwpkg.KeyIds;
import io.cxlkit.protocol.fwpkg.PackageHeader;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.fwpkg.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code cxlkit fw pack}: wraps a file in a package, silently; refuses bad input with one line. */
class FwPackCommandTest {

    @TempDir
    Path dir;

    private Path input(String name, int size, long seed) throws Exception {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private long filesIn(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void packThenInspectGivesTheExactHeader() throws Exception {
        Path in = input("body.bin", 1000, 1);
        Path out = dir.resolve("fw.pkg");
        Cli.Run pack = Cli.run("fw", "pack", "--revision", "BWFW VERSION 7", "--security-version", "3",
                "-o", out.toString(), in.toString());
        assertThat(pack.err()).isEmpty();
        assertThat(pack.out()).isEmpty();
        assertThat(pack.exit()).isZero();

        Cli.Run inspect = Cli.run("fw", "inspect", out.toString());
        assertThat(inspect.err()).isEmpty();
        assertThat(inspect.exit()).isZero();
        assertThat(inspect.out()).isEqualTo("""
                {
                  "format_version":1,
                  "revision":"BWFW VERSION 7",
                  "body_length":1000,
                  "body_sha256":"%s",
                  "security_version":3,
                  "flags":0,
                  "digest_ok":true,
                  "signed":false
                }
                """.formatted(sha256(Files.readAllBytes(in))));
    }

    @Test
    void thePackageIsTheHeaderTheBodyAndZeroPaddingTo128() throws Exception {
        Path in = input("body.bin", 1000, 2);
        Path out = dir.resolve("fw.pkg");
        assertThat(Cli.run("fw", "pack", "--revision", "R", "-o", out.toString(), in.toString()).exit()).isZero();
        byte[] pkg = Files.readAllBytes(out);
        assertThat(pkg).hasSize(1152); // 128 + 1000 rounded up to a multiple of 128
        assertThat(Arrays.copyOfRange(pkg, 128, 1128)).isEqualTo(Files.readAllBytes(in));
        assertThat(Arrays.copyOfRange(pkg, 1128, 1152)).containsOnly(0);
        PackageHeader h = PackageHeader.parse(pkg);
        assertThat(h.revision()).isEqualTo("R");
        assertThat(h.securityVersion()).isZero(); // the default
        assertThat(PackageVerifier.inspect(out).intact()).isTrue();
        assertThat(filesIn(dir)).isEqualTo(2); // no temporary file left
    }

    @Test
    void anEmptyBodyMakesAHeaderOnlyPackage() throws Exception {
        Path in = Files.write(dir.resolve("empty.bin"), new byte[0]);
        Path out = dir.resolve("fw.pkg");
        assertThat(Cli.run("fw", "pack", "--revision", "EMPTY", "-o", out.toString(), in.toString()).exit())
                .isZero();
        assertThat(Files.size(out)).isEqualTo(128);
        Cli.Run inspect = Cli.run("fw", "inspect", out.toString());
        assertThat(inspect.exit()).isZero();
        assertThat(inspect.out()).contains("\"body_length\":0,",
                "\"body_sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"");
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        Path in = input("body.bin", 300, 3);
        Path out = Files.writeString(dir.resolve("fw.pkg"), "precious");
        Cli.Run r = Cli.run("fw", "pack", "--revision", "R1", "-o", out.toString(), in.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: fw pack: " + out + " exists (use --force to overwrite)");
        assertThat(Files.readString(out)).isEqualTo("precious");

        Cli.Run forced = Cli.run("fw", "pack", "--revision", "R1", "--force", "-o", out.toString(),
                in.toString());
        assertThat(forced.exit()).isZero();
        assertThat(forced.out()).isEmpty();
        assertThat(forced.err()).isEmpty();
        assertThat(PackageVerifier.inspect(out).revision()).contains("R1");
        assertThat(filesIn(dir)).isEqualTo(2);
    }

    @Test
    void dashWritesThePackageToStandardOutput() throws Exception {
        Path in = input("body.bin", 300, 4);
        Path file = dir.resolve("file.pkg");
        assertThat(Cli.run("fw", "pack", "--revision", "R1", "--output", file.toString(), in.toString()).exit())
                .isZero();
        try (io.cxlkit.cli.StdoutCapture stdout = new io.cxlkit.cli.StdoutCapture()) {
            Cli.Run r = Cli.run("fw", "pack", "--revision", "R1", "-o", "-", in.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(stdout.bytes()).isEqualTo(Files.readAllBytes(file));
        }
        assertThat(filesIn(dir)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "SEVENTEEN-CHARS-X", "TAB\tHERE", "NUL\u0000", "caf\u00e9", "DEL\u007f"})
    void aRevisionThatIsNotOneToSixteenPrintableAsciiIsAUsageError(String revision) throws Exception {
        Path in = input("body.bin", 100, 4);
        Path out = dir.resolve("fw.pkg");
        Cli.Run r = Cli.run("fw", "pack", "--revision", revision, "-o", out.toString(), in.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("cxlkit: fw pack: --revision must be 1-16 printable ASCII characters");
        assertThat(out).doesNotExist();
    }

    @Test
    void sixteenPrintableCharactersIncludingSpaceAndTildeAreFine() throws Exception {
        Path in = input("body.bin", 100, 5);
        Path out = dir.resolve("fw.pkg");
        assertThat(Cli.run("fw", "pack", "--revision", " ~0123456789ABCD", "-o", out.toString(), in.toString())
                .exit()).isZero();
        assertThat(PackageVerifier.inspect(out).revision()).contains(" ~0123456789ABCD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "4294967296", "x"})
    void aSecurityVersionOutside32BitsIsAUsageError(String v) throws Exception {
        Path in = input("body.bin", 100, 6);
        Path out = dir.resolve("fw.pkg");
        Cli.Run r = Cli.run("fw", "pack", "--revision", "R", "--security-version", v, "-o", out.toString(),
                in.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void theLargestSecurityVersionIsAccepted() throws Exception {
        Path in = input("body.bin", 100, 7);
        Path out = dir.resolve("fw.pkg");
        assertThat(Cli.run("fw", "pack", "--revision", "R", "--security-version", "4294967295", "-o",
                out.toString(), in.toString()).exit()).isZero();
        assertThat(Cli.run("fw", "inspect", out.toString()).out()).contains("\"security_version\":4294967295,");
    }

    @Test
    void missingArgumentsAreUsageErrors() throws Exception {
        Path in = input("body.bin", 100, 8);
        Path out = dir.resolve("fw.pkg");
        for (String[] args : new String[][] {
                {"fw", "pack", "-o", out.toString(), in.toString()},
                {"fw", "pack", "--revision", "R", in.toString()},
                {"fw", "pack", "--revision", "R", "-o", out.toString()},
        }) {
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).startsWith("cxlkit: fw pack: ");
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void aMissingInputIsExit1WithOneLine() {
        Path out = dir.resolve("fw.pkg");
        Path in = dir.resolve("nope.bin");
        Cli.Run r = Cli.run("fw", "pack", "--revision", "R", "-o", out.toString(), in.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: fw pack: " + in + ": no such file");
        assertThat(out).doesNotExist();
    }

    @Test
    void aDirectoryAsInputIsExit1WithOneLine() throws Exception {
        Path in = Files.createDirectory(dir.resolve("d"));
        Path out = dir.resolve("fw.pkg");
        Cli.Run r = Cli.run("fw", "pack", "--revision", "R", "-o", out.toString(), in.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: fw pack: " + in + " is not a regular file");
        assertThat(out).doesNotExist();
    }

    @Test
    void anOutputInAMissingDirectoryIsExit1NamingTheDirectory() throws Exception {
        Path in = input("body.bin", 100, 9);
        Path out = dir.resolve("no").resolve("fw.pkg");
        Cli.Run r = Cli.run("fw", "pack", "--revision", "R", "-o", out.toString(), in.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: fw pack: " + out.getParent() + ": no such directory");
    }

    @Test
    void forceOntoADirectoryIsExit1AndLeavesNoTemporaryFile() throws Exception {
        Path in = input("body.bin", 100, 13);
        Path out = Files.createDirectory(dir.resolve("out.d"));
        Cli.Run r = Cli.run("fw", "pack", "--revision", "R", "--force", "-o", out.toString(), in.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: fw pack: " + out + " is a directory");
        assertThat(out).isDirectory();
        assertThat(filesIn(dir)).isEqualTo(2); // body.bin and out.d: no out.d.tmp
    }

    @Test
    void signedPackageInspectsAsSignedByThatKey() throws Exception {
        Path key = dir.resolve("key");
        assertThat(Cli.run("fw", "keygen", "-o", key.toString()).exit()).isZero();
        Path pub = dir.resolve("key.pub");
        Path in = input("body.bin", 5000, 10);
        Path out = dir.resolve("fw.pkg");
        Cli.Run pack = Cli.run("fw", "pack", "--revision", "SIGNED 1", "--sign", key.toString(), "-o",
                out.toString(), in.toString());
        assertThat(pack.err()).isEmpty();
        assertThat(pack.out()).isEmpty();
        assertThat(pack.exit()).isZero();

        String keyId = KeyIds.of(Pem.readPublicKey(Files.readString(pub)));
        assertThat(keyId).matches("[0-9a-f]{16}");
        Cli.Run inspect = Cli.run("fw", "inspect", out.toString(), "--trusted-key", pub.toString());
        assertThat(inspect.err()).isEmpty();
        assertThat(inspect.exit()).isZero();
        assertThat(inspect.out()).isEqualTo("""
                {
                  "format_version":1,
                  "revision":"SIGNED 1",
                  "body_length":5000,
                  "body_sha256":"%s",
                  "security_version":0,
                  "flags":1,
                  "digest_ok":true,
                  "signed":true,
                  "key_id":"%s",
                  "signature_ok":true,
                  "trusted":true
                }
                """.formatted(sha256(Files.readAllBytes(in)), keyId));
    }

    @Test
    void signingWithoutThePublicKeyBesideIsExit1() throws Exception {
        Path key = dir.resolve("key");
        assertThat(Cli.run("fw", "keygen", "-o", key.toString()).exit()).isZero();
        Files.delete(dir.resolve("key.pub"));
        Path in = input("body.bin", 100, 11);
        Path out = dir.resolve("fw.pkg");
        Cli.Run r = Cli.run("fw", "pack", "--revision", "R", "--sign", key.toString(), "-o", out.toString(),
                in.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("cxlkit: fw pack: ").contains("key.pub");
        assertThat(out).doesNotExist();
    }

    @Test
    void signingWithAMissingOrNonKeyFileIsExit1() throws Exception {
        Path in = input("body.bin", 100, 12);
        Path out = dir.resolve("fw.pkg");
        Path missing = dir.resolve("nokey");
        Cli.Run r = Cli.run("fw", "pack", "--revision", "R", "--sign", missing.toString(), "-o",
                out.toString(), in.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: fw pack: " + missing + ": no such file");

        Path notAKey = Files.writeString(dir.resolve("notakey"), "hello\n");
        Cli.Run bad = Cli.run("fw", "pack", "--revision", "R", "--sign", notAKey.toString(), "-o",
                out.toString(), in.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.errLines()).containsExactly("cxlkit: fw pack: " + notAKey + ": no PEM PRIVATE KEY block "
                + "(expected a PEM Ed25519 private key, as 'cxlkit fw keygen' writes KEYFILE)");
        assertThat(out).doesNotExist();
    }

    @Test
    void signingWithThePublicKeySaysItIsThePublicKey() throws Exception {
        Path key = dir.resolve("signer.pem");
        assertThat(Cli.run("fw", "keygen", "-o", key.toString()).exit()).isZero();
        Path pub = dir.resolve("signer.pem.pub");
        Path out = dir.resolve("fw.pkg");
        Cli.Run r = Cli.run("fw", "pack", "--revision", "R", "--sign", pub.toString(), "-o", out.toString(),
                input("body.bin", 100, 13).toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: fw pack: " + pub + " is a public key; --sign needs the "
                + "private key (the file without .pub that 'cxlkit fw keygen' wrote beside it)");
        assertThat(out).doesNotExist();
    }
}
