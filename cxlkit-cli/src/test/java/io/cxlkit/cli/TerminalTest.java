package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class TerminalTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void absentPropertiesMeanNoTerminal() {
        assertThat(Terminal.from(new Properties())).isEqualTo(new Terminal(false, false));
    }

    @Test
    void readsEachStreamIndependently() {
        assertThat(Terminal.from(props("cxlkit.stdout.tty", "true", "cxlkit.stderr.tty", "false")))
                .isEqualTo(new Terminal(true, false));
        assertThat(Terminal.from(props("cxlkit.stdout.tty", "false", "cxlkit.stderr.tty", "true")))
                .isEqualTo(new Terminal(false, true));
        assertThat(Terminal.from(props("cxlkit.stdout.tty", "TRUE", "cxlkit.stderr.tty", "True")))
                .isEqualTo(new Terminal(true, true));
    }

    @Test
    void anythingButTrueIsFalse() {
        assertThat(Terminal.from(props("cxlkit.stdout.tty", "yes", "cxlkit.stderr.tty", "1")))
                .isEqualTo(new Terminal(false, false));
    }

    @Test
    void currentReadsSystemProperties() {
        String oldOut = System.getProperty(Terminal.STDOUT_TTY);
        String oldErr = System.getProperty(Terminal.STDERR_TTY);
        try {
            System.setProperty(Terminal.STDOUT_TTY, "true");
            System.clearProperty(Terminal.STDERR_TTY);
            assertThat(Terminal.current()).isEqualTo(new Terminal(true, false));
        } finally {
            restore(Terminal.STDOUT_TTY, oldOut);
            restore(Terminal.STDERR_TTY, oldErr);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
