package io.cxlkit.host.cci;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where a CCI socket endpoint listens: {@code tcp:HOST:PORT}, {@code tcp://HOST:PORT} or
 * {@code unix:PATH} (wire.md §2). IPv6 hosts go in brackets: {@code tcp:[::1]:2300}.
 */
public record CciAddress(String text, SocketAddress socketAddress) {

    public static CciAddress parse(String text) {
        if (text.startsWith("unix:")) {
            String path = text.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("unix: needs a socket path");
            }
            return new CciAddress("unix:" + path, UnixDomainSocketAddress.of(Path.of(path)));
        }
        String hostPort;
        if (text.startsWith("tcp://")) {
            hostPort = text.substring("tcp://".length());
        } else if (text.startsWith("tcp:")) {
            hostPort = text.substring("tcp:".length());
        } else {
            throw new IllegalArgumentException("'" + text + "' is not tcp:HOST:PORT, tcp://HOST:PORT or unix:PATH");
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1 || hostPort.endsWith("]")) {
            throw new IllegalArgumentException("'" + text + "' needs HOST:PORT");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") || host.endsWith("]")) {
            if (!host.startsWith("[") || !host.endsWith("]") || host.length() == 2) {
                throw new IllegalArgumentException("'" + text + "' has a malformed [IPv6] host");
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': put an IPv6 host in brackets, e.g. tcp:[::1]:2300");
        }
        String portText = hostPort.substring(colon + 1);
        int port;
        try {
            if (!portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException(portText); // no sign, no spaces, ASCII digits only
            }
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has a bad port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port must be 1..65535");
        }
        return new CciAddress("tcp://" + hostPort, InetSocketAddress.createUnresolved(host, port));
    }

    @Override
    public String toString() {
        return text;
    }
}
