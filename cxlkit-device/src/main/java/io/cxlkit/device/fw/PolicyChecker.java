package io.cxlkit.device.fw;

import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.protocol.fwpkg.BodyDigest;
import io.cxlkit.protocol.fwpkg.PackageInspection;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import io.cxlkit.protocol.fwpkg.VerificationCheck;
import io.cxlkit.protocol.fwpkg.VerificationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Optional;

/**
 * Verification of stored packages under the device's policy, always reading the file as stored
 * (device-behaviour.md §5), in bounded memory. Stateless: the trusted keys come with each check,
 * so one instance may serve any number of devices.
 *
 * <ul>
 *   <li>{@code none}: any bytes; the revision is the package's if it parses, else RAW-...;
 *   <li>{@code package}: {@link PackageInspection#intact()};
 *   <li>{@code signed}: intact, and the factory package or signed (validly) by a trusted key.
 * </ul>
 */
public final class PolicyChecker implements PackageChecker {

    @Override
    public Verdict check(Path file, VerifyPolicy policy, Collection<? extends PublicKey> trustedKeys) {
        return check(file, policy, trustedKeys, Optional.empty());
    }

    @Override
    public Verdict check(Path file, VerifyPolicy policy, Collection<? extends PublicKey> trustedKeys,
                         Optional<BodyDigest> knownBody) {
        try {
            if (policy == VerifyPolicy.NONE) {
                return Verdict.pass(PackageVerifier.revisionOrRaw(file), 0);
            }
            PackageInspection inspection = PackageVerifier.inspect(file, knownBody.orElse(null));
            if (inspection.failure().isPresent()) {
                return Verdict.fail(inspection.failure().get());
            }
            if (policy == VerifyPolicy.SIGNED) {
                Optional<VerificationFailure> untrusted = signatureProblem(inspection, trustedKeys);
                if (untrusted.isPresent()) {
                    return Verdict.fail(untrusted.get());
                }
            }
            var header = inspection.header().orElseThrow();
            return Verdict.pass(header.revision(), header.securityVersion());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Why an intact package fails the {@code signed} policy; empty when it passes (the factory
     * package always does). An intact signed package has a well-formed trailer, hence a key id.
     */
    private static Optional<VerificationFailure> signatureProblem(PackageInspection inspection,
                                                                  Collection<? extends PublicKey> trustedKeys) {
        if (inspection.factory() || inspection.verifiesWith(trustedKeys)) {
            return Optional.empty();
        }
        if (!inspection.signed()) {
            return Optional.of(VerificationFailure.of(VerificationCheck.NOT_SIGNED));
        }
        String keyId = inspection.keyId().orElseThrow();
        if (!inspection.signatureValid().orElse(false)) {
            return Optional.of(VerificationFailure.signatureInvalid(keyId));
        }
        return Optional.of(VerificationFailure.keyNotTrusted(keyId));
    }

    @Override
    public String revisionOf(Path file) {
        try {
            return PackageVerifier.revisionOrRaw(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
