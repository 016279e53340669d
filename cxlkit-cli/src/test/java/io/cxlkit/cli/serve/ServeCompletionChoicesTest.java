package io.cxlkit.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.cli.Cli;
import io.cxlkit.cli.CompletionChoices;
import io.cxlkit.server.Logs;
import io.cxlkit.server.PlatformConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every word shell completion offers for a serve option is one serve accepts; others are refused. */
class ServeCompletionChoicesTest {

    @TempDir
    Path dir;

    private PlatformConfig config(String... args) {
        return ServeConfigs.of(dir, args);
    }

    @Test
    void timingPresets() {
        for (String word : new CompletionChoices.TimingPresets()) {
            assertThat(config("--timing", word).devices().get(0).timing().preset().label()).isEqualTo(word);
        }
        assertThatThrownBy(() -> config("--timing", "fast")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifyPolicies() {
        for (String word : new CompletionChoices.VerifyPolicies()) {
            // signed needs a trusted key
            String[] args = word.equals("signed") ? new String[] {"--fw-verify", word, "--trusted-key", key()}
                    : new String[] {"--fw-verify", word};
            assertThat(config(args).devices().get(0).verifyPolicy().label()).isEqualTo(word);
        }
        assertThatThrownBy(() -> config("--fw-verify", "all")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlineActivate() {
        for (String word : new CompletionChoices.Booleans()) {
            assertThat(config("--online-activate", word).devices().get(0).onlineActivate())
                    .isEqualTo(Boolean.parseBoolean(word));
        }
        assertThatThrownBy(() -> config("--online-activate", "yes")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logLevels() {
        for (String word : new CompletionChoices.LogLevels()) {
            assertThat(Logs.parseLevel(word)).isNotNull();
        }
        assertThatThrownBy(() -> Logs.parseLevel("trace")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A public key file made by {@code cxlkit fw keygen}. */
    private String key() {
        Path key = dir.resolve("signer.pem");
        assertThat(Cli.run("fw", "keygen", "-o", key.toString()).exit()).isZero();
        return key + ".pub";
    }
}
