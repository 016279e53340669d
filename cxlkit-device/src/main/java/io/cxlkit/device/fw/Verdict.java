package io.cxlkit.device.fw;

/** The outcome of verifying a stored package: whether it passes and the revision it reports. */
public record Verdict(boolean ok, String revision, long securityVersion, String reason) {

    public static Verdict pass(String revision, long securityVersion) {
        return new Verdict(true, revision, securityVersion, "");
    }

    public static Verdict fail(String reason) {
        return new Verdict(false, "", 0, reason);
    }
}
