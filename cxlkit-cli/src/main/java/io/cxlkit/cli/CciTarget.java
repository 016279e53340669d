package io.cxlkit.cli;

import io.cxlkit.host.cci.CciAddress;
import picocli.CommandLine.Option;

/**
 * {@code --connect ADDR --eid N}: where {@code cxlkit cci} sends its command. Mixed into
 * {@code cci} and each of its subcommands, so they may come before or after the subcommand name.
 */
public final class CciTarget {

    @Option(names = "--connect", paramLabel = "ADDR",
            description = "the CCI socket endpoint: tcp:HOST:PORT, tcp://HOST:PORT or unix:PATH")
    String connect;

    @Option(names = "--eid", paramLabel = "N", description = "the device's MCTP endpoint ID (mem0 is 8)")
    Integer eid;

    /** This one's values where given, else {@code outer}'s. */
    CciTarget or(CciTarget outer) {
        CciTarget t = new CciTarget();
        t.connect = connect != null ? connect : outer == null ? null : outer.connect;
        t.eid = eid != null ? eid : outer == null ? null : outer.eid;
        return t;
    }

    /** @throws IllegalArgumentException (a usage error) when missing or malformed */
    CciAddress address() {
        if (connect == null) {
            throw new IllegalArgumentException("--connect ADDR is required");
        }
        return CciAddress.parse(connect);
    }

    /** @throws IllegalArgumentException (a usage error) when missing or not 0..255 */
    int eid() {
        if (eid == null) {
            throw new IllegalArgumentException("--eid N is required");
        }
        if (eid < 0 || eid > 255) {
            throw new IllegalArgumentException("--eid must be 0..255, not " + eid);
        }
        return eid;
    }
}
