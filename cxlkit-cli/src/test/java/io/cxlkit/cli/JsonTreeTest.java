package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JsonTree} gives what {@code ObjectMapper.readTree} gives, node classes and errors included. */
class JsonTreeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "null", "true", "false", "0", "-1", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1.5", "-0.0", "1e3", "1E400",
        "\"\"", "\"a\\u00e9\\n\\\"b\"", "[]", "{}", "[1,[2,[3,{}]]]",
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
        "{\"a\":1,\"b\":2,\"a\":3}",
        "[1] trailing", "{\"a\":1} {\"b\":2}", "  {\"memdev\":\"mem0\",\"serial\":18446744073709551615}  ",
    })
    void sameTreeAsReadTree(String json) throws Exception {
        JsonNode expected = MAPPER.readTree(json);
        assertSameTree(JsonTree.read(json), expected);
        assertSameTree(JsonTree.read(json.getBytes(StandardCharsets.UTF_8)), expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "null", "true", "0", "-1", "2147483648", "9223372036854775808", "1.5", "1E400", "\"a\\u00e9\\n\\\"b\\u0001\"",
        "[]", "{}", "[1,[2,[3,{}]]]", "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
    })
    void sameBytesAsWriteValueAsBytes(String json) throws Exception {
        JsonNode tree = MAPPER.readTree(json);
        assertThat(new String(JsonTree.bytes(tree), StandardCharsets.UTF_8))
                .isEqualTo(new String(MAPPER.writeValueAsBytes(tree), StandardCharsets.UTF_8));
    }

    @Test
    void requestBodiesAsTheMapperWritesThem() throws Exception {
        var body = DaemonClient.object().put("slot", 2).put("online", true).put("fault", "fail-opcode")
                .put("opcode", "0201h").put("rc", 0x0B).put("count", 3L);
        assertThat(JsonTree.bytes(body)).isEqualTo(MAPPER.writeValueAsBytes(body));
        assertThat(new String(JsonTree.bytes(body), StandardCharsets.UTF_8))
                .isEqualTo("{\"slot\":2,\"online\":true,\"fault\":\"fail-opcode\",\"opcode\":\"0201h\","
                        + "\"rc\":11,\"count\":3}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[1,", "{\"a\" 1}", "nul", "[1,]", "{'a':1}", "\"abc", "<html>oops</html>", "01"})
    void sameErrorsAsReadTree(String json) {
        Throwable expected = catchThrowable(() -> MAPPER.readTree(json));
        Throwable actual = catchThrowable(() -> JsonTree.read(json));
        assertThat(expected).isNotNull();
        assertThat(actual).isExactlyInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
    }

    @Test
    void deepNestingIsRefusedAsReadTreeRefusesIt() {
        String json = "[".repeat(5000) + "]".repeat(5000);
        Throwable expected = catchThrowable(() -> MAPPER.readTree(json));
        Throwable actual = catchThrowable(() -> JsonTree.read(json));
        assertThat(actual).isExactlyInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
    }

    /** Equal, and of the same node class everywhere (IntNode vs LongNode matters to canConvertToInt). */
    private static void assertSameTree(JsonNode actual, JsonNode expected) {
        assertThat(actual).isEqualTo(expected);
        assertThat(shapes(actual)).isEqualTo(shapes(expected));
    }

    private static List<String> shapes(JsonNode node) {
        List<String> out = new ArrayList<>();
        shapes(node, "$", out);
        return out;
    }

    private static void shapes(JsonNode node, String at, List<String> out) {
        out.add(at + " " + node.getClass().getSimpleName());
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                shapes(e.getValue(), at + "." + e.getKey(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                shapes(node.get(i), at + "[" + i + "]", out);
            }
        }
    }
}
