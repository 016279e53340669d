package io.cxlkit.device.fw;

import io.cxlkit.device.config.VerifyPolicy;
import io.cxlkit.protocol.fwpkg.BodyDigest;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Optional;

/** Verifies stored packages under a policy (device-behaviour.md §5), reading the file as stored. */
public interface PackageChecker {

    /**
     * Verifies {@code file} under {@code policy}.
     *
     * @param trustedKeys the device's trusted public keys ({@code DeviceConfig.trustedKeys()}); only
     *                    the {@link VerifyPolicy#SIGNED} policy looks at them
     */
    Verdict check(Path file, VerifyPolicy policy, Collection<? extends PublicKey> trustedKeys);

    /**
     * {@link #check(Path, VerifyPolicy, Collection)} given the body's digest as stored, computed
     * while the file was written; a checker may use it instead of reading the body.
     */
    default Verdict check(Path file, VerifyPolicy policy, Collection<? extends PublicKey> trustedKeys,
                          Optional<BodyDigest> knownBody) {
        return check(file, policy, trustedKeys);
    }

    /**
     * The revision a stored package reports, whatever the policy: the header's revision if magic and
     * format version parse, else RAW- and the first 12 hex digits of the file's SHA-256.
     */
    String revisionOf(Path file);
}
