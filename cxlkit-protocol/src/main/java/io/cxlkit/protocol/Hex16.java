package io.cxlkit.protocol;

/** The one parser of 16-bit values written the way the docs write them: "000Ah", "0x000a" or "000a". */
final class Hex16 {
    private Hex16() {
    }

    /** The value of {@code text}; {@code what} names it in the error ("opcode", "return code"). */
    static int parse(String text, String what) {
        String t = text.trim();
        if (t.endsWith("h") || t.endsWith("H")) {
            t = t.substring(0, t.length() - 1);
        } else if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        if (t.isEmpty() || t.length() > 4) {
            throw new IllegalArgumentException("not a 16-bit hex " + what + ": " + text);
        }
        try {
            return Integer.parseInt(t, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a 16-bit hex " + what + ": " + text);
        }
    }
}
