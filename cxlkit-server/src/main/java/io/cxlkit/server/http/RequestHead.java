package io.cxlkit.server.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request's line and header fields (RFC 9112 §2-§5), parsed from bytes as they arrive. Only what
 * the control API needs is accepted: HTTP/1.0 and 1.1, origin-form or absolute-form targets,
 * Content-Length or chunked bodies; anything else is refused with its status before a handler runs.
 */
public record RequestHead(String method, URI uri, String version, Headers headers) {

    /** How the request's body is framed. */
    enum Framing { NONE, LENGTH, CHUNKED }

    /**
     * Parses a complete head from the unread bytes of {@code c}'s buffer (position to limit) and moves
     * the position past it; null when the blank line has not arrived yet (empty lines before the
     * request line are consumed). The search for the blank line goes on where the last one stopped,
     * so a head that arrives a byte at a time costs linear work, not quadratic.
     *
     * @throws BadRequestException for a malformed head or an HTTP version other than 1.0/1.1 (400), one
     *                             above {@link HttpLimits#MAX_HEAD_BYTES} or {@link HttpLimits#MAX_HEADERS} (431)
     */
    static RequestHead parse(HttpConnection c) throws BadRequestException {
        ByteBuffer buf = c.buf;
        int limit = buf.limit();
        if (c.scanned == 0) {
            // empty lines before a request line are ignored (RFC 9112 §2.2)
            while (buf.position() < limit && (buf.get(buf.position()) == '\r' || buf.get(buf.position()) == '\n')) {
                buf.position(buf.position() + 1);
            }
        }
        int start = buf.position();
        int end = endOfHead(buf, start + Math.max(0, c.scanned - 3), limit);
        if (end < 0) {
            c.scanned = limit - start;
            if (limit - start >= HttpLimits.MAX_HEAD_BYTES) {
                throw new BadRequestException(431, "request line and headers above "
                        + (HttpLimits.MAX_HEAD_BYTES >> 10) + " KiB");
            }
            return null;
        }
        c.scanned = 0;
        return parse(buf, start, end);
    }

    /** Just past the blank line that ends the head (CRLF CRLF, or LF LF), or -1. */
    private static int endOfHead(ByteBuffer buf, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (buf.get(i) != '\n') {
                continue;
            }
            if (i + 1 < limit && buf.get(i + 1) == '\n') {
                return i + 2;
            }
            if (i + 2 < limit && buf.get(i + 1) == '\r' && buf.get(i + 2) == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** The head in {@code buf[start, end)}, whose last line is the blank one; the position moves to end. */
    private static RequestHead parse(ByteBuffer buf, int start, int headEnd) throws BadRequestException {
        List<String> lines = new ArrayList<>();
        int lineStart = start;
        for (int i = start; i < headEnd; i++) {
            if (buf.get(i) != '\n') {
                continue;
            }
            int end = i > lineStart && buf.get(i - 1) == '\r' ? i - 1 : i;
            if (end == lineStart) {
                buf.position(i + 1);
                return of(lines);
            }
            if (lines.size() > HttpLimits.MAX_HEADERS) {
                throw new BadRequestException(431, "more than " + HttpLimits.MAX_HEADERS + " header fields");
            }
            lines.add(line(buf, lineStart, end));
            lineStart = i + 1;
        }
        throw new IllegalStateException("a head without its blank line");
    }

    private static String line(ByteBuffer buf, int from, int to) throws BadRequestException {
        byte[] b = new byte[to - from];
        for (int i = 0; i < b.length; i++) {
            b[i] = buf.get(from + i);
            if (b[i] == 0 || b[i] == '\r') {
                throw new BadRequestException(400, "a control character in the request head");
            }
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static RequestHead of(List<String> lines) throws BadRequestException {
        String[] parts = lines.get(0).split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
            throw new BadRequestException(400, "malformed request line");
        }
        String version = parts[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            // 400, not 505: whatever the client sent wrong is a 4xx of the control API
            throw new BadRequestException(400, version.startsWith("HTTP/") ? "HTTP version " + version
                    + " is not supported (HTTP/1.1 is)" : "malformed request line");
        }
        Headers headers = new Headers();
        for (String line : lines.subList(1, lines.size())) {
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new BadRequestException(400, "folded header lines are not allowed");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new BadRequestException(400, "malformed header field");
            }
            headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return new RequestHead(parts[0], target(parts[1]), version, headers);
    }

    /** Origin-form ({@code /path?query}) or absolute-form ({@code http://host/path}). */
    private static URI target(String t) throws BadRequestException {
        try {
            URI uri = new URI(t);
            if ((t.startsWith("/") && uri.getRawAuthority() == null) || (uri.isAbsolute() && !uri.isOpaque()
                    && uri.getRawPath() != null && uri.getRawPath().startsWith("/"))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new BadRequestException(400, "malformed request target");
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** How the body is framed, and (for {@link Framing#LENGTH}) its length through {@link #contentLength()}. */
    Framing framing() throws BadRequestException {
        List<String> te = headers.all("Transfer-Encoding");
        if (!te.isEmpty()) {
            if (headers.contains("Content-Length")) {
                throw new BadRequestException(400, "both Transfer-Encoding and Content-Length");
            }
            String codings = String.join(",", te).toLowerCase(Locale.ROOT).replace(" ", "");
            if (!codings.equals("chunked")) {
                throw new BadRequestException(400, "transfer coding '" + String.join(", ", te)
                        + "' is not supported (chunked is)");
            }
            return Framing.CHUNKED;
        }
        return headers.contains("Content-Length") ? Framing.LENGTH : Framing.NONE;
    }

    /** The Content-Length, -1 when there is none. */
    long contentLength() throws BadRequestException {
        List<String> values = headers.all("Content-Length");
        if (values.isEmpty()) {
            return -1;
        }
        long length = -1;
        for (String v : values) {
            for (String part : v.split(",", -1)) {
                String digits = part.strip();
                if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new BadRequestException(400, "bad Content-Length");
                }
                long n = Long.parseLong(digits);
                if (length >= 0 && n != length) {
                    throw new BadRequestException(400, "conflicting Content-Length values");
                }
                length = n;
            }
        }
        return length;
    }

    /** Whether the client asked to wait for {@code 100 Continue} before it sends the body. */
    boolean expectsContinue() {
        String expect = headers.getFirst("Expect");
        return expect != null && "100-continue".equalsIgnoreCase(expect.strip());
    }

    /** Whether the connection may carry another request after this one (as far as the client is concerned). */
    boolean keepAlive() {
        String connection = String.join(",", headers.all("Connection")).toLowerCase(Locale.ROOT);
        return version.equals("HTTP/1.1") && !connection.contains("close");
    }
}
