package io.cxlkit.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ThrottledWarningTest {

    @Test
    void aFloodIsOneLineASecondAndTheNextLineCountsWhatWasLeftOut() {
        Logger log = Logger.getLogger("io.cxlkit.test.throttled." + System.nanoTime());
        log.setUseParentHandlers(false);
        List<String> lines = new CopyOnWriteArrayList<>();
        log.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        long[] now = {0};
        ThrottledWarning w = new ThrottledWarning(log, 1_000_000_000L, () -> now[0]);

        w.warning("refused 1");
        for (int i = 2; i <= 500; i++) {
            now[0] += 1_000_000L; // a refusal every millisecond for half a second
            w.warning("refused " + i);
        }
        assertThat(lines).containsExactly("refused 1");

        now[0] = 1_000_000_000L;
        w.warning("refused 501");
        now[0] = 3_000_000_000L;
        w.warning("refused 502");

        assertThat(lines).containsExactly("refused 1",
                "refused 501 (and 499 more like it since the last such line)", "refused 502");
    }
}
