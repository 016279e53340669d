package io.cxlkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one line serve prints for each way a bind fails: the address, the listener, the reason, the way out. */
class ListenExceptionTest {

    private static String tcp(ListenException.Listener l, String host, int port, Exception cause) {
        return ListenException.of(l, new InetSocketAddress(host, port), cause).getMessage();
    }

    @Test
    void inUse() {
        assertThat(tcp(ListenException.Listener.CCI, "127.0.0.1", 2300, new BindException("Address already in use")))
                .isEqualTo("cannot listen on 127.0.0.1:2300 (CCI): address in use - is another daemon running? use "
                        + "--cci-listen 127.0.0.1:0 for a free port");
        assertThat(tcp(ListenException.Listener.CONTROL_API, "::1", 8080, new BindException("Address already in use")))
                .isEqualTo("cannot listen on [0:0:0:0:0:0:0:1]:8080 (control API): address in use - is another daemon"
                        + " running? use --http-listen [0:0:0:0:0:0:0:1]:0 for a free port");
    }

    @Test
    void permissionDenied() {
        assertThat(tcp(ListenException.Listener.CCI, "0.0.0.0", 80, new BindException("Permission denied")))
                .isEqualTo("cannot listen on 0.0.0.0:80 (CCI): permission denied - ports below 1024 need privileges;"
                        + " use --cci-listen 0.0.0.0:0 for a free port");
    }

    @Test
    void notAnAddressOfThisHost() {
        assertThat(tcp(ListenException.Listener.CCI, "192.0.2.1", 2300,
                new BindException("Cannot assign requested address")))
                .isEqualTo("cannot listen on 192.0.2.1:2300 (CCI): not an address of this host - use one of its own,"
                        + " e.g. --cci-listen 127.0.0.1:2300");
    }

    @Test
    void unknownHost() {
        InetSocketAddress a = InetSocketAddress.createUnresolved("nosuchhost.invalid", 2300);
        assertThat(ListenException.of(ListenException.Listener.CONTROL_API, a, new UnresolvedAddressException())
                .getMessage()).isEqualTo("cannot listen on nosuchhost.invalid:2300 (control API): unknown host "
                + "nosuchhost.invalid - use an address of this host, e.g. --http-listen 127.0.0.1:2300");
    }

    @Test
    void unixSocketPaths(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("plain"));
        assertThat(ListenException.of(ListenException.Listener.CCI_UNIX, UnixDomainSocketAddress.of(file),
                new BindException("Address already in use")).getMessage())
                .isEqualTo("cannot listen on " + file + " (CCI): " + file + " exists and is not a socket - remove it,"
                        + " or use another --cci-unix path");
        Path missing = dir.resolve("no/such/dir/cci.sock");
        assertThat(ListenException.of(ListenException.Listener.CCI_UNIX, UnixDomainSocketAddress.of(missing),
                new java.net.SocketException("No such file or directory")).getMessage())
                .isEqualTo("cannot listen on " + missing + " (CCI): no such directory " + missing.getParent()
                        + " - create it, or use another --cci-unix path");
    }

    @Test
    void anythingElseIsTheSystemsWordsOnOneLine() {
        assertThat(tcp(ListenException.Listener.CCI, "127.0.0.1", 1, new BindException("Something\nodd")))
                .isEqualTo("cannot listen on 127.0.0.1:1 (CCI): Something odd");
    }
}
