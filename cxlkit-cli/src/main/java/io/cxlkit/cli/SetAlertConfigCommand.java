package io.cxlkit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxlkit.host.driver.AlertConfigChange;
import io.cxlkit.host.driver.AlertConfigChange.Setting;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.protocol.payload.AlertWarning;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit set-alert-config MEMDEV... [options]}: ndctl's {@code cxl set-alert-config}
 * (memdev-commands.md §15.3): each programmable warning's threshold and whether it is on. ndctl's
 * argument rules and messages ({@link AlertConfigChange}) are usage errors here (exit 2), checked
 * before the daemon is contacted. Prints the memdevs with their {@code alert_config} as ndctl does
 * (human when stdout is a terminal; a memdev the device refused too, as it is now), then
 * {@code cxlkit: set-alert-config: set alert configuration for N mem[s]}.
 *
 * <p>{@code -V} is ndctl's {@code --volatile-mem-err-threshold}, so this command's version option
 * is {@code --version} alone.
 */
@Command(name = "set-alert-config", mixinStandardHelpOptions = false,
        description = "Set the warning alert thresholds of memdevs, as ndctl's 'cxl set-alert-config'.")
public final class SetAlertConfigCommand extends DaemonCommand {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print version information and exit.")
    boolean version;

    @Parameters(paramLabel = "MEMDEV", arity = "1..*", description = "memN, N or all; serial numbers with -S")
    List<String> memdevs;

    @Mixin
    MemdevFilterOptions filter;

    @Option(names = {"-L", "--life-used-threshold"}, paramLabel = "THRESHOLD",
            description = "threshold value for life used warning alert (0..100)")
    String lifeUsedThreshold;

    @Option(names = "--life-used-alert", paramLabel = "on|off",
            completionCandidates = CompletionChoices.AlertActions.class, description = "enable or disable life used warning alert")
    String lifeUsedAlert;

    @Option(names = {"-O", "--over-temperature-threshold"}, paramLabel = "THRESHOLD",
            description = "threshold value for device over temperature warning alert (-32768..32767)")
    String overTemperatureThreshold;

    @Option(names = "--over-temperature-alert", paramLabel = "on|off",
            completionCandidates = CompletionChoices.AlertActions.class,
            description = "enable or disable device over temperature warning alert")
    String overTemperatureAlert;

    @Option(names = {"-U", "--under-temperature-threshold"}, paramLabel = "THRESHOLD",
            description = "threshold value for device under temperature warning alert (-32768..32767)")
    String underTemperatureThreshold;

    @Option(names = "--under-temperature-alert", paramLabel = "on|off",
            completionCandidates = CompletionChoices.AlertActions.class,
            description = "enable or disable device under temperature warning alert")
    String underTemperatureAlert;

    @Option(names = {"-V", "--volatile-mem-err-threshold"}, paramLabel = "THRESHOLD",
            description = "threshold value for corrected volatile mem error warning alert (0..65535)")
    String volatileMemErrThreshold;

    @Option(names = "--volatile-mem-err-alert", paramLabel = "on|off",
            completionCandidates = CompletionChoices.AlertActions.class,
            description = "enable or disable corrected volatile mem error warning alert")
    String volatileMemErrAlert;

    @Option(names = {"-P", "--pmem-err-threshold"}, paramLabel = "THRESHOLD",
            description = "threshold value for corrected pmem error warning alert (0..65535)")
    String pmemErrThreshold;

    @Option(names = "--pmem-err-alert", paramLabel = "on|off",
            completionCandidates = CompletionChoices.AlertActions.class,
            description = "enable or disable corrected pmem error warning alert")
    String pmemErrAlert;

    @Option(names = {"-v", "--verbose"}, description = "accepted as ndctl's debug switch; prints nothing more")
    boolean verbose;

    @Mixin
    StrictOption strict;

    /** The options as typed, by warning. */
    Map<AlertWarning, Setting> settings() {
        Map<AlertWarning, Setting> m = new EnumMap<>(AlertWarning.class);
        m.put(AlertWarning.LIFE_USED, Setting.of(lifeUsedAlert, lifeUsedThreshold));
        m.put(AlertWarning.OVER_TEMPERATURE, Setting.of(overTemperatureAlert, overTemperatureThreshold));
        m.put(AlertWarning.UNDER_TEMPERATURE, Setting.of(underTemperatureAlert, underTemperatureThreshold));
        m.put(AlertWarning.CORRECTED_VOLATILE, Setting.of(volatileMemErrAlert, volatileMemErrThreshold));
        m.put(AlertWarning.CORRECTED_PERSISTENT, Setting.of(pmemErrAlert, pmemErrThreshold));
        return m;
    }

    @Override
    protected int execute() throws Exception {
        Map<AlertWarning, Setting> settings = settings();
        try {
            AlertConfigChange.request(settings);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        MemdevSelector selector = selector(memdevs, filter);
        // the options as typed: the daemon applies the same rules to the same text
        ObjectNode body = DaemonClient.object();
        settings.forEach((w, s) -> {
            if (s.alert().isPresent() || s.threshold().isPresent()) {
                ObjectNode o = body.putObject(AlertConfigChange.name(w));
                s.alert().ifPresent(a -> o.put("alert", a));
                s.threshold().ifPresent(t -> o.put("threshold", t));
            }
        });
        Selection selection = resolve(selector);
        Outcome<String> outcome = forEach(selection.names(),
                name -> daemon().put(memdevPath(name) + "/alert-config", body));
        printChanged(selection.names(), outcome, EnumSet.of(MemdevJson.Include.ALERT_CONFIG));
        int n = outcome.succeeded().size();
        report("set alert configuration for " + n + " mem" + (n > 1 ? "s" : ""));
        return outcome.exitCode(strict, selection);
    }
}
