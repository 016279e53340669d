package io.cxlkit.device.fw;

import io.cxlkit.device.VerifyPolicy;
import java.nio.file.Path;

/** Verifies stored packages under a policy (device-behaviour.md §5), reading the file as stored. */
public interface PackageChecker {

    Verdict check(Path file, VerifyPolicy policy);

    /**
     * The revision a stored package reports, whatever the policy: the header's revision if magic and
     * format version parse, else RAW- and the first 12 hex digits of the file's SHA-256.
     */
    String revisionOf(Path file);
}
