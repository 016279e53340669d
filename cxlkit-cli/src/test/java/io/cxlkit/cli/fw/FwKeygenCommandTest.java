package io.cxlkit.cli.fw;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.Cli;
import io.cxlkit.protocol.fwpkg.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxlkit fw keygen}: an Ed25519 pair, KEYFILE (PKCS#8 PEM, 0600) and KEYFILE.pub (X.509 PEM). */
class FwKeygenCommandTest {

    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static boolean pair(PrivateKey priv, PublicKey pub) throws Exception {
        byte[] msg = "cxlkit".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(priv);
        s.update(msg);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(pub);
        v.update(msg);
        return v.verify(sig);
    }

    private long filesIn(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void makesAPrivateKey0600AndItsPublicKeyBeside() throws Exception {
        Path key = dir.resolve("signing.key");
        Cli.Run r = Cli.run("fw", "keygen", "-o", key.toString());
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();

        Path pub = dir.resolve("signing.key.pub");
        String privPem = Files.readString(key);
        String pubPem = Files.readString(pub);
        assertThat(privPem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
        assertThat(pubPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("\n-----END PUBLIC KEY-----\n");
        assertThat(mode(key)).isEqualTo("rw-------");
        PrivateKey priv = Pem.readPrivateKey(privPem);
        PublicKey publicKey = Pem.readPublicKey(pubPem);
        assertThat(priv.getFormat()).isEqualTo("PKCS#8");
        assertThat(publicKey.getFormat()).isEqualTo("X.509");
        assertThat(pair(priv, publicKey)).isTrue();
        assertThat(filesIn(dir)).isEqualTo(2); // no temporary file left
    }

    @Test
    void dashIsAUsageErrorForTwoFiles() throws Exception {
        Cli.Run r = Cli.run("fw", "keygen", "--output", "-");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("keygen writes KEYFILE and KEYFILE.pub: give a file name, not -");
        assertThat(Path.of("-")).doesNotExist();
    }

    @Test
    void twoRunsMakeDifferentKeys() throws Exception {
        assertThat(Cli.run("fw", "keygen", "-o", dir.resolve("a").toString()).exit()).isZero();
        assertThat(Cli.run("fw", "keygen", "-o", dir.resolve("b").toString()).exit()).isZero();
        assertThat(Files.readString(dir.resolve("a"))).isNotEqualTo(Files.readString(dir.resolve("b")));
        assertThat(Files.readString(dir.resolve("a.pub"))).isNotEqualTo(Files.readString(dir.resolve("b.pub")));
    }

    @Test
    void refusesToOverwriteTheKeyWithoutForce() throws Exception {
        Path key = Files.writeString(dir.resolve("k"), "old private");
        Cli.Run r = Cli.run("fw", "keygen", "-o", key.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: fw keygen: " + key + " exists (use --force to overwrite)");
        assertThat(Files.readString(key)).isEqualTo("old private");
        assertThat(dir.resolve("k.pub")).doesNotExist();
    }

    @Test
    void refusesToOverwriteThePublicKeyWithoutForce() throws Exception {
        Path key = dir.resolve("k");
        Path pub = Files.writeString(dir.resolve("k.pub"), "old public");
        Cli.Run r = Cli.run("fw", "keygen", "-o", key.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: fw keygen: " + pub + " exists (use --force to overwrite)");
        assertThat(key).doesNotExist();
        assertThat(Files.readString(pub)).isEqualTo("old public");
    }

    @Test
    void forceReplacesBothAndTheKeyIs0600Again() throws Exception {
        Path key = Files.writeString(dir.resolve("k"), "old private");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(dir.resolve("k.pub"), "old public");
        Cli.Run r = Cli.run("fw", "keygen", "--force", "-o", key.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(pair(Pem.readPrivateKey(Files.readString(key)),
                Pem.readPublicKey(Files.readString(dir.resolve("k.pub"))))).isTrue();
        assertThat(filesIn(dir)).isEqualTo(2);
    }

    @Test
    void forceOntoADirectoryIsExit1AndLeavesNoTemporaryFile() throws Exception {
        Path key = Files.createDirectory(dir.resolve("k"));
        Cli.Run r = Cli.run("fw", "keygen", "--force", "-o", key.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: fw keygen: " + key + " is a directory");
        assertThat(key).isDirectory();
        assertThat(filesIn(dir)).isEqualTo(1); // no k.tmp, and no k.pub without its private key
    }

    @Test
    void noOutputIsAUsageError() {
        Cli.Run r = Cli.run("fw", "keygen");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("cxlkit: fw keygen: ");
    }

    @Test
    void aMissingDirectoryIsExit1NamingIt() {
        Path key = dir.resolve("no").resolve("k");
        Cli.Run r = Cli.run("fw", "keygen", "-o", key.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: fw keygen: " + key.getParent() + ": no such directory");
    }

    @Test
    void theKeySignsPackagesThatInspectAsTrustedOnlyWithItsOwnPublicKey() throws Exception {
        Path key = dir.resolve("k");
        Path other = dir.resolve("other");
        assertThat(Cli.run("fw", "keygen", "-o", key.toString()).exit()).isZero();
        assertThat(Cli.run("fw", "keygen", "-o", other.toString()).exit()).isZero();
        Path body = Files.write(dir.resolve("body.bin"), new byte[777]);
        Path pkg = dir.resolve("fw.pkg");
        assertThat(Cli.run("fw", "pack", "--revision", "K", "--sign", key.toString(), "-o", pkg.toString(),
                body.toString()).exit()).isZero();
        Cli.Run own = Cli.run("fw", "inspect", pkg.toString(), "--trusted-key", dir.resolve("k.pub").toString());
        assertThat(own.out()).containsPattern("\"key_id\":\"[0-9a-f]{16}\",\n  \"signature_ok\":true,\n"
                + "  \"trusted\":true\n}\n$");
        Cli.Run foreign = Cli.run("fw", "inspect", pkg.toString(), "--trusted-key",
                dir.resolve("other.pub").toString());
        assertThat(foreign.out()).endsWith("  \"signature_ok\":true,\n  \"trusted\":false\n}\n");
        assertThat(foreign.exit()).isZero();
    }
}
