package io.cxlkit.cli.fw;

import io.cxlkit.cli.CliCommand;
import io.cxlkit.cli.Failure;
import io.cxlkit.host.json.JsonC;
import io.cxlkit.protocol.fwpkg.PackageHeader;
import io.cxlkit.protocol.fwpkg.PackageInspection;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.fwpkg.Pem;
import io.cxlkit.protocol.fwpkg.VerificationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit fw inspect}: the package header as JSON, with what verification finds. Exit 1 if
 * the file is not a package or a digest is wrong (the JSON is still printed when the header parses).
 */
@Command(name = "inspect", description = "Print a firmware package's header and checks as JSON.")
public final class FwInspectCommand extends CliCommand {

    @Option(names = "--trusted-key", paramLabel = "PUB", description = "Also say whether this key signed it (repeatable).")
    List<Path> trustedKeys = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    protected int execute() {
        List<PublicKey> trusted = new ArrayList<>();
        try {
            for (Path k : trustedKeys) {
                trusted.add(Pem.readPublicKey(Files.readString(k)));
            }
        } catch (NoSuchFileException e) {
            throw new Failure(e.getFile() + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure("bad trusted key: " + e.getMessage());
        }
        PackageInspection inspection;
        try {
            inspection = PackageVerifier.inspect(file);
        } catch (NoSuchFileException e) {
            throw new Failure(file + ": no such file");
        } catch (IOException e) {
            throw new Failure(file + ": " + e.getMessage());
        }
        if (inspection.header().isEmpty()) {
            throw new Failure(file + " is not a cxlkit firmware package: "
                    + inspection.failure().map(VerificationFailure::message).orElse("unreadable"));
        }
        PackageHeader h = inspection.header().get();
        boolean digestOk = inspection.headerDigestOk() && inspection.bodyDigestOk();
        JsonC.ObjBuilder o = JsonC.object()
                .put("format_version", JsonC.integer(h.formatVersion()))
                .put("revision", JsonC.str(h.revision()))
                .put("body_length", JsonC.integer(h.bodyLength()))
                .put("body_sha256", JsonC.str(h.bodySha256Hex()))
                .put("security_version", JsonC.integer(h.securityVersion()))
                .put("flags", JsonC.integer(h.flags()))
                .put("digest_ok", JsonC.bool(digestOk))
                .put("signed", JsonC.bool(inspection.signed()));
        inspection.keyId().ifPresent(id -> o.put("key_id", JsonC.str(id)));
        inspection.signatureValid().ifPresent(v -> o.put("signature_ok", JsonC.bool(v)));
        if (!trusted.isEmpty()) {
            o.put("trusted", JsonC.bool(inspection.verifiesWith(trusted)));
        }
        spec.commandLine().getOut().print(JsonC.document(o.build()));
        spec.commandLine().getOut().flush();
        if (inspection.failure().isPresent()) {
            throw new Failure(file + ": " + inspection.failure().get().message());
        }
        return 0;
    }
}
