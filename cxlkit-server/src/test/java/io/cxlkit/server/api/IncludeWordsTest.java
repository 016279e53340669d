package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.json.MemdevJson;
import org.junit.jupiter.api.Test;

/** {@code include=} (memdev-commands.md §14): {@code media_errors} is a 400 that says it comes with the poison commands. */
class IncludeWordsTest {

    @Test
    void mediaErrorsIsA400ThatSaysItComesWithThePoisonCommands() {
        assertThatThrownBy(() -> ControlApi.includes("include=health,media_errors"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("bad-include");
                    assertThat(e.getMessage()).contains("unknown include 'media_errors'")
                            .contains("media_errors comes with the poison commands");
                });
    }

    @Test
    void anotherUnknownWordSaysNothingOfPoison() {
        assertThatThrownBy(() -> ControlApi.includes("include=bogus"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).doesNotContain("poison"));
    }

    @Test
    void theServedWordsStillWork() throws Exception {
        assertThat(ControlApi.includes("include=health,alert_config&include=partition_info,firmware"))
                .containsExactlyInAnyOrder(MemdevJson.Include.HEALTH, MemdevJson.Include.ALERT_CONFIG,
                        MemdevJson.Include.PARTITION_INFO, MemdevJson.Include.FIRMWARE);
    }
}
