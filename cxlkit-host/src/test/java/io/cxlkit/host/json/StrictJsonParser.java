package io.cxlkit.host.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, strict RFC 8259 parser for tests, independent of the printer under test: it accepts
 * exactly one value surrounded by optional whitespace, rejects raw control characters in strings,
 * unknown escapes, leading zeros, trailing commas and trailing text. Integers parse to
 * {@link JsonC.Int} (unsigned only when above {@code Long.MAX_VALUE}); fractions and exponents
 * are rejected, since nothing cxlkit prints has them.
 */
final class StrictJsonParser {
    private final String text;
    private int pos;

    private StrictJsonParser(String text) {
        this.text = text;
    }

    /** Parses {@code text} or throws {@link IllegalArgumentException} saying where it is not JSON. */
    static JsonC.Value parse(String text) {
        StrictJsonParser p = new StrictJsonParser(text);
        p.whitespace();
        JsonC.Value v = p.value();
        p.whitespace();
        if (p.pos != text.length()) {
            throw p.error("trailing text");
        }
        return v;
    }

    private JsonC.Value value() {
        if (pos >= text.length()) {
            throw error("value expected");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return JsonC.str(string());
            case 't':
                literal("true");
                return JsonC.bool(true);
            case 'f':
                literal("false");
                return JsonC.bool(false);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected '" + c + "'");
        }
    }

    private JsonC.Obj object() {
        expect('{');
        List<JsonC.Member> members = new ArrayList<>();
        whitespace();
        if (peek() == '}') {
            pos++;
            return new JsonC.Obj(members);
        }
        while (true) {
            whitespace();
            if (peek() != '"') {
                throw error("key expected");
            }
            String key = string();
            whitespace();
            expect(':');
            whitespace();
            members.add(new JsonC.Member(key, value()));
            whitespace();
            char c = next();
            if (c == '}') {
                return new JsonC.Obj(members);
            }
            if (c != ',') {
                throw error("',' or '}' expected");
            }
        }
    }

    private JsonC.Arr array() {
        expect('[');
        List<JsonC.Value> items = new ArrayList<>();
        whitespace();
        if (peek() == ']') {
            pos++;
            return new JsonC.Arr(items);
        }
        while (true) {
            whitespace();
            items.add(value());
            whitespace();
            char c = next();
            if (c == ']') {
                return new JsonC.Arr(items);
            }
            if (c != ',') {
                throw error("',' or ']' expected");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("raw control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    String hex = text.substring(pos, pos + 4);
                    if (!hex.matches("[0-9a-fA-F]{4}")) {
                        throw error("bad \\u escape " + hex);
                    }
                    sb.append((char) Integer.parseInt(hex, 16));
                    pos += 4;
                }
                default -> throw error("unknown escape \\" + e);
            }
        }
    }

    private JsonC.Int number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (pos >= text.length() || !Character.isDigit(text.charAt(pos))) {
            throw error("digit expected");
        }
        if (text.charAt(pos) == '0' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
            throw error("leading zero");
        }
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw error("only integers are expected");
        }
        BigInteger n = new BigInteger(text.substring(start, pos));
        if (n.bitLength() < 64) {
            return JsonC.integer(n.longValueExact());
        }
        if (n.signum() > 0 && n.bitLength() == 64) {
            return JsonC.unsignedInteger(n.longValue());
        }
        throw error("integer out of 64-bit range: " + n);
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw error(word + " expected");
        }
        pos += word.length();
    }

    private void whitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw error("'" + c + "' expected");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + pos);
    }
}
