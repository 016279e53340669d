package io.cxlkit.cli.serve;

import io.cxlkit.server.PlatformConfig;
import io.cxlkit.server.http.HttpLimits;
import java.time.Duration;
import java.util.Optional;

/**
 * The bounds on clients as flags or a config file's {@code limits} mapping give them; an empty
 * value was not given. Flags win over the file; what neither gives takes its default.
 */
record LimitSettings(Optional<Integer> maxConnections, Optional<Duration> cciStallTimeout,
                     Optional<Duration> httpHeaderTimeout, Optional<Duration> httpBodyTimeout,
                     Optional<Integer> httpMaxConnections) {

    static final LimitSettings NONE = new LimitSettings(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    /** These settings, with every value {@code over} gives replacing this one's. */
    LimitSettings overriddenBy(LimitSettings over) {
        return new LimitSettings(over.maxConnections.or(() -> maxConnections),
                over.cciStallTimeout.or(() -> cciStallTimeout), over.httpHeaderTimeout.or(() -> httpHeaderTimeout),
                over.httpBodyTimeout.or(() -> httpBodyTimeout), over.httpMaxConnections.or(() -> httpMaxConnections));
    }

    int resolvedMaxConnections() {
        return atLeastOne(maxConnections.orElse(PlatformConfig.DEFAULT_MAX_CONNECTIONS), "--max-connections");
    }

    Duration resolvedCciStallTimeout() {
        return positive(cciStallTimeout.orElse(PlatformConfig.DEFAULT_CCI_STALL_TIMEOUT), "--cci-stall-timeout");
    }

    HttpLimits resolvedHttpLimits() {
        return new HttpLimits(positive(httpHeaderTimeout.orElse(HttpLimits.DEFAULT_HEADER_TIMEOUT), "--http-header-timeout"),
                positive(httpBodyTimeout.orElse(HttpLimits.DEFAULT_BODY_IDLE_TIMEOUT), "--http-body-timeout"),
                HttpLimits.DEFAULT_KEEP_ALIVE_TIMEOUT,
                atLeastOne(httpMaxConnections.orElse(HttpLimits.DEFAULT_MAX_CONNECTIONS), "--http-max-connections"));
    }

    private static int atLeastOne(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, not " + n);
        }
        return n;
    }

    private static Duration positive(Duration d, String what) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be more than 0, not " + d.toMillis() + "ms");
        }
        if (d.compareTo(HttpLimits.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(what + " must be at most 1440m (a day), not " + d.toMinutes() + "m");
        }
        return d;
    }
}
