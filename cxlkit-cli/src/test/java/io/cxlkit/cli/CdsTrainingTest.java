package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The archive's training run: every step against the stand-in daemon ends as it should. */
class CdsTrainingTest {

    @Test
    void everyStepEndsAsExpected() throws Exception {
        StringWriter out = new StringWriter();
        assertThat(CdsTraining.run(new PrintWriter(out))).isEmpty();
        assertThat(out.toString()).contains("\"memdev\":\"mem0\"", "\"firmware\":{", "Unknown option");
    }

    @Test
    void theStandInsMemdevParses() throws Exception {
        assertThat(MemdevParsing.memdev(JsonTree.read(HeadStart.MEMDEV)).name()).isEqualTo("mem0");
    }
}
