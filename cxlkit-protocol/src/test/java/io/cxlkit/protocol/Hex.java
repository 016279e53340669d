package io.cxlkit.protocol;

import java.util.HexFormat;

/** Test vectors written as hex: whitespace, '|' separators and '#' comments to the line end are ignored. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String hex) {
        StringBuilder sb = new StringBuilder();
        for (String line : hex.split("\n")) {
            int hash = line.indexOf('#');
            sb.append(hash >= 0 ? line.substring(0, hash) : line);
        }
        return HexFormat.of().parseHex(sb.toString().replaceAll("[\\s|]", ""));
    }

    /** {@code n} zero bytes, as hex, for long runs of reserved bytes. */
    public static String zeros(int n) {
        return "00".repeat(n);
    }

    public static String of(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
    }
}
