package io.cxlkit.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.json.MemdevJson;
import org.junit.jupiter.api.Test;

/** {@code include=} (memdev-commands.md §14): the five words, and a 400 {@code bad-include} naming them for any other. */
class IncludeWordsTest {

    @Test
    void mediaErrorsIsAWordLikeTheOthers() throws Exception {
        assertThat(ControlApi.includes("include=health,media_errors"))
                .containsExactlyInAnyOrder(MemdevJson.Include.HEALTH, MemdevJson.Include.MEDIA_ERRORS);
    }

    @Test
    void anUnknownWordIsA400NamingTheKnownOnes() {
        assertThatThrownBy(() -> ControlApi.includes("include=bogus"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("bad-include");
                    assertThat(e.getMessage()).isEqualTo("unknown include 'bogus' (health, alert_config, "
                            + "partition_info, firmware, media_errors)");
                });
    }

    @Test
    void cxlkitIsNotAnIncludeWord() {
        assertThatThrownBy(() -> ControlApi.includes("include=cxlkit")).isInstanceOf(ApiException.class);
    }

    @Test
    void theServedWordsStillWork() throws Exception {
        assertThat(ControlApi.includes("include=health,alert_config&include=partition_info,firmware"))
                .containsExactlyInAnyOrder(MemdevJson.Include.HEALTH, MemdevJson.Include.ALERT_CONFIG,
                        MemdevJson.Include.PARTITION_INFO, MemdevJson.Include.FIRMWARE);
    }
}
