package io.cxlkit.cli.fw;

import io.cxlkit.cli.CliCommand;
import io.cxlkit.cli.Failure;
import io.cxlkit.protocol.fwpkg.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxlkit fw keygen}: an Ed25519 key pair, KEYFILE (PKCS#8 PEM, mode 0600) and KEYFILE.pub
 * (X.509 PEM). Refuses to overwrite without --force; prints nothing on success.
 */
@Command(name = "keygen", description = "Make an Ed25519 key pair for signing firmware packages.")
public final class FwKeygenCommand extends CliCommand {

    @Option(names = "--force", description = "Overwrite existing key files.")
    boolean force;

    @Option(names = "-o", required = true, paramLabel = "KEYFILE", description = "Private key file; the public key goes to KEYFILE.pub.")
    Path out;

    @Override
    protected int execute() {
        Path pub = out.resolveSibling(out.getFileName() + ".pub");
        FwPackCommand.checkOutput(out);
        FwPackCommand.checkOutput(pub);
        if (!force && (Files.exists(out) || Files.exists(pub))) {
            throw new Failure((Files.exists(out) ? out : pub) + " exists (use --force to overwrite)");
        }
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            writePrivate(out, Pem.writePrivateKey(pair.getPrivate()));
            Files.writeString(pub, Pem.writePublicKey(pair.getPublic()), StandardCharsets.US_ASCII);
            return 0;
        } catch (NoSuchAlgorithmException e) {
            throw new Failure("this Java has no Ed25519");
        } catch (IOException e) {
            throw new Failure(FwPackCommand.describe(e));
        }
    }

    /** Written 0600 from the start, so the key is never readable by others, not even briefly. */
    private static void writePrivate(Path file, String pem) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        FwPackCommand.moveOrDelete(tmp, file);
    }
}
