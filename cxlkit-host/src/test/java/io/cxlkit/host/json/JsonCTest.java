package io.cxlkit.host.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** json-c's pretty and plain output, checked against what json_object.c writes. */
class JsonCTest {

    @Test
    void scalarsPrintAsJsonC() {
        assertThat(JsonC.toPrettyString(JsonC.integer(0))).isEqualTo("0");
        assertThat(JsonC.toPrettyString(JsonC.integer(-42))).isEqualTo("-42");
        assertThat(JsonC.toPrettyString(JsonC.integer(Long.MAX_VALUE))).isEqualTo("9223372036854775807");
        assertThat(JsonC.toPrettyString(JsonC.integer(Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
        assertThat(JsonC.toPrettyString(JsonC.bool(true))).isEqualTo("true");
        assertThat(JsonC.toPrettyString(JsonC.bool(false))).isEqualTo("false");
        assertThat(JsonC.toPrettyString(JsonC.str("mem0"))).isEqualTo("\"mem0\"");
        assertThat(JsonC.toPrettyString(JsonC.str(""))).isEqualTo("\"\"");
    }

    @Test
    void nullPrintsAsNullPlainAndPretty() {
        JsonC.Obj o = JsonC.object().put("memdev", "mem0").put("last_sanitize", JsonC.nullValue()).build();
        assertThat(JsonC.toPlainString(o)).isEqualTo("{\"memdev\":\"mem0\",\"last_sanitize\":null}");
        assertThat(JsonC.document(o)).isEqualTo("{\n  \"memdev\":\"mem0\",\n  \"last_sanitize\":null\n}\n");
    }

    @Test
    void unsignedIntegersPrintTheUnsignedValue() {
        assertThat(JsonC.toPrettyString(JsonC.unsignedInteger(-1))).isEqualTo("18446744073709551615");
        assertThat(JsonC.toPrettyString(JsonC.unsignedInteger(Long.MIN_VALUE))).isEqualTo("9223372036854775808");
        assertThat(JsonC.toPrettyString(JsonC.unsignedInteger(7))).isEqualTo("7");
        // the same bits through json_object_new_int64 print signed
        assertThat(JsonC.toPrettyString(JsonC.integer(-1))).isEqualTo("-1");
    }

    @Test
    void prettyObjectOneKeyPerLineNoSpaceAfterColon() {
        JsonC.Obj o = JsonC.object().put("a", 1).put("b", "x").put("c", true).build();
        assertThat(JsonC.toPrettyString(o)).isEqualTo("{\n  \"a\":1,\n  \"b\":\"x\",\n  \"c\":true\n}");
    }

    @Test
    void nestedContainersIndentTwoSpacesPerLevel() {
        JsonC.Obj inner = JsonC.object().put("num_slots", 2).put("ok", false).build();
        JsonC.Obj o = JsonC.object().put("memdev", "mem0").put("firmware", inner)
                .put("list", JsonC.array(JsonC.integer(1), JsonC.array(JsonC.str("x")))).build();
        assertThat(JsonC.document(JsonC.array(o))).isEqualTo("""
                [
                  {
                    "memdev":"mem0",
                    "firmware":{
                      "num_slots":2,
                      "ok":false
                    },
                    "list":[
                      1,
                      [
                        "x"
                      ]
                    ]
                  }
                ]
                """);
    }

    @Test
    void emptyContainersPutTheBracketsOnTheirOwnLines() {
        assertThat(JsonC.toPrettyString(JsonC.array())).isEqualTo("[\n]");
        assertThat(JsonC.toPrettyString(JsonC.object().build())).isEqualTo("{\n}");
        assertThat(JsonC.document(JsonC.array(List.of()))).isEqualTo("[\n]\n");
        // nested: the closing bracket is indented to the level of the line that opened it
        JsonC.Obj o = JsonC.object().put("faults", JsonC.array()).put("x", JsonC.object().build()).build();
        assertThat(JsonC.toPrettyString(o)).isEqualTo("{\n  \"faults\":[\n  ],\n  \"x\":{\n  }\n}");
        assertThat(JsonC.toPrettyString(JsonC.array(JsonC.array())))
                .isEqualTo("[\n  [\n  ]\n]");
    }

    @Test
    void documentAddsExactlyOneTrailingNewline() {
        assertThat(JsonC.document(JsonC.object().put("a", 1).build())).isEqualTo("{\n  \"a\":1\n}\n");
    }

    @Test
    void plainModeHasNoWhitespace() {
        JsonC.Obj o = JsonC.object().put("memdev", "mem0").put("faults", JsonC.strings(List.of("a", "b/c")))
                .put("e", JsonC.object().build()).put("z", JsonC.array()).build();
        assertThat(JsonC.toPlainString(o))
                .isEqualTo("{\"memdev\":\"mem0\",\"faults\":[\"a\",\"b\\/c\"],\"e\":{},\"z\":[]}");
    }

    @Test
    void slashIsEscaped() {
        assertThat(JsonC.toPrettyString(JsonC.str("/sys/bus/cxl")))
                .isEqualTo("\"\\/sys\\/bus\\/cxl\"");
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertThat(JsonC.toPrettyString(JsonC.str("say \"hi\" \\ bye")))
                .isEqualTo("\"say \\\"hi\\\" \\\\ bye\"");
    }

    @Test
    void namedControlCharactersUseShortEscapes() {
        assertThat(JsonC.toPrettyString(JsonC.str("\b\f\n\r\t")))
                .isEqualTo("\"\\b\\f\\n\\r\\t\"");
    }

    @Test
    void otherControlCharactersUseLowerCaseUnicodeEscapes() {
        assertThat(JsonC.toPrettyString(JsonC.str("\u0000"))).isEqualTo("\"\\u0000\"");
        assertThat(JsonC.toPrettyString(JsonC.str("\u0001\u000b\u001b\u001f")))
                .isEqualTo("\"\\u0001\\u000b\\u001b\\u001f\"");
    }

    @Test
    void delAndNonAsciiPassThrough() {
        assertThat(JsonC.toPrettyString(JsonC.str("\u007f é ✓ \uD83D\uDE00 ' <>&")))
                .isEqualTo("\"\u007f é ✓ \uD83D\uDE00 ' <>&\"");
    }

    @Test
    void keysAreEscapedLikeValues() {
        JsonC.Obj o = JsonC.object().put("a/b\"c\n", 1).build();
        assertThat(JsonC.toPlainString(o)).isEqualTo("{\"a\\/b\\\"c\\n\":1}");
    }

    @Test
    void putOfAnExistingKeyReplacesTheValueInPlace() {
        JsonC.Obj o = JsonC.object().put("a", 1).put("b", 2).put("a", 3).build();
        assertThat(o.keys()).containsExactly("a", "b");
        assertThat(JsonC.toPlainString(o)).isEqualTo("{\"a\":3,\"b\":2}");
    }

    @Test
    void objectsRejectDuplicateKeys() {
        assertThatThrownBy(() -> new JsonC.Obj(List.of(new JsonC.Member("a", JsonC.integer(1)),
                new JsonC.Member("a", JsonC.integer(2)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"a\"");
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> JsonC.str(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> JsonC.object().put("k", (JsonC.Value) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> JsonC.array(JsonC.integer(1), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void valuesAreImmutable() {
        JsonC.Arr a = JsonC.array(JsonC.integer(1));
        assertThatThrownBy(() -> a.items().add(JsonC.integer(2))).isInstanceOf(UnsupportedOperationException.class);
        JsonC.Obj o = JsonC.object().put("a", 1).build();
        assertThatThrownBy(() -> o.members().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(o.get("a")).isEqualTo(JsonC.integer(1));
        assertThat(o.get("b")).isNull();
        assertThat(o.has("a")).isTrue();
    }

    @Test
    void strictParserAgreesWithThePrinter() {
        JsonC.Obj o = JsonC.object().put("s", "a/\"\\\u0001\n").put("n", -5)
                .put("u", JsonC.unsignedInteger(-1)).put("b", false).put("a", JsonC.array()).build();
        assertThat(StrictJsonParser.parse(JsonC.document(o))).isEqualTo(o);
        assertThat(StrictJsonParser.parse(JsonC.toPlainString(o))).isEqualTo(o);
    }

    @Test
    void strictParserRejectsBrokenJson() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "\"x\u0001\"", "\"\\x\"",
                "01", "1.5", "[1] 2", "tru", "{\"a\":1}}", "\"abc")) {
            assertThatThrownBy(() -> StrictJsonParser.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
