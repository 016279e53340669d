package io.cxlkit.server.http;

/** A request the HTTP layer refuses before any handler sees it: the status and one line saying why. */
final class BadRequestException extends Exception {

    private final int status;

    BadRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
