package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/control-api.md keeps up with the server: a section for every route of the OpenAPI
 * document, every error word the document has, and a section for every event type the server
 * publishes (found in its sources: each {@code publish("TYPE", ...)}).
 */
class ControlApiGuideTest {

    private static final OpenApi DOC = OpenApi.load();
    private static final Pattern PUBLISH = Pattern.compile("\\bpublish\\(\"([a-z-]+)\"");

    /** The repository's root: the build runs a module's tests in the module's directory. */
    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("docs/control-api.md"))) {
            dir = dir.getParent();
            assertThat(dir).as("no docs/control-api.md above the working directory").isNotNull();
        }
        return dir;
    }

    private static String guide() throws IOException {
        return Files.readString(root().resolve("docs/control-api.md"));
    }

    @Test
    void everyRouteHasItsSection() throws IOException {
        String guide = guide();
        DOC.operations().keySet().forEach(op -> assertThat(guide).contains("\n### " + op + "\n"));
    }

    @Test
    void everyErrorWordIsExplained() throws IOException {
        String guide = guide();
        Set<String> words = new TreeSet<>();
        DOC.operations().values().forEach(op -> op.path("responses").forEach(r -> words.addAll(DOC.errorWords(r))));
        DOC.root().path("x-cxlkit-any-request").forEach(r -> words.addAll(DOC.errorWords(r)));
        assertThat(words).contains("unauthorized", "device-error", "too-many-connections");
        words.forEach(w -> assertThat(guide).as(w).contains("`" + w + "`"));
    }

    @Test
    void everyEventTypeTheServerPublishesHasItsSectionAndIsInTheDocument() throws IOException {
        Set<String> types = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(root().resolve("cxlkit-server/src/main/java"))) {
            for (Path f : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = PUBLISH.matcher(Files.readString(f));
                while (m.find()) {
                    types.add(m.group(1));
                }
            }
        }
        assertThat(types).contains("upload", "device", "reset");
        String guide = guide();
        String events = DOC.operations().get("GET /v1/events").path("description").asText();
        for (String type : types) {
            assertThat(guide).contains("\n### " + type + "\n").contains("event: " + type + "\ndata: {");
            assertThat(events).contains("`" + type + "`");
        }
    }
}
