package io.cxlkit.protocol.fwpkg;

/**
 * A firmware package (or one of its fields) breaks the format of docs/package-format.md.
 *
 * <p>Unchecked, and an {@link IllegalArgumentException}, so that a builder given a bad revision
 * and a parser given bad bytes fail the same way. The message is one line, lower case, without a
 * trailing period (e.g. {@code "bad magic"}, {@code "header digest mismatch"}).
 */
public final class PackageFormatException extends IllegalArgumentException {

    public PackageFormatException(String message) {
        super(message);
    }
}
