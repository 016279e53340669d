package io.cxlkit.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds a slow or careless client meets on the control API, so that none can hold a thread
 * another request needs:
 *
 * @param headerTimeout    a request's line and headers must arrive within this, from the
 *                         connection's accept or from the request's first byte
 * @param bodyIdleTimeout  a request body may pause at most this long between two bytes
 * @param keepAliveTimeout a connection between two requests is closed after this long
 * @param maxConnections   connections open at once; at the bound the one idle longest (between
 *                         requests or still sending its headers) makes room, else the newcomer is refused
 */
public record HttpLimits(Duration headerTimeout, Duration bodyIdleTimeout, Duration keepAliveTimeout,
                         int maxConnections) {

    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_IDLE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    /** Request line and headers together: larger heads are refused with 431. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Header fields in one request: more are refused with 431. */
    public static final int MAX_HEADERS = 100;

    public HttpLimits {
        requirePositive(headerTimeout, "header timeout");
        requirePositive(bodyIdleTimeout, "body timeout");
        requirePositive(keepAliveTimeout, "keep-alive timeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("the connection limit must be at least 1, not " + maxConnections);
        }
    }

    public static HttpLimits defaults() {
        return new HttpLimits(DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_IDLE_TIMEOUT, DEFAULT_KEEP_ALIVE_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS);
    }

    public HttpLimits withHeaderTimeout(Duration d) {
        return new HttpLimits(d, bodyIdleTimeout, keepAliveTimeout, maxConnections);
    }

    public HttpLimits withBodyIdleTimeout(Duration d) {
        return new HttpLimits(headerTimeout, d, keepAliveTimeout, maxConnections);
    }

    public HttpLimits withMaxConnections(int n) {
        return new HttpLimits(headerTimeout, bodyIdleTimeout, keepAliveTimeout, n);
    }

    /** The longest bound accepted: longer ones would only hide a stuck client (and overflow nanosecond sums). */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the " + what + " must be more than 0 and at most a day, not " + d);
        }
    }
}
