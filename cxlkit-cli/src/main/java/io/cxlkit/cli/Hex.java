package io.cxlkit.cli;

import java.util.HexFormat;

/** Bytes as lower-case hex, and hex text (either case, whitespace ignored) as bytes. */
public final class Hex {
    private Hex() {
    }

    public static String encode(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** @throws IllegalArgumentException unless an even number of hex digits (spaces allowed) */
    public static byte[] decode(String text) {
        String t = text.replaceAll("\\s+", "");
        if (t.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        try {
            return HexFormat.of().parseHex(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hex digits");
        }
    }
}
