package io.cxlkit.host.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Whatever the value, json-c style output is valid JSON that parses back to the same value. */
class JsonCProperties {

    private static final Pattern KEY = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    @Property(tries = 500)
    void prettyOutputParsesBackToTheSameValue(@ForAll("values") JsonC.Value v) {
        String doc = JsonC.document(v);
        assertThat(doc).endsWith("\n").doesNotEndWith("\n\n");
        assertThat(normalize(StrictJsonParser.parse(doc))).isEqualTo(normalize(v));
    }

    @Property(tries = 500)
    void plainOutputParsesBackToTheSameValueAndHasNoLayoutWhitespace(@ForAll("values") JsonC.Value v) {
        String plain = JsonC.toPlainString(v);
        assertThat(plain).doesNotContain("\n").doesNotContain("\r").doesNotContain("\t");
        assertThat(normalize(StrictJsonParser.parse(plain))).isEqualTo(normalize(v));
    }

    @Property(tries = 500)
    void prettyLayoutIsJsonCs(@ForAll("values") JsonC.Value v) {
        String pretty = JsonC.toPrettyString(v);
        // strings never contain a raw newline, so lines are layout lines
        String[] lines = pretty.split("\n", -1);
        int depth = 0;
        for (String line : lines) {
            String body = line.stripLeading();
            int indent = line.length() - body.length();
            assertThat(line.substring(0, indent)).as("indent is spaces only").matches(" *");
            assertThat(indent % 2).as("indent is a multiple of two").isZero();
            boolean closes = body.startsWith("}") || body.startsWith("]");
            if (closes) {
                depth--;
            }
            assertThat(indent).as("line \"%s\" indented for depth %d", line, depth).isEqualTo(2 * depth);
            Matcher key = KEY.matcher(body);
            if (key.lookingAt() && body.length() > key.end() && body.charAt(key.end()) == ':') {
                assertThat(body.length()).as("a value follows the colon: %s", line).isGreaterThan(key.end() + 1);
                assertThat(body.charAt(key.end() + 1)).as("no space after the colon: %s", line).isNotEqualTo(' ');
            }
            if (body.endsWith("{") || body.endsWith("[")) {
                depth++;
            }
        }
        assertThat(depth).isZero();
        assertThat(pretty).doesNotContain(" \n").doesNotEndWith("\n");
        // no slash, quote or control character escapes missing anywhere
        assertThat(pretty.replace("\\/", "")).doesNotContain("/");
    }

    @Property(tries = 300)
    void escapingLeavesOnlyPrintableCharacters(@ForAll("texts") String s) {
        StringBuilder out = new StringBuilder();
        JsonC.escape(out, s);
        String escaped = out.toString();
        assertThat(escaped.chars()).noneMatch(c -> c < 0x20);
        assertThat(escaped.replace("\\\\", "").replace("\\/", "")).doesNotContain("/");
        assertThat(StrictJsonParser.parse("\"" + escaped + "\"")).isEqualTo(JsonC.str(s));
    }

    /** Unsigned flags only change the text above Long.MAX_VALUE, which the parser marks unsigned. */
    private static Object normalize(JsonC.Value v) {
        if (v instanceof JsonC.Int i) {
            return i.text();
        }
        if (v instanceof JsonC.Arr a) {
            List<Object> out = new ArrayList<>();
            a.items().forEach(x -> out.add(normalize(x)));
            return out;
        }
        if (v instanceof JsonC.Obj o) {
            Map<String, Object> out = new LinkedHashMap<>();
            o.members().forEach(m -> out.put(m.key(), normalize(m.value())));
            return new ArrayList<>(out.entrySet());
        }
        return v;
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Character> tricky = Arbitraries.of('/', '"', '\\', '\b', '\f', '\n', '\r', '\t', '\u0000',
                '\u001f', '\u007f', 'é', '✓', ' ');
        Arbitrary<Character> any = Arbitraries.chars().range('\u0000', '\ud7ff');
        return Arbitraries.frequencyOf(
                        Tuple.of(3, tricky), Tuple.of(2, Arbitraries.chars().ascii()),
                        Tuple.of(1, any))
                .list().ofMaxSize(20)
                .map(cs -> {
                    StringBuilder sb = new StringBuilder();
                    cs.forEach(sb::append);
                    return sb.toString();
                });
    }

    @Provide
    Arbitrary<JsonC.Value> values() {
        return value(3);
    }

    private Arbitrary<JsonC.Value> value(int depth) {
        Arbitrary<JsonC.Value> scalar = Arbitraries.oneOf(
                texts().map(JsonC::str),
                Arbitraries.longs().map(JsonC::integer),
                Arbitraries.longs().map(JsonC::unsignedInteger),
                Arbitraries.of(true, false).map(JsonC::bool));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<JsonC.Value> child = Arbitraries.lazy(() -> value(depth - 1));
        Arbitrary<JsonC.Value> array = child.list().ofMaxSize(4).map(JsonC::array);
        Arbitrary<JsonC.Value> object = Arbitraries.maps(texts(), child).ofMaxSize(4).map(m -> {
            JsonC.ObjBuilder b = JsonC.object();
            m.forEach(b::put);
            return b.build();
        });
        return Arbitraries.frequencyOf(
                Tuple.of(2, scalar),
                Tuple.of(1, array),
                Tuple.of(1, object));
    }
}
