package io.cxlkit.server.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The contents of daemon.json (wire.md §2): how clients reach a running daemon.
 *
 * @param cci          the first TCP listener, {@code tcp://H:P} (empty when there is none)
 * @param cciListeners every listener in listener order ({@code tcp://H:P}, {@code unix:PATH})
 * @param token        32 random bytes, base64url without padding
 */
public record DaemonInfo(long pid, String http, String cci, List<String> cciListeners, String token) {

    /**
     * jackson-core's streaming parser and generator only: the CLI reads this file on every run, and
     * building an ObjectMapper costs it 40-50 ms of start-up (docs/startup.md).
     */
    private static final JsonFactory JSON = new JsonFactory();

    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("pid", pid);
            g.writeStringField("http", http);
            g.writeStringField("cci", cci);
            g.writeArrayFieldStart("cci_listeners");
            for (String l : cciListeners) {
                g.writeString(l);
            }
            g.writeEndArray();
            g.writeStringField("token", token);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string cannot fail", e);
        }
        return out + "\n";
    }

    public static DaemonInfo parse(String json) throws IOException {
        long pid = 0;
        String http = null;
        String cci = "";
        String token = null;
        List<String> listeners = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("daemon.json is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "pid" -> pid = value.isNumeric() ? p.getLongValue() : 0;
                    case "http" -> http = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "cci" -> cci = p.getValueAsString("");
                    case "token" -> token = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "cci_listeners" -> {
                        if (value == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                listeners.add(p.getValueAsString(""));
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (http == null || token == null) {
            throw new IOException("daemon.json lacks http or token");
        }
        return new DaemonInfo(pid, http, cci, listeners, token);
    }

    /**
     * The live daemon of {@code stateDir}: its daemon.json if present, its lock held and its process
     * alive; empty when no daemon runs there (no file, or a stale one).
     */
    public static Optional<DaemonInfo> find(Path stateDir) throws IOException {
        Path file = stateDir.resolve(StateDirectory.DAEMON_FILE);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!StateDirectory.isLocked(stateDir)) {
            return Optional.empty();
        }
        DaemonInfo info = parse(text);
        // A new daemon holds the lock a moment before it removes the file its killed predecessor
        // left: a file whose process is gone is stale whoever holds the lock.
        if (ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.of(info);
        }
        return Optional.empty();
    }
}
