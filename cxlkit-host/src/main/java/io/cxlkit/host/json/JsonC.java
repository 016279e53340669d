package io.cxlkit.host.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tiny ordered JSON value model and a printer that reproduces json-c's output byte for byte, so
 * that cxlkit prints what ndctl (which uses json-c) prints.
 *
 * <p>Pretty printing ({@link #toPrettyString}, json-c's {@code JSON_C_TO_STRING_PRETTY}):
 * <ul>
 *   <li>an object or array opens with its bracket and a newline; each member is on its own line,
 *       indented two spaces per nesting level; members are separated by {@code ",\n"};</li>
 *   <li>object members print as {@code "key":value} with no space after the colon;</li>
 *   <li>the closing bracket is on its own line at the opening line's indentation; an empty
 *       object or array therefore prints as {@code "{\n}"} / {@code "[\n]"} (indented when
 *       nested: {@code "[\n  ]"} at level 1);</li>
 *   <li>no newline after the document: {@link #document} adds the one ndctl's
 *       {@code fprintf("%s\n")} writes.</li>
 * </ul>
 *
 * <p>Strings (values and keys) are escaped as json-c does: {@code "} {@code \} and {@code /} get
 * a backslash ({@code /} becomes {@code \/}), backspace, form feed, newline, carriage return and
 * tab print as {@code \b \f \n \r \t}, every other character below U+0020 as {@code \}{@code u00xx}
 * with lower-case hex digits, and everything else (including DEL and non-ASCII) unchanged.
 *
 * <p>Objects keep insertion order. Putting a key that is already present replaces its value in
 * place, as {@code json_object_object_add} does.
 */
public final class JsonC {
    private JsonC() {
    }

    /** A JSON value. */
    public sealed interface Value permits Obj, Arr, Str, Int, Bool, Null {
    }

    /** {@code null}, as json-c prints a NULL member (for the control API's own objects; ndctl's have none). */
    public record Null() implements Value {
    }

    /** A string value (Java {@code String}, printed as UTF-8 by whoever writes the result). */
    public record Str(String value) implements Value {
        public Str {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * An integer. json-c keeps integers as 64-bit signed ({@code json_object_new_int64}, printed
     * with {@code PRId64}) or unsigned ({@code json_object_new_uint64}, {@code PRIu64}); the
     * bit pattern is the same, only the decimal text differs when the top bit is set.
     */
    public record Int(long value, boolean unsigned) implements Value {
        /** The decimal text json-c prints. */
        public String text() {
            return unsigned ? Long.toUnsignedString(value) : Long.toString(value);
        }
    }

    /** {@code true} or {@code false}. */
    public record Bool(boolean value) implements Value {
    }

    /** An array; the list is copied and unmodifiable. */
    public record Arr(List<Value> items) implements Value {
        public Arr {
            items = List.copyOf(items);
        }
    }

    /** An object member. */
    public record Member(String key, Value value) {
        public Member {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** An object: members in insertion order, keys unique; the list is copied and unmodifiable. */
    public record Obj(List<Member> members) implements Value {
        public Obj {
            members = List.copyOf(members);
            for (int i = 0; i < members.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (members.get(j).key().equals(members.get(i).key())) {
                        throw new IllegalArgumentException("duplicate key \"" + members.get(i).key() + "\"");
                    }
                }
            }
        }

        /** The value of {@code key}, or null when absent. */
        public Value get(String key) {
            for (Member m : members) {
                if (m.key().equals(key)) {
                    return m.value();
                }
            }
            return null;
        }

        public boolean has(String key) {
            return get(key) != null;
        }

        /** The keys in order. */
        public List<String> keys() {
            return members.stream().map(Member::key).toList();
        }
    }

    public static Str str(String value) {
        return new Str(value);
    }

    /** A signed 64-bit integer, as {@code json_object_new_int64} / {@code json_object_new_int}. */
    public static Int integer(long value) {
        return new Int(value, false);
    }

    /** An unsigned 64-bit integer (the bits of {@code value}), as {@code json_object_new_uint64}. */
    public static Int unsignedInteger(long value) {
        return new Int(value, true);
    }

    public static Bool bool(boolean value) {
        return new Bool(value);
    }

    public static Null nullValue() {
        return new Null();
    }

    public static Arr array(List<? extends Value> items) {
        return new Arr(new ArrayList<>(items));
    }

    public static Arr array(Value... items) {
        return new Arr(List.of(items));
    }

    /** An array of strings. */
    public static Arr strings(List<String> items) {
        return new Arr(items.stream().map(JsonC::str).map(Value.class::cast).toList());
    }

    public static ObjBuilder object() {
        return new ObjBuilder();
    }

    /** Builds an {@link Obj}; {@code put} of an existing key replaces the value where it stands. */
    public static final class ObjBuilder {
        private final List<Member> members = new ArrayList<>();

        private ObjBuilder() {
        }

        public ObjBuilder put(String key, Value value) {
            Member m = new Member(key, value);
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).key().equals(key)) {
                    members.set(i, m);
                    return this;
                }
            }
            members.add(m);
            return this;
        }

        public ObjBuilder put(String key, String value) {
            return put(key, str(value));
        }

        public ObjBuilder put(String key, long value) {
            return put(key, integer(value));
        }

        public ObjBuilder put(String key, boolean value) {
            return put(key, bool(value));
        }

        public Obj build() {
            return new Obj(members);
        }
    }

    /** {@code json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY)}: no trailing newline. */
    public static String toPrettyString(Value v) {
        StringBuilder out = new StringBuilder(256);
        writePretty(out, v, 0);
        return out.toString();
    }

    /** The pretty text followed by one newline, as ndctl prints a document. */
    public static String document(Value v) {
        return toPrettyString(v) + "\n";
    }

    /** {@code json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN)}: no whitespace at all. */
    public static String toPlainString(Value v) {
        StringBuilder out = new StringBuilder(128);
        writePlain(out, v);
        return out.toString();
    }

    /** Appends {@code s} escaped as json-c's {@code json_escape_str} does (no surrounding quotes). */
    public static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\b' -> out.append("\\b");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void quoted(StringBuilder out, String s) {
        out.append('"');
        escape(out, s);
        out.append('"');
    }

    private static void indent(StringBuilder out, int level) {
        out.append(" ".repeat(2 * level));
    }

    private static void writePretty(StringBuilder out, Value v, int level) {
        if (v instanceof Obj o) {
            out.append("{\n");
            boolean first = true;
            for (Member m : o.members()) {
                if (!first) {
                    out.append(",\n");
                }
                first = false;
                indent(out, level + 1);
                quoted(out, m.key());
                out.append(':');
                writePretty(out, m.value(), level + 1);
            }
            closePretty(out, first, level, '}');
        } else if (v instanceof Arr a) {
            out.append("[\n");
            boolean first = true;
            for (Value item : a.items()) {
                if (!first) {
                    out.append(",\n");
                }
                first = false;
                indent(out, level + 1);
                writePretty(out, item, level + 1);
            }
            closePretty(out, first, level, ']');
        } else {
            writeScalar(out, v);
        }
    }

    /** json-c ends a container with a newline only if it had members, then the indent and bracket. */
    private static void closePretty(StringBuilder out, boolean empty, int level, char bracket) {
        if (!empty) {
            out.append('\n');
        }
        indent(out, level);
        out.append(bracket);
    }

    private static void writePlain(StringBuilder out, Value v) {
        if (v instanceof Obj o) {
            out.append('{');
            boolean first = true;
            for (Member m : o.members()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quoted(out, m.key());
                out.append(':');
                writePlain(out, m.value());
            }
            out.append('}');
        } else if (v instanceof Arr a) {
            out.append('[');
            boolean first = true;
            for (Value item : a.items()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writePlain(out, item);
            }
            out.append(']');
        } else {
            writeScalar(out, v);
        }
    }

    private static void writeScalar(StringBuilder out, Value v) {
        if (v instanceof Str s) {
            quoted(out, s.value());
        } else if (v instanceof Int i) {
            out.append(i.text());
        } else if (v instanceof Bool b) {
            out.append(b.value() ? "true" : "false");
        } else if (v instanceof Null) {
            out.append("null");
        } else {
            throw new AssertionError(v);
        }
    }
}
