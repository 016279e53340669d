package io.cxlkit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The control API's OpenAPI document as a test reads it: its operations, the answers each
 * documents ({@code "401 unauthorized"}, {@code "200"}), and a check of a JSON value against a
 * schema of it. The checker knows the parts of OpenAPI 3.0's schemas the document uses:
 * {@code $ref} (local), {@code allOf}, {@code type}, {@code nullable}, {@code required},
 * {@code properties}, {@code items} and {@code enum}.
 */
final class OpenApi {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    private final String text;
    private final JsonNode doc;

    private OpenApi(String text) {
        this.text = text;
        try {
            this.doc = ControlApi.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document as the server's jar holds it. */
    static OpenApi load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            return new OpenApi(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String text() {
        return text;
    }

    JsonNode root() {
        return doc;
    }

    /** {@code "METHOD /path"} of every operation, in the document's order. */
    Map<String, JsonNode> operations() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                out.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
            }
        }));
        return out;
    }

    /** The methods the document gives {@code path}, upper case. */
    Set<String> methods(String path) {
        Set<String> out = new LinkedHashSet<>();
        doc.path("paths").path(path).fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                out.add(m.toUpperCase(Locale.ROOT));
            }
        });
        return out;
    }

    /**
     * What {@code responses} (an operation's, or the document's {@code x-cxlkit-any-request})
     * says can be answered: {@code "STATUS"} for an answer that is not an error,
     * {@code "STATUS WORD"} for each error word of an error answer.
     */
    Set<String> answers(JsonNode responses) {
        Set<String> out = new LinkedHashSet<>();
        responses.fields().forEachRemaining(e -> {
            List<String> words = errorWords(e.getValue());
            if (words.isEmpty()) {
                out.add(e.getKey());
            } else {
                words.forEach(w -> out.add(e.getKey() + " " + w));
            }
        });
        return out;
    }

    /** The {@code error} words an answer's JSON schema allows; empty for an answer that is not an error. */
    List<String> errorWords(JsonNode response) {
        JsonNode schema = resolve(resolve(response).path("content").path("application/json").path("schema"));
        List<String> words = new ArrayList<>();
        List<JsonNode> parts = new ArrayList<>();
        parts.add(schema);
        schema.path("allOf").forEach(parts::add);
        for (JsonNode part : parts) {
            resolve(part).path("properties").path("error").path("enum").forEach(w -> words.add(w.asText()));
        }
        return words;
    }

    /** Follows a local {@code $ref} ({@code #/components/...}); any other node as it is. */
    JsonNode resolve(JsonNode n) {
        while (n.has("$ref")) {
            String ref = n.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new AssertionError("not a local reference: " + ref);
            }
            JsonNode target = doc.at(ref.substring(1));
            if (target.isMissingNode()) {
                throw new AssertionError("dangling reference: " + ref);
            }
            n = target;
        }
        return n;
    }

    /** Where {@code value} does not conform to {@code schema}: one line each, empty when it does. */
    List<String> violations(JsonNode value, JsonNode schema) {
        List<String> out = new ArrayList<>();
        check(value, schema, "$", out);
        return out;
    }

    private void check(JsonNode v, JsonNode schema, String at, List<String> out) {
        schema = resolve(schema);
        for (JsonNode part : schema.path("allOf")) {
            check(v, part, at, out);
        }
        String type = schema.path("type").asText("");
        if (v.isNull() && schema.path("nullable").asBoolean(false)) {
            return; // OpenAPI 3.0: null is a value of a nullable schema of any type
        }
        if (!type.isEmpty() && !hasType(v, type)) {
            out.add(at + ": not of type " + type + ": " + v);
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(v);
            }
            if (!listed) {
                out.add(at + ": " + v + " is not one of " + schema.get("enum"));
            }
        }
        if (v.isObject()) {
            for (JsonNode name : schema.path("required")) {
                if (!v.has(name.asText())) {
                    out.add(at + ": member " + name.asText() + " missing from " + v);
                }
            }
            schema.path("properties").fields().forEachRemaining(p -> {
                if (v.has(p.getKey())) {
                    check(v.get(p.getKey()), p.getValue(), at + "." + p.getKey(), out);
                }
            });
        }
        if (v.isArray() && schema.has("items")) {
            for (int i = 0; i < v.size(); i++) {
                check(v.get(i), schema.get("items"), at + "[" + i + "]", out);
            }
        }
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            default -> throw new AssertionError("a schema type the checker does not know: " + type);
        };
    }
}
