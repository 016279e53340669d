package io.cxlkit.protocol;

/**
 * The one grammar of a DPA, offset or size given as text, wherever it is given (a CLI option, a
 * query parameter, a JSON string): decimal, or hexadecimal after {@code 0x} or {@code 0X}; ASCII
 * digits only (no sign, no spaces, leading zeros allowed); 0 to 2^63-1.
 */
public final class UnsignedText {

    private UnsignedText() {
    }

    /**
     * {@code text} as that number.
     *
     * @throws NumberFormatException for anything else (callers say what was expected, naming the text)
     */
    public static long parse(String text) {
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        String digits = hex ? text.substring(2) : text;
        int radix = hex ? 16 : 10;
        if (digits.isEmpty()) {
            throw new NumberFormatException("no digits: '" + text + "'");
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            // ASCII only: Character.digit would also take other scripts' digits, Long.parseLong a sign
            if (c >= 0x80 || Character.digit(c, radix) < 0) {
                throw new NumberFormatException("not a digit in '" + text + "'");
            }
        }
        long v = Long.parseUnsignedLong(digits, radix);
        if (v < 0) {
            throw new NumberFormatException("above 2^63-1: '" + text + "'");
        }
        return v;
    }
}
