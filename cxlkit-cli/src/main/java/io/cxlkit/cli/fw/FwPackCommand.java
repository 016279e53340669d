package io.cxlkit.cli.fw;

import io.cxlkit.cli.ApiError;
import io.cxlkit.cli.AtomicFile;
import io.cxlkit.cli.CliCommand;
import io.cxlkit.cli.Failure;
import io.cxlkit.cli.OutputFile;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.fwpkg.PackageHeader;
import io.cxlkit.protocol.fwpkg.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit fw pack}: wraps INPUT's bytes in a firmware package (docs/package-format.md),
 * streaming, so a large body is never held in memory. OUT follows {@link OutputFile}'s rule
 * ({@code -} is standard output; an existing file only with {@code --force}). Prints nothing else.
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

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "The package file to write (- for standard output).")
    Path out;

    @Parameters(index = "0", paramLabel = "INPUT", description = "The firmware body.")
    Path input;

    @Override
    protected int execute() throws InterruptedException {
        if (!PackageHeader.isValidRevision(revision)) {
            throw usage(
                    "--revision must be 1-16 printable ASCII characters, not '" + revision + "'");
        }
        if (securityVersion < 0 || securityVersion > PackageHeader.MAX_SECURITY_VERSION) {
            throw usage("--security-version must be 0.."
                    + PackageHeader.MAX_SECURITY_VERSION);
        }
        OutputFile target = OutputFile.of(out, force);
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
            FirmwarePackage pkg = b.build();
            target.write(AtomicFile.PUBLIC, System.out, pkg::writeTo);
            return 0;
        } catch (NoSuchFileException e) {
            throw new Failure(e.getFile() + ": no such file");
        } catch (IOException e) {
            throw new Failure(describe(e));
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            throw new Failure(e.getMessage());
        } catch (ApiError e) {
            throw new IllegalStateException("a package is written without the daemon", e);
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
