package io.cxlkit.device.fw;

import io.cxlkit.protocol.fwpkg.VerificationFailure;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying a stored package: whether it passes and the revision and security
 * version it reports, or why it fails.
 */
public record Verdict(boolean ok, String revision, long securityVersion, Optional<VerificationFailure> failure) {

    public Verdict {
        Objects.requireNonNull(revision, "revision");
        if (ok == failure.isPresent()) {
            throw new IllegalArgumentException("a verdict fails exactly when it has a failure");
        }
    }

    public static Verdict pass(String revision, long securityVersion) {
        return new Verdict(true, revision, securityVersion, Optional.empty());
    }

    public static Verdict fail(VerificationFailure why) {
        return new Verdict(false, "", 0, Optional.of(why));
    }

    /** The one-line reason of a failed verdict (the log lines' words); "" when it passes. */
    public String reason() {
        return failure.map(VerificationFailure::message).orElse("");
    }
}
