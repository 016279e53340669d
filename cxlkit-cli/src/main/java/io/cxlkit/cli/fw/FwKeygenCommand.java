package io.cxlkit.cli.fw;

import io.cxlkit.cli.ApiError;
import io.cxlkit.cli.AtomicFile;
import io.cxlkit.cli.CliCommand;
import io.cxlkit.cli.Failure;
import io.cxlkit.cli.OutputFile;
import io.cxlkit.protocol.fwpkg.Pem;
import io.cxlkit.protocol.fwpkg.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxlkit fw keygen}: an Ed25519 key pair, KEYFILE (PKCS#8 PEM, mode 0600) and KEYFILE.pub
 * (X.509 PEM). Both follow {@link OutputFile}'s rule, except that {@code -} is refused: two files
 * cannot both go to standard output. Prints nothing on success.
 */
@Command(name = "keygen", description = "Make an Ed25519 key pair for signing firmware packages.")
public final class FwKeygenCommand extends CliCommand {

    @Option(names = "--force", description = "Overwrite existing key files.")
    boolean force;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "KEYFILE",
            description = "Private key file; the public key goes to KEYFILE.pub.")
    Path out;

    @Override
    protected int execute() throws InterruptedException {
        if (out.toString().equals(OutputFile.STDOUT)) {
            throw usage("keygen writes KEYFILE and KEYFILE.pub: give a file name, not -");
        }
        Path pub = out.resolveSibling(out.getFileName() + ".pub");
        OutputFile.checkWritable(out, force);
        OutputFile.checkWritable(pub, force);
        try {
            KeyPair pair = SigningKeys.newPair();
            // 0600 from the start: the private key is never readable by others, not even briefly
            write(out, AtomicFile.PRIVATE, Pem.writePrivateKey(pair.getPrivate()));
            write(pub, AtomicFile.PUBLIC, Pem.writePublicKey(pair.getPublic()));
            return 0;
        } catch (IllegalStateException e) {
            throw new Failure(e.getMessage()); // this Java has no Ed25519
        } catch (IOException e) {
            throw new Failure(FwPackCommand.describe(e));
        }
    }

    private void write(Path file, java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions, String pem)
            throws IOException, InterruptedException {
        try {
            OutputFile.of(file, force).write(permissions, System.out,
                    o -> o.write(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (ApiError e) {
            throw new IllegalStateException("a key is written without the daemon", e);
        }
    }
}
