package io.cxlkit.cli;

/**
 * Expected output written compact, laid out as json-c's {@code JSON_C_TO_STRING_PRETTY} lays it
 * out (two spaces a level, nothing after a colon, an empty container as its brackets on two
 * lines), plus ndctl's closing newline. Done here on the text, apart from {@code JsonC}, so tests
 * of commands' output stay byte for byte without repeating it by hand.
 */
final class JsonCLayout {
    private JsonCLayout() {
    }

    static String of(String compact) {
        StringBuilder out = new StringBuilder();
        int level = 0;
        boolean inString = false;
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(compact.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                case '{', '[' -> {
                    char close = c == '{' ? '}' : ']';
                    if (compact.charAt(i + 1) == close) {
                        out.append(c).append('\n').append("  ".repeat(level)).append(close);
                        i++;
                    } else {
                        level++;
                        out.append(c).append('\n').append("  ".repeat(level));
                    }
                }
                case '}', ']' -> {
                    level--;
                    out.append('\n').append("  ".repeat(level)).append(c);
                }
                case ',' -> out.append(",\n").append("  ".repeat(level));
                default -> out.append(c);
            }
        }
        return out.append('\n').toString();
    }
}
