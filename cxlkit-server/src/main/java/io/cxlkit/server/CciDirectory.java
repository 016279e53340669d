package io.cxlkit.server;

import io.cxlkit.host.json.JsonC;
import io.cxlkit.server.endpoint.CciEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each memdev answers on the CCI socket endpoint: its EID and the listeners that reach it
 * ({@code GET /v1/cci}). Built once at start from the listeners as the daemon assigned devices to
 * them, so a client such as {@code cxlkit cci mem0} never recomputes that assignment.
 */
final class CciDirectory {

    /** A memdev's place on the endpoint: its EID on each of {@code listeners} (URLs, listener order). */
    record Entry(String memdev, int eid, List<String> listeners) {
    }

    private final List<String> listeners;
    private final List<Entry> entries;

    private CciDirectory(List<String> listeners, List<Entry> entries) {
        this.listeners = List.copyOf(listeners);
        this.entries = List.copyOf(entries);
    }

    /**
     * The directory of {@code memdevs} served by listeners with URLs {@code urls}, listener k
     * serving block {@code k % blocks} of {@value CciEndpoint#MAX_DEVICES} devices, as
     * {@link Daemon#start} hands them out.
     */
    static CciDirectory of(List<Memdev> memdevs, List<String> urls, int blocks) {
        Map<String, List<String>> reach = new LinkedHashMap<>();
        memdevs.forEach(m -> reach.put(m.name(), new ArrayList<>()));
        for (int k = 0; k < urls.size(); k++) {
            for (Memdev m : CciEndpoint.slice(memdevs, k % blocks)) {
                reach.get(m.name()).add(urls.get(k));
            }
        }
        List<Entry> entries = memdevs.stream().map(m -> new Entry(m.name(), m.eid(), reach.get(m.name()))).toList();
        return new CciDirectory(urls, entries);
    }

    Optional<Entry> entry(String memdev) {
        return entries.stream().filter(e -> e.memdev().equals(memdev)).findFirst();
    }

    /** {@code {"listeners":[...],"memdevs":[{"memdev","eid","listeners"}...]}}, pretty. */
    String json() {
        List<JsonC.Value> list = new ArrayList<>();
        for (Entry e : entries) {
            list.add(JsonC.object().put("memdev", e.memdev()).put("eid", e.eid())
                    .put("listeners", JsonC.strings(e.listeners())).build());
        }
        return JsonC.document(JsonC.object().put("listeners", JsonC.strings(listeners))
                .put("memdevs", JsonC.array(list)).build());
    }
}
