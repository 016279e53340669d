package io.cxlkit.device.fw;

import io.cxlkit.device.VerifyPolicy;
import io.cxlkit.protocol.fwpkg.PackageInspection;
import io.cxlkit.protocol.fwpkg.PackageVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Verification of stored packages under the device's policy, always reading the file as stored
 * (device-behaviour.md §5), in bounded memory.
 */
public final class PolicyChecker implements PackageChecker {

    @Override
    public Verdict check(Path file, VerifyPolicy policy) {
        try {
            if (policy == VerifyPolicy.NONE) {
                return Verdict.pass(PackageVerifier.revisionOrRaw(file), 0);
            }
            PackageInspection inspection = PackageVerifier.inspect(file);
            if (!inspection.intact()) {
                return Verdict.fail(inspection.failure().orElse("not a package"));
            }
            var header = inspection.header().orElseThrow();
            return Verdict.pass(header.revision(), header.securityVersion());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
