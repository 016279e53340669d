package io.cxlkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.host.cci.CciAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A daemon's answer to {@code GET /v1/cci}: where each memdev answers on the CCI socket endpoint.
 * {@code cxlkit cci mem0 ...} finds its endpoint and EID here, and a {@code --connect/--eid} that
 * names one of the daemon's listeners is checked here before a frame goes to an EID nobody
 * answers (wire.md §1: the endpoint drops such a frame without a word).
 */
final class CciDirectory {

    /** One memdev: its EID and the listeners (URLs) that reach it, listener order. */
    record Entry(String memdev, int eid, List<String> listeners) {
    }

    private final List<Entry> entries;

    private CciDirectory(List<Entry> entries) {
        this.entries = entries;
    }

    static CciDirectory of(DaemonClient daemon) throws IOException, ApiError {
        JsonNode json = daemon.get("/v1/cci");
        List<Entry> entries = new ArrayList<>();
        for (JsonNode m : json.path("memdevs")) {
            List<String> listeners = new ArrayList<>();
            m.path("listeners").forEach(l -> listeners.add(l.asText()));
            if (!m.path("memdev").isTextual() || !m.path("eid").canConvertToInt()) {
                throw new IOException("the daemon sent an unexpected CCI directory entry: " + m);
            }
            entries.add(new Entry(m.get("memdev").asText(), m.get("eid").asInt(), listeners));
        }
        return new CciDirectory(entries);
    }

    /** The memdev {@code name} ({@code memN} or {@code N}, read as every MEMDEV word is; one memdev, so not {@code all}). */
    Optional<Entry> memdev(String name) {
        return name.equals("all") ? Optional.empty()
                : entries.stream().filter(e -> MemdevSelector.matches(name, e.memdev())).findFirst();
    }

    /** Where to reach {@code e}: its first TCP listener, else its first listener. */
    static CciAddress address(Entry e) {
        String url = e.listeners().stream().filter(l -> l.startsWith("tcp://")).findFirst()
                .orElse(e.listeners().isEmpty() ? null : e.listeners().get(0));
        if (url == null) {
            throw new Failure(e.memdev() + " has no CCI listener");
        }
        return CciAddress.parse(url);
    }

    /**
     * Why nothing will answer {@code eid} at {@code address}, when {@code address} is one of this
     * daemon's listeners and no memdev has that EID there; empty otherwise (another endpoint, or a
     * device that is there).
     */
    Optional<String> noDeviceAt(CciAddress address, int eid) {
        TreeSet<Integer> eids = new TreeSet<>();
        boolean ours = false;
        for (Entry e : entries) {
            for (String l : e.listeners()) {
                if (CciAddress.parse(l).text().equals(address.text())) {
                    ours = true;
                    eids.add(e.eid());
                }
            }
        }
        if (!ours || eids.contains(eid)) {
            return Optional.empty();
        }
        return Optional.of("no device at EID " + eid + " on " + address + "; the daemon serves "
                + (eids.isEmpty() ? "none" : "EIDs " + eids.first() + ".." + eids.last()) + " there");
    }
}
