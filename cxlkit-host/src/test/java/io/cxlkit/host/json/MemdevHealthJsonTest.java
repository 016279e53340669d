package io.cxlkit.host.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.host.json.MemdevJson.Include;
import io.cxlkit.host.json.MemdevView.PartitionView;
import io.cxlkit.protocol.payload.AlertConfig;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.payload.HealthInfo.AdditionalStatus;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.PartitionInfo;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code health}, {@code alert_config} and {@code partition_info} objects of {@code list -H},
 * {@code -A}, {@code -I} (memdev-commands.md §15.1): golden output for the factory defaults and for
 * states away from them, plain and {@code -u}, derived from §15.1 and libcxl's getters.
 */
class MemdevHealthJsonTest {

    /** §7.1 defaults: everything normal, 25 °C. */
    static final HealthInfo FACTORY_HEALTH = new HealthInfo(0, HealthInfo.MEDIA_NORMAL, AdditionalStatus.ALL_NORMAL, 0,
            25, 0, 0, 0);
    /** §7.3 defaults. */
    static final AlertConfig FACTORY_ALERTS = new AlertConfig(0x07, 0x1F, 75, 40, 85, 0, 75, 5, 100, 100);
    /** 1 GiB persistent-only, no partitionable capacity, alignment 0. */
    static final IdentifyMemoryDevice FACTORY_IDENTIFY = new IdentifyMemoryDevice("BWFW VERSION 0", 4, 0, 4, 0, 8, 8,
            8, 8, 131072, 256, 0, 1, 0, 0);

    /** {@link #FACTORY_HEALTH} as {@code JsonC.toPrettyString} prints the {@code health} object alone. */
    static final String FACTORY_HEALTH_OBJECT = """
            {
              "maintenance_needed":false,
              "performance_degraded":false,
              "hw_replacement_needed":false,
              "media_normal":true,
              "media_not_ready":false,
              "media_persistence_lost":false,
              "media_data_lost":false,
              "media_powerloss_persistence_loss":false,
              "media_shutdown_persistence_loss":false,
              "media_persistence_loss_imminent":false,
              "media_powerloss_data_loss":false,
              "media_shutdown_data_loss":false,
              "media_data_loss_imminent":false,
              "ext_life_used":"normal",
              "ext_temperature":"normal",
              "ext_corrected_volatile":"normal",
              "ext_corrected_persistent":"normal",
              "life_used_percent":0,
              "temperature":25,
              "dirty_shutdowns":0,
              "volatile_errors":0,
              "pmem_errors":0
            }""";

    /** The same as a member of an unwrapped memdev object (two spaces deep), comma included. */
    static final String FACTORY_HEALTH_JSON = "  \"health\":" + FACTORY_HEALTH_OBJECT.indent(2).strip() + ",\n";

    static final String FACTORY_ALERTS_JSON = """
              "alert_config":{
                "life_used_prog_warn_threshold_valid":true,
                "dev_over_temperature_prog_warn_threshold_valid":true,
                "dev_under_temperature_prog_warn_threshold_valid":true,
                "corrected_volatile_mem_err_prog_warn_threshold_valid":false,
                "corrected_pmem_err_prog_warn_threshold_valid":false,
                "life_used_prog_warn_threshold_writable":true,
                "dev_over_temperature_prog_warn_threshold_writable":true,
                "dev_under_temperature_prog_warn_threshold_writable":true,
                "corrected_volatile_mem_err_prog_warn_threshold_writable":true,
                "corrected_pmem_err_prog_warn_threshold_writable":true,
                "life_used_crit_alert_threshold":75,
                "life_used_prog_warn_threshold":40,
                "dev_over_temperature_crit_alert_threshold":85,
                "dev_under_temperature_crit_alert_threshold":0,
                "dev_over_temperature_prog_warn_threshold":75,
                "dev_under_temperature_prog_warn_threshold":5,
                "corrected_volatile_mem_err_prog_warn_threshold":100,
                "corrected_pmem_err_prog_warn_threshold":100
              },
            """;

    /**
     * {@code golden} with new values for some of its keys: pairs of a key and its value, a String
     * printed in quotes, anything else as it is. Each key must stand in {@code golden} exactly once.
     */
    static String withValues(String golden, Object... keysAndValues) {
        String out = golden;
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = "\"" + keysAndValues[i] + "\":";
            Object value = keysAndValues[i + 1];
            String[] around = out.split(key + "[^,\n}]*", -1);
            assertThat(around).as("%s in the golden once", key).hasSize(2);
            out = around[0] + key + (value instanceof String text ? "\"" + text + "\"" : value) + around[1];
        }
        return out;
    }

    static MemdevView factory() {
        return MemdevJsonTest.factoryDefault().withHealth(FACTORY_HEALTH).withAlertConfig(FACTORY_ALERTS)
                .withPartitionInfo(PartitionView.from(FACTORY_IDENTIFY, Optional.empty()));
    }

    static final Parts ALL = new Parts(EnumSet.of(Include.HEALTH, Include.ALERT_CONFIG, Include.PARTITION_INFO));

    /** A set of includes, short to write. */
    record Parts(java.util.Set<Include> include) {
        String plain(MemdevView v) {
            return MemdevJson.list(List.of(v), false, include);
        }

        String human(MemdevView v) {
            return MemdevJson.list(List.of(v), true, include);
        }
    }

    static Parts only(Include... parts) {
        return new Parts(parts.length == 0 ? EnumSet.noneOf(Include.class) : EnumSet.of(parts[0], parts));
    }

    @Nested
    class FactoryDefaults {

        @Test
        void listHAIPrintsEveryObjectAtItsNdctlPlace() {
            assertThat(ALL.plain(factory())).isEqualTo("[\n  {\n    \"memdev\":\"mem0\",\n"
                    + "    \"pmem_size\":1073741824,\n"
                    + FACTORY_HEALTH_JSON.indent(2) + FACTORY_ALERTS_JSON.indent(2) + """
                        "serial":0,
                        "host":"0000:0d:00.0",
                        "firmware_version":"BWFW VERSION 0",
                        "partition_info":{
                          "total_size":1073741824,
                          "volatile_only_size":0,
                          "persistent_only_size":1073741824,
                          "partition_alignment_size":0
                        }
                      }
                    ]
                    """);
        }

        @Test
        void humanChangesOnlyTheSizesAndUnwrapsOneMemdev() {
            assertThat(ALL.human(factory())).isEqualTo("{\n  \"memdev\":\"mem0\",\n"
                    + "  \"pmem_size\":\"1024.00 MiB (1073.74 MB)\",\n"
                    + FACTORY_HEALTH_JSON + FACTORY_ALERTS_JSON + """
                      "serial":"0",
                      "host":"0000:0d:00.0",
                      "firmware_version":"BWFW VERSION 0",
                      "partition_info":{
                        "total_size":"1024.00 MiB (1073.74 MB)",
                        "volatile_only_size":0,
                        "persistent_only_size":"1024.00 MiB (1073.74 MB)",
                        "partition_alignment_size":0
                      }
                    }
                    """);
        }

        @Test
        void eachFlagAddsItsObjectAlone() {
            String health = only(Include.HEALTH).plain(factory());
            assertThat(health).contains("\"health\":{").doesNotContain("alert_config", "partition_info");
            assertThat(health.indexOf("\"health\"")).isBetween(health.indexOf("\"pmem_size\""), health.indexOf("\"serial\""));
            assertThat(only(Include.ALERT_CONFIG).plain(factory())).contains("\"alert_config\":{")
                    .doesNotContain("\"health\"", "partition_info");
            assertThat(only(Include.PARTITION_INFO).plain(factory())).contains("\"partition_info\":{")
                    .doesNotContain("\"health\"", "alert_config");
            assertThat(only().plain(factory())).doesNotContain("\"health\"", "alert_config", "partition_info");
        }

        @Test
        void theObjectsComeBeforeFirmwareAndCxlkitInNdctlsOrder() {
            MemdevView v = factory().withCxlkit(new MemdevView.CxlkitView(1, "none", 0, List.of(),
                    MemdevView.UploadView.IDLE));
            String out = MemdevJson.list(List.of(v), false, EnumSet.allOf(Include.class));
            List<String> keys = out.lines().filter(l -> l.startsWith("    \"")).map(l -> l.substring(5, l.indexOf('"', 5)))
                    .toList();
            assertThat(keys).containsExactly("memdev", "pmem_size", "health", "alert_config", "serial", "host",
                    "firmware_version", "partition_info", "firmware", "cxlkit");
        }

        @Test
        void aViewWithoutTheObjectLeavesItOutWhateverIsAsked() {
            assertThat(ALL.plain(MemdevJsonTest.factoryDefault())).isEqualTo(MemdevJson.list(
                    List.of(MemdevJsonTest.factoryDefault()), false, false, false));
        }
    }

    @Nested
    class Health {

        private String health(HealthInfo h) {
            return JsonC.toPlainString(MemdevJson.health(h));
        }

        @ParameterizedTest(name = "temperature {0} °C prints {1}")
        @CsvSource({"25,25", "0,0", "-5,65531", "-1,-95", "-32768,32768", "32767,32767", "-2,65534"})
        void theTemperatureIsItsUnsigned16BitsAndFFFFhIsMinus95(int celsius, int printed) {
            HealthInfo h = new HealthInfo(0, 0, AdditionalStatus.ALL_NORMAL, 0, celsius, 0, 0, 0);
            assertThat(health(h)).contains("\"temperature\":" + printed + ",");
        }

        @ParameterizedTest(name = "life used {0} prints {1}")
        @CsvSource({"0,0", "100,100", "254,254", "255,-95"})
        void lifeUsedIsRawAndFFhIsMinus95(int lifeUsed, int printed) {
            HealthInfo h = new HealthInfo(0, 0, AdditionalStatus.ALL_NORMAL, lifeUsed, 25, 0, 0, 0);
            assertThat(health(h)).contains("\"life_used_percent\":" + printed + ",");
        }

        @Test
        void everyStatusAwayFromNormal() {
            HealthInfo h = new HealthInfo(0x0F, HealthInfo.MEDIA_DATA_LOSS_IMMINENT,
                    new AdditionalStatus(AdditionalStatus.CRITICAL, 0b11, true, true), 255, -1, 0xFFFFFFFFL, 7,
                    0x80000000L);
            assertThat(JsonC.toPrettyString(MemdevJson.health(h))).isEqualTo(withValues(FACTORY_HEALTH_OBJECT,
                    "maintenance_needed", true, "performance_degraded", true, "hw_replacement_needed", true,
                    "media_normal", false, "media_data_loss_imminent", true,
                    "ext_life_used", "critical", "ext_temperature", "unknown", "ext_corrected_volatile", "warning",
                    "ext_corrected_persistent", "warning", "life_used_percent", -95, "temperature", -95,
                    "dirty_shutdowns", 4294967295L, "volatile_errors", 7, "pmem_errors", 2147483648L));
        }

        @ParameterizedTest(name = "media status {0}")
        @CsvSource({"0,media_normal", "1,media_not_ready", "2,media_persistence_lost", "3,media_data_lost",
                "4,media_powerloss_persistence_loss", "5,media_shutdown_persistence_loss",
                "6,media_persistence_loss_imminent", "7,media_powerloss_data_loss", "8,media_shutdown_data_loss",
                "9,media_data_loss_imminent"})
        void exactlyOneMediaKeyIsTrue(int status, String key) {
            String out = health(new HealthInfo(0, status, AdditionalStatus.ALL_NORMAL, 0, 25, 0, 0, 0));
            assertThat(out).contains("\"" + key + "\":true");
            assertThat(out.split("\":true", -1)).hasSize(2);
        }

        @Test
        void aMediaStatusBeyond09hHasNoKeyTrueAndCapacityDegradedHasNoKey() {
            String out = health(new HealthInfo(HealthInfo.CAPACITY_DEGRADED, 0x0A,
                    new AdditionalStatus(AdditionalStatus.WARNING, AdditionalStatus.WARNING, false, false), 0, 25, 0, 0,
                    0));
            assertThat(out).doesNotContain("true").contains("\"ext_life_used\":\"warning\",\"ext_temperature\":\"warning\"");
        }
    }

    @Nested
    class Alerts {

        @Test
        void temperaturesPrintAsUnsigned16BitNumbersAndTheFlagsFollowTheBits() {
            AlertConfig a = new AlertConfig(0x18, 0x05, 100, 0, -1, -40, 32767, -5, 65535, 0);
            assertThat(JsonC.toPrettyString(MemdevJson.alertConfig(a))).isEqualTo("""
                    {
                      "life_used_prog_warn_threshold_valid":false,
                      "dev_over_temperature_prog_warn_threshold_valid":false,
                      "dev_under_temperature_prog_warn_threshold_valid":false,
                      "corrected_volatile_mem_err_prog_warn_threshold_valid":true,
                      "corrected_pmem_err_prog_warn_threshold_valid":true,
                      "life_used_prog_warn_threshold_writable":true,
                      "dev_over_temperature_prog_warn_threshold_writable":false,
                      "dev_under_temperature_prog_warn_threshold_writable":true,
                      "corrected_volatile_mem_err_prog_warn_threshold_writable":false,
                      "corrected_pmem_err_prog_warn_threshold_writable":false,
                      "life_used_crit_alert_threshold":100,
                      "life_used_prog_warn_threshold":0,
                      "dev_over_temperature_crit_alert_threshold":65535,
                      "dev_under_temperature_crit_alert_threshold":65496,
                      "dev_over_temperature_prog_warn_threshold":32767,
                      "dev_under_temperature_prog_warn_threshold":65531,
                      "corrected_volatile_mem_err_prog_warn_threshold":65535,
                      "corrected_pmem_err_prog_warn_threshold":0
                    }""");
        }
    }

    @Nested
    class Partitions {

        /** 2 GiB: 256 MiB volatile-only, 256 MiB persistent-only, 1.5 GiB partitionable in 256 MiB steps. */
        private final IdentifyMemoryDevice partitionable = new IdentifyMemoryDevice("BWFW VERSION 0", 8, 1, 1, 1, 8, 8,
                8, 8, 131072, 256, 0, 1, 0, 0);

        @Test
        void anAlignmentAddsGetPartitionInfosSizesPlainAndHuman() {
            PartitionView p = PartitionView.from(partitionable, Optional.of(new PartitionInfo(3, 5, 4, 4)));
            assertThat(JsonC.toPrettyString(MemdevJson.partitionInfo(p, false))).isEqualTo("""
                    {
                      "total_size":2147483648,
                      "volatile_only_size":268435456,
                      "persistent_only_size":268435456,
                      "partition_alignment_size":268435456,
                      "active_volatile_size":805306368,
                      "active_persistent_size":1342177280,
                      "next_volatile_size":1073741824,
                      "next_persistent_size":1073741824
                    }""");
            assertThat(JsonC.toPrettyString(MemdevJson.partitionInfo(p, true))).isEqualTo("""
                    {
                      "total_size":"2.00 GiB (2.15 GB)",
                      "volatile_only_size":"256.00 MiB (268.44 MB)",
                      "persistent_only_size":"256.00 MiB (268.44 MB)",
                      "partition_alignment_size":"256.00 MiB (268.44 MB)",
                      "active_volatile_size":"768.00 MiB (805.31 MB)",
                      "active_persistent_size":"1280.00 MiB (1342.18 MB)",
                      "next_volatile_size":"1024.00 MiB (1073.74 MB)",
                      "next_persistent_size":"1024.00 MiB (1073.74 MB)"
                    }""");
        }

        @Test
        void nothingPendingPrintsZeroNextSizes() {
            PartitionView p = PartitionView.from(partitionable, Optional.of(new PartitionInfo(1, 7, 0, 0)));
            assertThat(JsonC.toPlainString(MemdevJson.partitionInfo(p, true))).endsWith(
                    "\"active_volatile_size\":\"256.00 MiB (268.44 MB)\","
                            + "\"active_persistent_size\":\"1792.00 MiB (1879.05 MB)\","
                            + "\"next_volatile_size\":0,\"next_persistent_size\":0}");
        }

        @Test
        void aFailedGetPartitionInfoOrNoAlignmentLeavesTheActiveSizesOut() {
            PartitionView failed = PartitionView.from(partitionable, Optional.empty());
            assertThat(JsonC.toPlainString(MemdevJson.partitionInfo(failed, false))).isEqualTo("{\"total_size\":2147483648,"
                    + "\"volatile_only_size\":268435456,\"persistent_only_size\":268435456,"
                    + "\"partition_alignment_size\":268435456}");
            // alignment 0: Get Partition Info's answer is not shown even when there is one (ndctl does not ask)
            PartitionView none = PartitionView.from(FACTORY_IDENTIFY, Optional.of(new PartitionInfo(0, 4, 0, 0)));
            assertThat(none.active()).isEmpty();
        }
    }
}
