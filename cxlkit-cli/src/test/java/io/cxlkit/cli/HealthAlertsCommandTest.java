package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.config.CriticalThresholds;
import io.cxlkit.device.config.DeviceConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code list -H/-A/-I} and {@code set-alert-config} against an embedded daemon, byte for byte
 * (memdev-commands.md §15.1, §15.3): the objects come from the emulated device through the host
 * driver, as ndctl's come through the kernel.
 */
class HealthAlertsCommandTest {

    @TempDir
    Path dir;

    private static final String NL = System.lineSeparator();

    @Test
    void factoryDefaultListHAIIsWhatTheContractShows() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 2)) {
            Cli.Run r = d.run("list", "-H", "-A", "-I", "-m", "mem0");
            assertThat(r.out()).isEqualTo(Expected.FACTORY_LIST_HAI);
            assertThat(r.err()).isEmpty();
            assertThat(r.exit()).isZero();
            assertThat(d.run("list", "--health", "--alert-config", "--partition", "-m", "0").out())
                    .isEqualTo(Expected.FACTORY_LIST_HAI);
            assertThat(d.run("list", "-HAI", "-m", "mem0").out()).isEqualTo(Expected.FACTORY_LIST_HAI);

            assertThat(d.run("list", "-H", "-A", "-I", "-u", "-m", "mem0").out()).isEqualTo(Expected.FACTORY_HUMAN_HAI_MEM0);
        }
    }

    @Test
    void eachFlagAddsItsObjectOnlyAndFirmwareAndCxlkitFollowPartitionInfo() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            String health = d.run("list", "-H").out();
            assertThat(health).contains("\"health\":{").doesNotContain("alert_config", "partition_info", "firmware\":");
            String alerts = d.run("list", "-A").out();
            assertThat(alerts).contains("\"alert_config\":{").doesNotContain("\"health\"", "partition_info");
            String partition = d.run("list", "-I").out();
            assertThat(partition).contains("\"partition_info\":{").doesNotContain("\"health\"", "alert_config");

            String all = d.run("list", "-H", "-A", "-I", "-F", "--cxlkit").out();
            assertThat(all.indexOf("\"pmem_size\"")).isLessThan(all.indexOf("\"health\""));
            assertThat(all.indexOf("\"health\"")).isLessThan(all.indexOf("\"alert_config\""));
            assertThat(all.indexOf("\"alert_config\"")).isLessThan(all.indexOf("\"serial\""));
            assertThat(all.indexOf("\"firmware_version\"")).isLessThan(all.indexOf("\"partition_info\""));
            assertThat(all.indexOf("\"partition_info\"")).isLessThan(all.indexOf("\"firmware\""));
            assertThat(all.indexOf("\"firmware\"")).isLessThan(all.indexOf("\"cxlkit\""));
            // without the flags, nothing of it (and the daemon is not asked to build it)
            assertThat(d.run("list").out()).doesNotContain("\"health\"", "alert_config", "partition_info");
        }
    }

    @Test
    void setAlertConfigPrintsTheMemdevWithItsAlertConfigThenNdctlsSummary() throws Exception {
        // under-temperature critical at -40 °C, so that a warning at -5 °C is one the device takes
        DeviceConfig cold = EmbeddedDaemon.instant(0).toBuilder()
                .criticalThresholds(CriticalThresholds.DEFAULTS.withUnderTemperature(-40)).build();
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), cold, EmbeddedDaemon.instant(1))) {
            Cli.Run r = d.run("set-alert-config", "mem0", "--life-used-alert", "on", "-L", "30",
                    "--over-temperature-alert", "off", "--under-temperature-alert", "on", "-U", "-5",
                    "--pmem-err-alert", "on", "-P", "1000");
            assertThat(r.err()).isEqualTo("cxlkit: set-alert-config: set alert configuration for 1 mem" + NL);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(Expected.factoryListWith(Expected.withValues(Expected.FACTORY_ALERT_CONFIG,
                    "dev_over_temperature_prog_warn_threshold_valid", false,
                    "corrected_pmem_err_prog_warn_threshold_valid", true, "life_used_prog_warn_threshold", 30,
                    "dev_under_temperature_crit_alert_threshold", 65496,
                    "dev_under_temperature_prog_warn_threshold", 65531,
                    "corrected_pmem_err_prog_warn_threshold", 1000)));
            // what list -A says now; mem1 is untouched
            assertThat(d.run("list", "-A", "-m", "mem0").out()).isEqualTo(r.out());
            assertThat(d.run("list", "-A", "-m", "mem1").out()).contains("\"life_used_prog_warn_threshold\":40");

            Cli.Run both = d.run("set-alert-config", "all", "--volatile-mem-err-alert", "on", "-V", "7");
            assertThat(both.err()).isEqualTo("cxlkit: set-alert-config: set alert configuration for 2 mems" + NL);
            assertThat(both.out()).contains("\"memdev\":\"mem0\"").contains("\"memdev\":\"mem1\"");
            assertThat(both.out().split("\"corrected_volatile_mem_err_prog_warn_threshold\":7,\n", -1)).hasSize(3);
        }
    }

    @Test
    void onATerminalOneMemdevPrintsBareAndHuman() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = Cli.runWithStdoutTty(true, "set-alert-config", "mem0", "--life-used-alert", "off",
                    "--state-dir", d.stateDir.toString());
            assertThat(r.exit()).isZero();
            assertThat(r.out()).startsWith("{\n  \"memdev\":\"mem0\",\n  \"pmem_size\":\"1024.00 MiB (1073.74 MB)\",\n"
                    + "  \"alert_config\":{\n    \"life_used_prog_warn_threshold_valid\":false,\n")
                    .contains("\n  \"serial\":\"0\",\n");
        }
    }

    @Test
    void aRefusalByTheDeviceStillPrintsTheMemdevAsItIs() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            // ndctl takes 80 (0..100); the device refuses a warning at or above the critical threshold, 75
            Cli.Run r = d.run("set-alert-config", "mem0", "--life-used-alert", "on", "-L", "80");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly(
                    "cxlkit: set-alert-config: mem0: Set Alert Configuration: Invalid Input, 0002h",
                    "cxlkit: set-alert-config: set alert configuration for 0 mem");
            assertThat(r.out()).contains("\"life_used_prog_warn_threshold\":40").contains("\"memdev\":\"mem0\"");
        }
    }

    @Test
    void setPartitionWithoutAnAlignmentIsNdctlsNoAvailableCapacity() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            Cli.Run r = d.run("set-partition", "mem0", "-t", "ram", "-s", "256M");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEqualTo(Expected.EMPTY_ARRAY);
            assertThat(r.err()).isEqualTo("cxlkit: set-partition: mem0: no available capacity" + NL
                    + Expected.NO_MATCHING_DEVICES + "cxlkit: set-partition: set_partition 0 mem" + NL);
        }
    }

    /** What {@code cxlkit inject} makes the device report, as {@code list -H} prints it (§7.1, §7.2, §15.1). */
    @Test
    void aHealthAwayFromTheDefaultsPrintsAsLibcxlReadsIt() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("state"), 1)) {
            // one dirty shutdown: a power-off whose GPF failed, counted at the power-on of the reset
            assertThat(d.run("inject", "mem0", "--gpf-fail").exit()).isZero();
            assertThat(d.run("reset", "mem0").exit()).isZero();
            for (String[] fault : new String[][] {{"--temperature", "-5"}, {"--life-used", "90"},
                    {"--health-status", "maintenance,performance"}, {"--media-status", "shutdown-data-loss"},
                    {"--corrected-error", "0x1000", "--count", "3"}}) {
                String[] args = new String[fault.length + 2];
                args[0] = "inject";
                args[1] = "mem0";
                System.arraycopy(fault, 0, args, 2, fault.length);
                Cli.Run r = d.run(args);
                assertThat(r.exit()).as(String.join(" ", fault) + ": " + r.err()).isZero();
            }
            Cli.Run r = d.run("list", "-H");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(Expected.factoryListWith(Expected.withValues(Expected.FACTORY_HEALTH,
                    "maintenance_needed", true, "performance_degraded", true, "media_normal", false,
                    "media_shutdown_data_loss", true, "ext_life_used", "critical", "ext_temperature", "critical",
                    "life_used_percent", 90, "temperature", 65531, "dirty_shutdowns", 1, "pmem_errors", 3)));
            // -u changes nothing in health: it has no size
            assertThat(d.run("list", "-H", "-u").out()).contains(r.out().substring(r.out().indexOf("    \"health\":{"),
                    r.out().indexOf("    \"serial\"")).replace("\n    ", "\n  ").substring(2));

            // FFFFh, which r3.1 reads as -1 °C, is libcxl's "not implemented": -95
            assertThat(d.run("inject", "mem0", "--temperature", "-1").exit()).isZero();
            assertThat(d.run("list", "-H").out()).contains("\"life_used_percent\":90,\n      \"temperature\":-95,\n");
            assertThat(d.run("inject", "mem0", "--temperature", "32767").exit()).isZero();
            assertThat(d.run("list", "-H").out()).contains("\"ext_temperature\":\"critical\"")
                    .contains("\"temperature\":32767,");
        }
    }
}
