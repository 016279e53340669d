package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shell completion completes the values of options that take one of a fixed set of words: the
 * script {@code generate-completion} writes lists them for the right command and option, bash
 * offers them, and every word offered is one the command accepts. (serve's words are checked
 * against serve in {@code serve.ServeCompletionChoicesTest}.)
 */
class CompletionChoicesTest {

    @TempDir
    static Path dir;

    private static Path script;

    @BeforeAll
    static void generate() throws IOException {
        Cli.Run r = Cli.run("generate-completion");
        assertThat(r.exit()).isZero();
        script = Files.writeString(dir.resolve("cxlkit-completion.bash"), r.out());
    }

    static Stream<Arguments> choices() {
        return Stream.of(
                Arguments.of("serve", "--timing", List.of("instant", "realistic", "qemu")),
                Arguments.of("serve", "--fw-verify", List.of("none", "package", "signed")),
                Arguments.of("serve", "--online-activate", List.of("true", "false")),
                Arguments.of("serve", "--log-level", List.of("error", "warn", "info", "debug")),
                Arguments.of("inject", "--activation-fail", List.of("rollback", "cold-reset")),
                Arguments.of("inject", "--cci", List.of("mailbox", "mctp", "any")),
                Arguments.of("inject", "--media-status", List.of("normal", "not-ready", "persistence-lost", "data-lost",
                        "powerloss-persistence-loss", "shutdown-persistence-loss", "persistence-loss-imminent",
                        "powerloss-data-loss", "shutdown-data-loss", "data-loss-imminent")),
                Arguments.of("cci transfer-fw", "--action", List.of("full", "initiate", "continue", "end", "abort")),
                Arguments.of("cci activate-fw", "--action", List.of("online", "reset")),
                Arguments.of("set-alert-config", "--life-used-alert", List.of("on", "off")),
                Arguments.of("set-alert-config", "--pmem-err-alert", List.of("on", "off")),
                Arguments.of("set-partition", "--type", List.of("pmem", "ram", "volatile")));
    }

    @ParameterizedTest
    @MethodSource("choices")
    void theScriptListsTheWordsForTheOption(String command, String option, List<String> words) throws IOException {
        String function = function(Files.readString(script), command);

        assertThat(function).containsPattern("local \\w+_option_args=\\(\"" + String.join("\" \"", words)
                + "\"\\) # " + option + " values\n");
        assertThat(function).containsPattern("'" + option + "'\\)\n.*\n\\s+COMPREPLY=\\( \\$\\( compReplyArray");
    }

    @ParameterizedTest
    @MethodSource("choices")
    void bashOffersTheWords(String command, String option, List<String> words) throws Exception {
        List<String> line = new ArrayList<>(List.of("cxlkit"));
        line.addAll(List.of(command.split(" ")));
        line.add(option);
        assertThat(complete(line, "")).containsExactlyElementsOf(words);
        assertThat(complete(line, words.get(0).substring(0, 2))).contains(words.get(0)).isSubsetOf(words);
    }

    @Test
    void helpCompletesTheCommands() throws Exception {
        assertThat(complete(List.of("cxlkit", "help"), "")).containsExactlyElementsOf(CxlkitCommand.SUBCOMMANDS);
        assertThat(complete(List.of("cxlkit", "help"), "upd")).containsExactly("update-firmware");
    }

    @Test
    void inject_everyWordIsAccepted_andOthersRefused(@TempDir Path state) throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(state.resolve("state"), 1)) {
            for (String mode : new CompletionChoices.ActivationFailModes()) {
                assertThat(d.run("inject", "mem0", "--activation-fail", mode).exit()).as(mode).isZero();
            }
            for (String cci : new CompletionChoices.FaultCcis()) {
                assertThat(d.run("inject", "mem0", "--fail-opcode", "0201h", "--rc", "0006h", "--cci", cci).exit())
                        .as(cci).isZero();
            }
            for (String status : new CompletionChoices.MediaStatuses()) {
                assertThat(d.run("inject", "mem0", "--media-status", status).exit()).as(status).isZero();
            }
            assertThat(d.run("inject", "mem0", "--media-status", "fine").exit()).isEqualTo(2);
            assertThat(d.run("inject", "mem0", "--activation-fail", "never").exit()).isEqualTo(2);
            assertThat(d.run("inject", "mem0", "--fail-opcode", "0201h", "--rc", "0006h", "--cci", "pcie").exit())
                    .isEqualTo(2);
        }
    }

    @Test
    void cci_everyActionIsAccepted_andOthersRefused() {
        // port 1 refuses the connection: an accepted action gets that far (exit 1), a refused one is exit 2
        String[] target = {"--connect", "tcp:127.0.0.1:1", "--eid", "8", "--state-dir",
            dir.resolve("no-daemon").toString()};
        for (String action : new CompletionChoices.TransferFwActions()) {
            Cli.Run r = Cli.run(concat(new String[] {"cci", "transfer-fw", "--action", action}, target));
            assertThat(r.exit()).as(action + ": " + r.err()).isEqualTo(1);
        }
        for (String action : new CompletionChoices.ActivateFwActions()) {
            Cli.Run r = Cli.run(concat(new String[] {"cci", "activate-fw", "--slot", "2", "--action", action}, target));
            assertThat(r.exit()).as(action + ": " + r.err()).isEqualTo(1);
        }
        assertThat(Cli.run(concat(new String[] {"cci", "transfer-fw", "--action", "resume"}, target)).exit())
                .isEqualTo(2);
        assertThat(Cli.run(concat(new String[] {"cci", "activate-fw", "--slot", "2", "--action", "now"}, target))
                .exit()).isEqualTo(2);
    }

    @Test
    void setAlertConfigAndSetPartition_everyWordIsAccepted_andOthersRefused() {
        String nowhere = dir.resolve("no-daemon").toString();
        for (String action : new CompletionChoices.AlertActions()) {
            String[] args = action.equals("on") ? new String[] {"--life-used-alert", "on", "-L", "10"}
                    : new String[] {"--life-used-alert", "off"};
            Cli.Run r = Cli.run(concat(concat(new String[] {"set-alert-config", "mem0"}, args),
                    new String[] {"--state-dir", nowhere}));
            assertThat(r.exit()).as(action + ": " + r.err()).isEqualTo(1); // as far as the (missing) daemon
        }
        assertThat(Cli.run("set-alert-config", "mem0", "--life-used-alert", "maybe", "--state-dir", nowhere).exit())
                .isEqualTo(2);
        for (String type : new CompletionChoices.PartitionTypes()) {
            Cli.Run r = Cli.run("set-partition", "mem0", "-t", type, "--state-dir", nowhere);
            assertThat(r.exit()).as(type + ": " + r.err()).isEqualTo(1);
        }
        assertThat(Cli.run("set-partition", "mem0", "-t", "disk", "--state-dir", nowhere).exit()).isEqualTo(2);
    }

    @Test
    void theWordsDoNotChangeHelpOrValidationMessages() {
        assertThat(Cli.run("serve", "--help").out()).contains("instant, realistic or qemu (default realistic).")
                .doesNotContain("COMPLETION-CANDIDATES");
        assertThat(Cli.run("inject", "mem0", "--activation-fail", "never").errLines()).containsExactly(
                "cxlkit: inject: --activation-fail takes rollback or cold-reset, not 'never' (try 'cxlkit inject --help')");
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** The body of the script's completion function for {@code command} (e.g. {@code cci transfer-fw}). */
    private static String function(String text, String command) {
        String header = "function _picocli_cxlkit_" + command.replace(' ', '_').replace("-", "") + "() {\n";
        int start = text.indexOf(header);
        assertThat(start).as(header).isNotNegative();
        return text.substring(start, text.indexOf("\n}\n", start) + 3);
    }

    /** What bash's completion offers after {@code line} for a last word {@code current}. */
    private static List<String> complete(List<String> line, String current) throws Exception {
        List<String> words = new ArrayList<>(line);
        words.add(current);
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append('\'').append(w).append("' ");
        }
        String prog = "source " + script + " 2>/dev/null\n"
                + "COMP_WORDS=(" + array + ")\n"
                + "COMP_CWORD=" + (words.size() - 1) + "\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n"
                + "_complete_cxlkit cxlkit '" + current + "' '" + line.get(line.size() - 1) + "' 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", prog).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(s -> !s.isEmpty()).toList();
    }
}
