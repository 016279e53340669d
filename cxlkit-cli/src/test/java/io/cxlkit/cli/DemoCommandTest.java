package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxlkit demo}: the whole story on an embedded platform (realistic timing, a few seconds),
 * printed as four headed steps, in a temporary directory that is gone afterwards.
 */
class DemoCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The text after each "== " heading line, up to the next one. */
    private static List<String[]> sections(String out) {
        List<String[]> s = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^== (.*)$").matcher(out);
        List<int[]> at = new ArrayList<>();
        List<String> headings = new ArrayList<>();
        while (m.find()) {
            at.add(new int[] {m.start(), m.end()});
            headings.add(m.group(1));
        }
        for (int i = 0; i < at.size(); i++) {
            int end = i + 1 < at.size() ? at.get(i + 1)[0] : out.length();
            s.add(new String[] {headings.get(i), out.substring(at.get(i)[1], end).strip()});
        }
        return s;
    }

    private static JsonNode firmwareOf(String json) throws Exception {
        JsonNode array = JSON.readTree(json);
        assertThat(array.isArray()).as(json).isTrue();
        assertThat(array).hasSize(1);
        assertThat(array.get(0).get("memdev").asText()).isEqualTo("mem0");
        return array.get(0).get("firmware");
    }

    @Test
    void tellsTheWholeStoryAndCleansUp() throws Exception {
        Cli.Run r = Cli.run("demo", "--tmp", tmp.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.errLines()).containsExactly(
                "cxlkit: update-firmware: firmware update started on 1 mem device",
                "cxlkit: update-firmware: firmware update completed on 1 mem device");

        List<String[]> s = sections(r.out());
        assertThat(s).hasSize(5);
        assertThat(s.get(0)[0]).startsWith("cxlkit demo: ").contains(tmp.toString());
        assertThat(s.get(0)[1]).isEmpty();
        assertThat(s.get(1)[0]).startsWith("1. ").contains("cxlkit list -F");
        assertThat(s.get(2)[0]).startsWith("2. ").contains("cxlkit update-firmware mem0 -F fw.img");
        assertThat(s.get(3)[0]).startsWith("3. ").contains("cxlkit update-firmware mem0 -w");
        assertThat(s.get(4)[0]).startsWith("4. ").contains("cxlkit reset mem0");

        // 1. before: the factory firmware in slot 1, nothing in slot 2
        assertThat(s.get(1)[1] + "\n").isEqualTo(Expected.FACTORY_LIST_F);

        // 2. the object at acceptance: in progress, the whole package remaining
        JsonNode started = firmwareOf(s.get(2)[1]);
        assertThat(started.get("fw_update_in_progress").asBoolean()).isTrue();
        assertThat(started.get("remaining_size").asLong()).isEqualTo((4L << 20) + 128); // header + 4 MiB body
        assertThat(started.has("fw_update_status")).as("ndctl's keys only").isFalse();
        assertThat(started.has("slot_2_version")).isFalse();

        // 3. after completion: staged in slot 2
        JsonNode done = firmwareOf(s.get(3)[1]);
        assertThat(done.get("fw_update_in_progress").asBoolean()).isFalse();
        assertThat(done.has("remaining_size")).isFalse();
        assertThat(done.get("active_slot").asInt()).isEqualTo(1);
        assertThat(done.get("staged_slot").asInt()).isEqualTo(2);
        assertThat(done.get("slot_2_version").asText()).isEqualTo("BWFW VERSION 1");

        // 4. after the cold reset: slot 2 is active
        JsonNode all = JSON.readTree(s.get(4)[1]).get(0);
        assertThat(all.get("firmware_version").asText()).isEqualTo("BWFW VERSION 1");
        JsonNode reset = all.get("firmware");
        assertThat(reset.get("active_slot").asInt()).isEqualTo(2);
        assertThat(reset.has("staged_slot")).isFalse();
        assertThat(reset.get("slot_1_version").asText()).isEqualTo("BWFW VERSION 0");
        assertThat(reset.get("slot_2_version").asText()).isEqualTo("BWFW VERSION 1");

        // its temporary directory is gone
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).isEmpty();
        }
    }

    @Test
    void aMissingTmpParentIsOneLineAndExit1() {
        Path missing = tmp.resolve("nope");
        Cli.Run r = Cli.run("demo", "--tmp", missing.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("cxlkit: demo: ").contains(missing.toString());
        assertThat(missing).doesNotExist();
    }
}
