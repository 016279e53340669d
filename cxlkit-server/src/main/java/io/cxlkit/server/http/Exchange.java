package io.cxlkit.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Logger;

/**
 * One request and its response, as a handler sees them: the request's method, target, headers and
 * body; the response's status, headers and body. A handler sends the response head once
 * ({@link #sendResponseHeaders}), then writes the body and closes it.
 */
public final class Exchange {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpConnection connection;
    private final RequestHead head;
    private final RequestBody body;
    private final Headers responseHeaders = new Headers();
    private ResponseBody response;
    private boolean continueSent;

    Exchange(HttpConnection connection, RequestHead head, Duration bodyIdleTimeout, Logger log) throws IOException,
            BadRequestException {
        this.connection = connection;
        this.head = head;
        ConnectionInput in = new ConnectionInput(connection, (int) Math.min(Integer.MAX_VALUE,
                bodyIdleTimeout.toMillis()), this::sendContinue, () -> log.warning("control API: " + connection
                + " closed: its " + head.method() + " " + head.uri().getRawPath() + " request's body stalled for "
                + bodyIdleTimeout.toMillis() + " ms (" + body().received + " bytes of " + body().expected()
                + " came)"));
        this.body = switch (head.framing()) {
            case NONE -> RequestBody.none(in);
            case LENGTH -> RequestBody.ofLength(in, head.contentLength());
            case CHUNKED -> RequestBody.chunked(in);
        };
    }

    public String method() {
        return head.method();
    }

    public URI uri() {
        return head.uri();
    }

    public Headers requestHeaders() {
        return head.headers();
    }

    /** The request body (empty when there is none); reads wait at most the body's idle bound. */
    public InputStream requestBody() {
        return body;
    }

    public Headers responseHeaders() {
        return responseHeaders;
    }

    /**
     * Sends the status line and the headers.
     *
     * @param length the body's length: above 0 exactly that many bytes; 0 a body of unknown length
     *               (sent in chunks); -1 no body
     */
    public void sendResponseHeaders(int status, long length) throws IOException {
        if (response != null) {
            throw new IllegalStateException("the response head was sent already");
        }
        StringBuilder h = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                .append(Status.reason(status)).append("\r\n");
        responseHeaders.set("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        boolean http10 = head.version().equals("HTTP/1.0");
        long framing = length;
        if (length > 0) {
            responseHeaders.set("Content-Length", Long.toString(length));
        } else if (length == 0 && !http10) {
            responseHeaders.set("Transfer-Encoding", "chunked");
        } else if (length == 0) {
            framing = ResponseBody.UNTIL_CLOSE; // HTTP/1.0 knows no chunks: the close ends the body
        } else {
            responseHeaders.set("Content-Length", "0");
        }
        if (!head.keepAlive() || (head.expectsContinue() && !continueSent)) {
            // the client asked to close, or waits to send a body the server will not read: it closes
            responseHeaders.set("Connection", "close");
        }
        responseHeaders.appendTo(h);
        h.append("\r\n");
        response = new ResponseBody(connection, h.toString().getBytes(StandardCharsets.ISO_8859_1), framing,
                head.method().equals("HEAD"));
        if (length < 0) {
            response.flush();
        }
    }

    /** The response body; {@link #sendResponseHeaders} comes first. */
    public OutputStream responseBody() {
        if (response == null) {
            throw new IllegalStateException("send the response head first");
        }
        return response;
    }

    /** Whether the response head has gone out (an error can no longer be sent as a response of its own). */
    public boolean responseStarted() {
        return response != null;
    }

    /** Whether the connection closes after this response, by the client's wish or the server's. */
    boolean closesAfterResponse() {
        String connection = String.join(",", responseHeaders.all("Connection")).toLowerCase(java.util.Locale.ROOT);
        return connection.contains("close") || !head.keepAlive() || (head.expectsContinue() && !continueSent);
    }

    /**
     * After the handler: ends the response and reads what is left of the request body (at most
     * {@code maxDrain} bytes), so the connection stands at the next request. False when it cannot
     * carry another one.
     */
    boolean finish(long maxDrain) {
        try {
            response.close();
            if (connection.broken) {
                return false;
            }
            if (!body.complete()) {
                if (head.expectsContinue() && !continueSent) {
                    return false; // the client is waiting to send the body we do not want: close
                }
                byte[] sink = new byte[64 * 1024];
                long drained = 0;
                int n;
                while (drained <= maxDrain && (n = body.read(sink, 0, sink.length)) >= 0) {
                    drained += n;
                }
                if (!body.complete()) {
                    return false;
                }
            }
            return !closesAfterResponse() && !connection.broken;
        } catch (IOException e) {
            return false;
        }
    }

    private RequestBody body() {
        return body; // for the stall line, built before the field is set
    }

    private void sendContinue() {
        if (!head.expectsContinue() || continueSent || response != null) {
            return;
        }
        continueSent = true;
        try {
            connection.writingSince = System.nanoTime();
            ByteBuffer b = ByteBuffer.wrap(CONTINUE);
            while (b.hasRemaining()) {
                connection.channel.write(b);
            }
        } catch (IOException e) {
            connection.broken = true; // the read that follows fails too
        } finally {
            connection.writingSince = 0;
        }
    }
}
