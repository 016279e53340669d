package io.cxlkit.cli.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.cli.DaemonClient;
import java.io.IOException;
import java.util.Optional;

/**
 * An {@code upload} event of the control API's event stream: one memdev's upload as it goes, the
 * last one ({@code status} {@code idle}) sent when it has ended, with the {@code error} (and the
 * device's {@code reason}) of a failed or cancelled one. Read as JSON, whatever its whitespace.
 */
record UploadEvent(String memdev, String status, long imageSize, long remainingSize, long bytesSent,
                   Optional<String> error) {

    static final String IDLE = "idle";

    boolean ended() {
        return status.equals(IDLE);
    }

    /** The event's data: a JSON object with at least {@code memdev} and {@code status}. */
    static UploadEvent parse(String data) throws IOException {
        JsonNode o = DaemonClient.parse(data);
        if (!o.isObject() || !o.path("memdev").isTextual() || !o.path("status").isTextual()) {
            throw new IOException("the daemon sent an upload event without memdev and status: " + data);
        }
        return new UploadEvent(o.get("memdev").asText(), o.get("status").asText(), o.path("image_size").asLong(0),
                o.path("remaining_size").asLong(0), o.path("bytes_sent").asLong(0),
                o.path("error").isTextual() ? Optional.of(o.get("error").asText()) : Optional.empty());
    }
}
