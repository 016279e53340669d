package io.cxlkit.server.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request's body as its framing delimits it (RFC 9112 §6-§7): nothing, exactly Content-Length
 * bytes, or chunks up to the last one (trailer fields are read and dropped). Reading past the end
 * answers -1 and never touches the next request's bytes.
 */
abstract class RequestBody extends InputStream {

    /** Longest chunk-size line (with extensions) a client may send. */
    private static final int MAX_CHUNK_LINE = 1024;

    final ConnectionInput in;
    long received;

    RequestBody(ConnectionInput in) {
        this.in = in;
    }

    static RequestBody none(ConnectionInput in) {
        return new Fixed(in, 0);
    }

    static RequestBody ofLength(ConnectionInput in, long length) {
        return new Fixed(in, length);
    }

    static RequestBody chunked(ConnectionInput in) {
        return new Chunked(in);
    }

    /** Whether every byte of the body has been read (the connection is at the next request). */
    abstract boolean complete();

    /** What the framing says of the size, for messages: "N bytes" or "chunked". */
    abstract String expected();

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    private static final class Fixed extends RequestBody {
        private final long length;

        Fixed(ConnectionInput in, long length) {
            super(in);
            this.length = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (received >= length) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, length - received));
            if (n < 0) {
                throw new EOFException("the client closed the connection after " + received + " of " + length
                        + " body bytes");
            }
            received += n;
            return n;
        }

        @Override
        boolean complete() {
            return received >= length;
        }

        @Override
        String expected() {
            return length + " bytes";
        }
    }

    private static final class Chunked extends RequestBody {
        /** Bytes left in the current chunk; 0 between chunks; -1 after the last one. */
        private long left;

        Chunked(ConnectionInput in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left < 0) {
                return -1;
            }
            if (left == 0) {
                left = nextChunkSize();
                if (left == 0) {
                    skipTrailer();
                    left = -1;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the client closed the connection inside a chunk");
            }
            left -= n;
            received += n;
            if (left == 0) {
                expectCrlf();
            }
            return n;
        }

        private long nextChunkSize() throws IOException {
            String line = line();
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).strip();
            if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IOException("malformed chunk size '" + hex + "'");
            }
            return Long.parseLong(hex, 16);
        }

        private void expectCrlf() throws IOException {
            if (!line().isEmpty()) {
                throw new IOException("a chunk is longer than its size");
            }
        }

        private void skipTrailer() throws IOException {
            for (int fields = 0; !line().isEmpty(); fields++) {
                if (fields > HttpLimits.MAX_HEADERS) {
                    throw new IOException("too many trailer fields");
                }
            }
        }

        /** One line, CRLF (or LF) not included. */
        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("the client closed the connection inside the chunked body");
                }
                if (c == '\n') {
                    int n = s.length();
                    return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
                }
                if (s.length() >= MAX_CHUNK_LINE) {
                    throw new IOException("a chunk line above " + MAX_CHUNK_LINE + " bytes");
                }
                s.append((char) c);
            }
        }

        @Override
        boolean complete() {
            return left < 0;
        }

        @Override
        String expected() {
            return "a chunked body";
        }
    }
}
