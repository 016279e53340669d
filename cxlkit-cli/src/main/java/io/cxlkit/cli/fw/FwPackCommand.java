package io.cxlkit.cli.fw;

import io.cxlkit.cli.CliCommand;
import io.cxlkit.cli.Failure;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageHeader;
import io.cxlkit.protocol.fwpkg.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit fw pack}: wraps INPUT's bytes in a firmware package (docs/package-format.md),
 * streaming, so a large body is never held in memory. Prints nothing on success.
 */
@Command(name = "pack", description = "Wrap a file's bytes in a cxlkit firmware package.")
public final class FwPackCommand extends CliCommand {

    @Option(names = "--revision", required = true, paramLabel = "REV",
            description = "The revision Get FW Info reports: 1-16 printable ASCII characters.")
    String revision;

    @Option(names = "--security-version", paramLabel = "N", description = "Anti-rollback security version (default 0).")
    long securityVersion;

    @Option(names = "--sign", paramLabel = "KEYFILE", description = "Sign with this Ed25519 private key (fw keygen).")
    Path signKey;

    @Option(names = "--force", description = "Overwrite OUT if it exists.")
    boolean force;

    @Option(names = "-o", required = true, paramLabel = "OUT", description = "The package file to write.")
    Path out;

    @Parameters(index = "0", paramLabel = "INPUT", description = "The firmware body.")
    Path input;

    @Override
    protected int execute() {
        if (!PackageHeader.isValidRevision(revision)) {
            throw usage(
                    "--revision must be 1-16 printable ASCII characters, not '" + revision + "'");
        }
        if (securityVersion < 0 || securityVersion > PackageHeader.MAX_SECURITY_VERSION) {
            throw usage("--security-version must be 0.."
                    + PackageHeader.MAX_SECURITY_VERSION);
        }
        checkOutput(out);
        if (Files.exists(out) && !force) {
            throw new Failure(out + " exists (use --force to overwrite)");
        }
        if (!Files.isRegularFile(input)) {
            throw new Failure(Files.exists(input) ? input + " is not a regular file" : input + ": no such file");
        }
        try {
            FirmwarePackage.Builder b = FirmwarePackage.builder().revision(revision).securityVersion(securityVersion)
                    .body(input);
            if (signKey != null) {
                PrivateKey key = readSigningKey(signKey);
                b.sign(key, publicKeyOf(signKey, key));
            }
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            b.build().writeTo(tmp);
            moveOrDelete(tmp, out);
            return 0;
        } catch (NoSuchFileException e) {
            throw new Failure(e.getFile() + ": no such file");
        } catch (IOException e) {
            throw new Failure(describe(e));
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            throw new Failure(e.getMessage());
        }
    }

    /**
     * Fails with one clear line when {@code file} cannot be written as an output: it is a directory
     * ({@code --force} does not replace one), or its directory is missing (rather than naming the
     * temporary file the write would fail on).
     */
    static void checkOutput(Path file) {
        if (Files.isDirectory(file)) {
            throw new Failure(file + " is a directory");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new Failure((file.getParent() != null ? file.getParent() : parent) + ": no such directory");
        }
    }

    /** Renames the finished temporary file onto {@code target}; a failed rename does not leave it behind. */
    static void moveOrDelete(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** One line for a file error: the bare file name that some exceptions carry as message is not enough. */
    static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * The private key in {@code file}; a file that is no such key fails with one line naming it and
     * what it holds instead (a public key is the usual slip: KEYFILE.pub for KEYFILE).
     */
    static PrivateKey readSigningKey(Path file) throws IOException {
        // Latin-1 decodes any bytes: a binary file is then reported as "not a key", not as an I/O error
        String pem = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----") && pem.contains("-----BEGIN PUBLIC KEY-----")) {
            throw new Failure(file + " is a public key; --sign needs the private key (the file without .pub that "
                    + "'cxlkit fw keygen' wrote beside it)");
        }
        try {
            return Pem.readPrivateKey(pem);
        } catch (IllegalArgumentException e) {
            throw new Failure(file + ": " + e.getMessage() + " (expected a PEM Ed25519 private key, as "
                    + "'cxlkit fw keygen' writes KEYFILE)");
        }
    }

    /** The public key beside the private one (KEYFILE.pub, as fw keygen writes it). */
    static PublicKey publicKeyOf(Path privateKeyFile, PrivateKey key) throws IOException,
            java.security.GeneralSecurityException {
        Path pub = privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
        if (Files.exists(pub)) {
            return Pem.readPublicKey(Files.readString(pub));
        }
        // Derive it: Ed25519 private keys in PKCS#8 from the JDK carry no public key, so require the .pub.
        throw new IOException(pub + " is missing (fw keygen writes it beside the private key)");
    }
}
