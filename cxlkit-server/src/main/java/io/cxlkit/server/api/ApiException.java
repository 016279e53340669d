package io.cxlkit.server.api;

/** A request the API refuses: the HTTP status, a machine-readable error and one clear line. */
public final class ApiException extends Exception {

    private final int status;
    private final String error;
    private final String extraJson;

    public ApiException(int status, String error, String message) {
        this(status, error, message, "");
    }

    /** {@code extraJson}: further members, already encoded, e.g. {@code "return_code":"000Bh"}. */
    public ApiException(int status, String error, String message, String extraJson) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.extraJson = extraJson;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String extraJson() {
        return extraJson;
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not-found", what);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad-request", message);
    }

    public static ApiException conflict(String error, String message) {
        return new ApiException(409, error, message);
    }
}
