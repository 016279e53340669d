package io.cxlkit.host.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.driver.AlertConfigChange.Setting;
import io.cxlkit.protocol.payload.AlertWarning;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ndctl v81's set-alert-config rules and messages (cxl/memdev.c), memdev-commands.md §15.3. */
class AlertConfigChangeTest {

    private static Map<AlertWarning, Setting> of(Object... pairs) {
        Map<AlertWarning, Setting> m = new EnumMap<>(AlertWarning.class);
        for (int i = 0; i < pairs.length; i += 3) {
            m.put((AlertWarning) pairs[i], Setting.of((String) pairs[i + 1], (String) pairs[i + 2]));
        }
        return m;
    }

    private static String error(Object... pairs) {
        try {
            AlertConfigChange.request(of(pairs));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + of(pairs));
    }

    @Test
    void onWithAThresholdEnablesAndOffDisablesKeepingTheOthersOut() {
        SetAlertConfigRequest r = AlertConfigChange.request(of(AlertWarning.LIFE_USED, "on", "30",
                AlertWarning.UNDER_TEMPERATURE, "on", "-10", AlertWarning.CORRECTED_PERSISTENT, "off", null));

        assertThat(r).isEqualTo(new SetAlertConfigRequest(0b10101, 0b00101, 30, 0, -10, 0, 0));
    }

    @Test
    void everyThresholdGoesToItsField() {
        SetAlertConfigRequest r = AlertConfigChange.request(of(AlertWarning.LIFE_USED, "on", "100",
                AlertWarning.OVER_TEMPERATURE, "on", "32767", AlertWarning.UNDER_TEMPERATURE, "on", "-32768",
                AlertWarning.CORRECTED_VOLATILE, "on", "65535", AlertWarning.CORRECTED_PERSISTENT, "on", "0"));

        assertThat(r).isEqualTo(new SetAlertConfigRequest(0x1F, 0x1F, 100, 32767, -32768, 65535, 0));
    }

    @Test
    void ndctlsMessages() {
        assertThat(error()).isEqualTo("No action specified");
        assertThat(error(AlertWarning.LIFE_USED, null, null)).isEqualTo("No action specified");
        assertThat(error(AlertWarning.OVER_TEMPERATURE, null, "50")).isEqualTo("Action not specified");
        assertThat(error(AlertWarning.OVER_TEMPERATURE, "on", null)).isEqualTo("Threshold not specified");
        assertThat(error(AlertWarning.CORRECTED_PERSISTENT, "off", "5")).isEqualTo("Disable not require threshold");
        assertThat(error(AlertWarning.LIFE_USED, "ON", "5")).isEqualTo("Invalid action: ON");
        assertThat(error(AlertWarning.LIFE_USED, "on", "5%")).isEqualTo("Invalid threshold: 5%");
        assertThat(error(AlertWarning.LIFE_USED, "on", "101")).isEqualTo("Invalid life used threshold: 101");
        assertThat(error(AlertWarning.LIFE_USED, "on", "-1")).isEqualTo("Invalid life used threshold: -1");
        assertThat(error(AlertWarning.UNDER_TEMPERATURE, "on", "-32769"))
                .isEqualTo("Invalid device temperature threshold: -32769");
        assertThat(error(AlertWarning.OVER_TEMPERATURE, "on", "32768"))
                .isEqualTo("Invalid device temperature threshold: 32768");
        assertThat(error(AlertWarning.CORRECTED_VOLATILE, "on", "65536"))
                .isEqualTo("Invalid corrected mem error threshold: 65536");
        assertThat(error(AlertWarning.CORRECTED_PERSISTENT, "on", "-1"))
                .isEqualTo("Invalid corrected mem error threshold: -1");
    }

    @Test
    void theFirstWarningInOrderDecides() {
        assertThat(error(AlertWarning.CORRECTED_PERSISTENT, "on", null, AlertWarning.LIFE_USED, "maybe", null))
                .isEqualTo("Invalid action: maybe");
        assertThat(error(AlertWarning.LIFE_USED, "on", "500", AlertWarning.OVER_TEMPERATURE, null, "1"))
                .isEqualTo("Invalid life used threshold: 500");
    }

    @ParameterizedTest(name = "strtol reads \"{0}\" as {1}")
    @CsvSource(delimiter = '|', value = {"42|42", "+42|42", "-42|-42", " 7|7", "007|7", "''|0",
            "9223372036854775807|-1", "99999999999999999999|-1", "-99999999999999999999|0", "4294967346|50",
            "2147483648|-2147483648"})
    void thresholdsAreReadAsStrtolThenCutToInt(String text, int value) {
        assertThat(AlertConfigChange.strtolToInt(text)).isEqualTo(value);
    }

    @ParameterizedTest(name = "strtol does not read \"{0}\" to its end")
    @CsvSource(delimiter = '|', value = {"' '", "'7 '", "0x10", "1e3", "-", "+-5", "5.0", "abc"})
    void textAfterTheNumberIsInvalid(String text) {
        assertThatThrownBy(() -> AlertConfigChange.strtolToInt(text)).hasMessage("Invalid threshold: " + text);
    }

    @Test
    void theApiNamesFollowTheWarnings() {
        assertThat(AlertConfigChange.name(AlertWarning.LIFE_USED)).isEqualTo("life_used");
        assertThat(AlertConfigChange.name(AlertWarning.CORRECTED_PERSISTENT)).isEqualTo("pmem_err");
    }
}
