package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OpenAPI 3.0 gives {@code nullable} a meaning only next to a {@code type}: a nullable schema
 * without one (as {@code Security.last_sanitize} was) says nothing a validator can use.
 */
class OpenApiNullableTest {

    private static void collect(JsonNode n, String path, List<String> untyped) {
        if (n.isObject()) {
            if (n.path("nullable").asBoolean(false) && !n.has("type")) {
                untyped.add(path);
            }
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) n::fields) {
                collect(e.getValue(), path + "/" + e.getKey(), untyped);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                collect(n.get(i), path + "/" + i, untyped);
            }
        }
    }

    @Test
    void everyNullableSchemaHasAType() {
        List<String> untyped = new ArrayList<>();
        collect(OpenApi.load().root(), "", untyped);

        assertThat(untyped).isEmpty();
    }

    @Test
    void lastSanitizeIsANullableObject() {
        JsonNode s = OpenApi.load().root().at("/components/schemas/Security/properties/last_sanitize");

        assertThat(s.path("type").asText()).isEqualTo("object");
        assertThat(s.path("nullable").asBoolean()).isTrue();
    }
}
