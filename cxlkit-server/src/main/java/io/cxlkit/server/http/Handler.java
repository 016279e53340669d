package io.cxlkit.server.http;

import java.io.IOException;

/** What answers the requests of an {@link HttpServer}, on one of its handler threads. */
@FunctionalInterface
public interface Handler {

    /**
     * Answers one request: sends the response head, writes and closes the body. Reading the request
     * body may fail with an {@link IOException} when the client stalls or goes away; the server
     * then closes the connection.
     */
    void handle(Exchange exchange) throws IOException;
}
