package io.cxlkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A refusal from the control API (wire.md §3): the HTTP status and the error JSON
 * {@code {"error","message"}} (+ {@code return_code}, {@code return_code_name} for a device error).
 */
public final class ApiError extends Exception {

    private final int status;
    private final String error;
    private final JsonNode body;

    public ApiError(int status, String error, String message, JsonNode body) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** The machine-readable error, e.g. {@code not-found}, {@code device-error}. */
    public String error() {
        return error;
    }

    /** The whole error object as received (empty object when the body was not JSON). */
    public JsonNode body() {
        return body;
    }

    /** {@code return_code} of a device error (422), e.g. {@code 000Bh}. */
    public Optional<String> returnCode() {
        return body.hasNonNull("return_code") ? Optional.of(body.get("return_code").asText()) : Optional.empty();
    }

    /**
     * The message for one memdev's failure line: the daemon's message without a leading
     * {@code <memdev>: } (the caller adds it itself).
     */
    public String messageFor(String memdev) {
        String m = getMessage();
        return m.startsWith(memdev + ": ") ? m.substring(memdev.length() + 2) : m;
    }
}
