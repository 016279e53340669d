package io.cxlkit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.host.json.JsonC;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The control API's OpenAPI 3 document, {@code openapi.json} beside this class: written by hand,
 * served as it is at {@code GET /v1/openapi.json}, and the source of the route index of
 * {@code GET /v1} (each route's summary is written once, in the document).
 */
final class OpenApiDocument {

    static final String RESOURCE = "openapi.json";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    private final String text;
    private final String index;

    private OpenApiDocument(String text, String index) {
        this.text = text;
        this.index = index;
    }

    /** The document packaged with this class; a jar without it is broken, not a request's problem. */
    static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new OpenApiDocument(text, index(ControlApi.JSON.readTree(text)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The document, as written. */
    String text() {
        return text;
    }

    /** {@code {"openapi":"/v1/openapi.json","routes":[{"method","path","summary"}...]}}, in the document's order. */
    String index() {
        return index;
    }

    private static String index(JsonNode doc) {
        List<JsonC.Value> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    routes.add(JsonC.object().put("method", op.getKey().toUpperCase(Locale.ROOT))
                            .put("path", path.getKey()).put("summary", op.getValue().path("summary").asText())
                            .build());
                }
            }
        }
        return JsonC.document(JsonC.object().put("openapi", ApiRoute.OPENAPI.template())
                .put("routes", JsonC.array(routes)).build());
    }
}
