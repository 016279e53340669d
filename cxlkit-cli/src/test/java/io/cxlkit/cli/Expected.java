package io.cxlkit.cli;

import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Texts the docs fix byte for byte, and test packages. */
final class Expected {
    private Expected() {
    }

    /**
     * ndctl's warning when a command has no device to print ({@code util_display_json_array} with an
     * empty array): two spaces, the warning, a blank line. cxlkit prints it word for word.
     */
    static final String NO_MATCHING_DEVICES = "  Warning: no matching devices found\n\n";

    /** An empty JSON array as json-c prints it: {@code [} and {@code ]} on two lines. */
    static final String EMPTY_ARRAY = "[\n]\n";

    /** cli.md: with the factory defaults, {@code cxlkit list -F} prints exactly this. */
    static final String FACTORY_LIST_F = """
            [
              {
                "memdev":"mem0",
                "pmem_size":1073741824,
                "serial":0,
                "host":"0000:0d:00.0",
                "firmware_version":"BWFW VERSION 0",
                "firmware":{
                  "num_slots":2,
                  "active_slot":1,
                  "online_activate_capable":true,
                  "slot_1_version":"BWFW VERSION 0",
                  "fw_update_in_progress":false
                }
              }
            ]
            """;

    /** cli.md: {@code cxlkit list -F -u -m mem0}: the same object unwrapped, human sizes and serial. */
    static final String FACTORY_HUMAN_MEM0 = """
            {
              "memdev":"mem0",
              "pmem_size":"1024.00 MiB (1073.74 MB)",
              "serial":"0",
              "host":"0000:0d:00.0",
              "firmware_version":"BWFW VERSION 0",
              "firmware":{
                "num_slots":2,
                "active_slot":1,
                "online_activate_capable":true,
                "slot_1_version":"BWFW VERSION 0",
                "fw_update_in_progress":false
              }
            }
            """;

    /**
     * The {@code health} object of {@code list -H} with the factory defaults (memdev-commands.md §7.1:
     * media normal, 25 °C), as a member of an unwrapped memdev object (two spaces deep), comma
     * included; {@code .indent(2)} for a memdev in an array.
     */
    static final String FACTORY_HEALTH = """
              "health":{
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
              },
            """;

    /** The {@code alert_config} object of {@code list -A} with the alert defaults of §7.3, as {@link #FACTORY_HEALTH}. */
    static final String FACTORY_ALERT_CONFIG = """
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
     * memdev-commands.md §15.1: with the factory defaults, {@code cxlkit list -H -A -I} prints exactly
     * this: {@code health} and {@code alert_config} after the sizes, {@code partition_info} after
     * {@code firmware_version}; the health of §7.1 (media normal, 25 °C), the alert defaults of §7.3,
     * and no partition alignment, so no active or next sizes.
     */
    static final String FACTORY_LIST_HAI = """
            [
              {
                "memdev":"mem0",
                "pmem_size":1073741824,
            """ + FACTORY_HEALTH.indent(2) + FACTORY_ALERT_CONFIG.indent(2) + """
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
            """;

    /** {@code cxlkit list -H -A -I -u -m mem0}: the same object unwrapped, human sizes and serial. */
    static final String FACTORY_HUMAN_HAI_MEM0 = """
            {
              "memdev":"mem0",
              "pmem_size":"1024.00 MiB (1073.74 MB)",
            """ + FACTORY_HEALTH + FACTORY_ALERT_CONFIG + """
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
            """;

    /**
     * With the factory defaults, {@code cxlkit list} plus flags that add only {@code members} (in
     * the form of {@link #FACTORY_HEALTH}, each after {@code pmem_size}), as for {@code -H} or
     * {@code -A} alone.
     */
    static String factoryListWith(String members) {
        return """
                [
                  {
                    "memdev":"mem0",
                    "pmem_size":1073741824,
                """ + members.indent(2) + """
                    "serial":0,
                    "host":"0000:0d:00.0",
                    "firmware_version":"BWFW VERSION 0"
                  }
                ]
                """;
    }

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
            if (around.length != 2) {
                throw new IllegalArgumentException(key + " is not in the golden exactly once");
            }
            out = around[0] + key + (value instanceof String text ? "\"" + text + "\"" : value) + around[1];
        }
        return out;
    }

    /** The label storage area's default size (memdev-commands.md §6, {@code --lsa-size}): 128 KiB. */
    static final int DEFAULT_LSA_SIZE = 128 * 1024;

    /** The revision of {@link #packageFile}'s package. */
    static final String NEW_REVISION = "BWFW VERSION 1";

    /** A small valid package (fits one MCTP Transfer FW Full with the default 1 KiB messages). */
    static byte[] smallPackage() {
        return FirmwarePackage.builder().revision(NEW_REVISION).securityVersion(0).body(new byte[512]).build()
                .toByteArray();
    }

    static Path packageFile(Path dir) throws IOException {
        Path file = dir.resolve("fw-v1.pkg");
        Files.write(file, smallPackage());
        return file;
    }

    /** Stores {@link #smallPackage()} in slot 2 of the device at {@code eid} with one Transfer FW Full. */
    static void storeInSlot2(EmbeddedDaemon d, int eid, Path dir) throws IOException {
        Cli.Run r = Cli.run("cci", "--connect", d.cci(), "--eid", Integer.toString(eid), "transfer-fw",
                "--action", "full", "--slot", "2", "--data", packageFile(dir).toString());
        if (r.exit() != 0 || !r.out().contains("\"return_code\":\"0000h\"")) {
            throw new AssertionError("Transfer FW Full failed: " + r);
        }
    }
}
