package io.cxlkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The daemon's log lines: one line per record, stack traces only at debug level, never the JVM's own. */
class LogsTest {

    @Test
    void aRecordWithAnExceptionIsOneLineUnlessAtDebugLevel() {
        LogRecord r = new LogRecord(Level.WARNING, "mem0: firmware upload failed");
        r.setThrown(new IllegalStateException("boom"));

        String info = new Logs.OneLine(false).format(r);
        String debug = new Logs.OneLine(true).format(r);

        assertThat(info).endsWith(" warn mem0: firmware upload failed: java.lang.IllegalStateException: boom\n");
        assertThat(info.lines()).hasSize(1);
        assertThat(debug.lines().skip(1)).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("    at "));
    }

    @Test
    void anExceptionEscapingAThreadIsReportedThroughTheLogNotPrintedByTheJvm() throws Exception {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Logger log = Logger.getLogger("io.cxlkit");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().endsWith("cxlkit-test-thread")) { // not another test's daemon threads
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            Logs.reportUncaughtExceptions();
            Thread t = new Thread(() -> {
                throw new IllegalStateException("escaped");
            }, "cxlkit-test-thread");
            t.start();
            t.join(10_000);

            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(r.getMessage()).isEqualTo("unexpected failure in thread cxlkit-test-thread");
                assertThat(r.getThrown()).hasMessage("escaped");
            });
        } finally {
            log.removeHandler(capture);
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }
}
