package io.cxlkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /v1/cci's directory: each memdev's EID and the listeners that reach it, as Daemon hands them out. */
class CciDirectoryTest {

    /** {@code n} memdevs with the EIDs the platform gives them (8 + i mod 247); no device needed here. */
    private static List<Memdev> memdevs(int n) {
        List<Memdev> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Memdev("mem" + i, null, null, 8 + i % 247));
        }
        return out;
    }

    @Test
    void oneListenerReachesEveryMemdev() throws Exception {
        CciDirectory d = CciDirectory.of(memdevs(2), List.of("tcp://127.0.0.1:2300"), 1);
        assertThat(d.json()).isEqualTo("""
                {
                  "listeners":[
                    "tcp:\\/\\/127.0.0.1:2300"
                  ],
                  "memdevs":[
                    {
                      "memdev":"mem0",
                      "eid":8,
                      "listeners":[
                        "tcp:\\/\\/127.0.0.1:2300"
                      ]
                    },
                    {
                      "memdev":"mem1",
                      "eid":9,
                      "listeners":[
                        "tcp:\\/\\/127.0.0.1:2300"
                      ]
                    }
                  ]
                }
                """);
    }

    @Test
    void blocksOf247GoToTheirOwnListenerAndTheUnixSocketServesTheFirstBlockAgain() throws Exception {
        CciDirectory d = CciDirectory.of(memdevs(250), List.of("tcp://h:1", "tcp://h:2", "unix:/s"), 2);
        assertThat(d.entry("mem0").orElseThrow()).isEqualTo(new CciDirectory.Entry("mem0", 8,
                List.of("tcp://h:1", "unix:/s")));
        assertThat(d.entry("mem246").orElseThrow().listeners()).containsExactly("tcp://h:1", "unix:/s");
        assertThat(d.entry("mem247").orElseThrow()).isEqualTo(new CciDirectory.Entry("mem247", 8,
                List.of("tcp://h:2")));
        assertThat(d.entry("mem9")).isPresent();
        assertThat(d.entry("mem250")).isEmpty();
        JsonNode json = new ObjectMapper().readTree(d.json());
        assertThat(json.get("memdevs")).hasSize(250);
        assertThat(json.get("listeners")).hasSize(3);
    }
}
