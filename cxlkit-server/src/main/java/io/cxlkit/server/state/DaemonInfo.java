package io.cxlkit.server.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("pid", pid);
        o.put("http", http);
        o.put("cci", cci);
        cciListeners.forEach(o.putArray("cci_listeners")::add);
        if (cciListeners.isEmpty()) {
            o.putArray("cci_listeners");
        }
        o.put("token", token);
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DaemonInfo parse(String json) throws IOException {
        JsonNode n = JSON.readTree(json);
        List<String> listeners = new ArrayList<>();
        n.path("cci_listeners").forEach(l -> listeners.add(l.asText()));
        if (!n.hasNonNull("http") || !n.hasNonNull("token")) {
            throw new IOException("daemon.json lacks http or token");
        }
        return new DaemonInfo(n.path("pid").asLong(), n.get("http").asText(), n.path("cci").asText(""),
                listeners, n.get("token").asText());
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
