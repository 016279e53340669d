package io.cxlkit.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A listener of the daemon could not be bound. Its message is the one line {@code serve} prints, naming the
 * address, the listener, the reason and the way out, e.g.
 * {@code cannot listen on 127.0.0.1:2300 (CCI): address in use - is another daemon running? use --cci-listen
 * 127.0.0.1:0 for a free port}. The daemon binds every listener before it opens a device, so when this is
 * thrown nothing has been created.
 */
public final class ListenException extends IOException {

    /** Which listener: its name in the message and the option that sets it. */
    public enum Listener {
        CCI("CCI", "--cci-listen"),
        CCI_UNIX("CCI", "--cci-unix"),
        CONTROL_API("control API", "--http-listen");

        private final String label;
        private final String option;

        Listener(String label, String option) {
            this.label = label;
            this.option = option;
        }
    }

    private ListenException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The exception for a bind of {@code address} that failed with {@code cause} (a {@link java.net.BindException},
     * another {@link IOException}, or an {@link UnresolvedAddressException}).
     */
    public static ListenException of(Listener listener, SocketAddress address, Exception cause) {
        String where = describe(address);
        String reason;
        if (address instanceof UnixDomainSocketAddress unix) {
            reason = unixReason(unix.getPath(), cause);
        } else {
            reason = tcpReason(listener, (InetSocketAddress) address, cause);
        }
        return new ListenException("cannot listen on " + where + " (" + listener.label + "): " + reason, cause);
    }

    private static String tcpReason(Listener listener, InetSocketAddress address, Exception cause) {
        String host = hostOf(address);
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof UnresolvedAddressException || address.isUnresolved()) {
            return "unknown host " + address.getHostString() + " - use an address of this host, e.g. "
                    + listener.option + " 127.0.0.1:" + address.getPort();
        }
        if (message.contains("in use")) {
            return "address in use - is another daemon running? use " + listener.option + " " + host
                    + ":0 for a free port";
        }
        if (message.contains("ermission denied")) {
            return "permission denied - ports below 1024 need privileges; use " + listener.option + " " + host
                    + ":0 for a free port";
        }
        if (message.contains("assign requested address")) {
            return "not an address of this host - use one of its own, e.g. " + listener.option + " 127.0.0.1:"
                    + address.getPort();
        }
        return oneLine(message);
    }

    private static String unixReason(Path path, Exception cause) {
        String message = String.valueOf(cause.getMessage());
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return path + " exists and is not a socket - remove it, or use another --cci-unix path";
        }
        if (message.contains("in use")) {
            // a socket file nobody listens on (a crashed daemon's) is replaced: this one is live
            return "address in use - another process listens there (is another daemon running?); use another"
                    + " --cci-unix path";
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            return "no such directory " + parent + " - create it, or use another --cci-unix path";
        }
        if (message.contains("ermission denied")) {
            return "permission denied - use a --cci-unix path in a directory you can write";
        }
        return oneLine(message);
    }

    /** {@code HOST:PORT} (IPv6 in brackets) or a socket's path. */
    static String describe(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        return hostOf(inet) + ":" + inet.getPort();
    }

    private static String hostOf(InetSocketAddress address) {
        String host = address.getHostString();
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
