package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@link Main#commandLine(String...)} registers only the subcommand being run: that must not
 * change anything a user sees, so each of these runs prints the same, byte for byte, and exits
 * the same as with every subcommand registered ({@link Main#commandLine()}).
 */
class LazySubcommandsTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Stream<String> commandLines() {
        // not serve or demo alone: they would start a daemon
        Stream<String> each = CxlkitCommand.SUBCOMMANDS.stream().flatMap(name -> Stream.of(
                name.equals("serve") || name.equals("demo") ? "--version" : name, name + " --help", name + " -h",
                name + " --version", name + " --bogus", name + " bogus",
                name + " list", name + " serve"));
        Stream<String> more = Stream.of("", "--help", "--version", "-hV", "--bogus", "lst", "help", "@/nonexistent",
                "list -F --state-dir /nonexistent/cxlkit", "list -m bad! --state-dir /nonexistent/cxlkit",
                "list --state-dir", "list -- -F", "list -F -F", "fw pack --help", "fw bogus", "fw read-slot",
                "cci identify --help", "cci raw", "cci identify --connect nowhere --eid 1", "serve --devices x",
                "update-firmware", "inject mem0", "activate-firmware mem0 --slot 9", "demo --bogus",
                "generate-completion");
        return Stream.concat(each, more);
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void sameAsWithEverySubcommand(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        Run all = run(Main.commandLine(), args);
        Run lazy = run(Main.commandLine(args), args);
        assertThat(lazy).isEqualTo(all);
    }

    @Test
    void onlyTheCommandRunIsRegistered() {
        assertThat(Main.commandLine("list", "-F").getSubcommands()).containsOnlyKeys("list");
        assertThat(Main.commandLine("--help").getSubcommands().keySet()).containsExactlyElementsOf(
                CxlkitCommand.SUBCOMMANDS);
        assertThat(Main.commandLine("generate-completion").getSubcommands()).hasSize(CxlkitCommand.SUBCOMMANDS.size());
        assertThat(Main.commandLine("lst").getSubcommands()).hasSize(CxlkitCommand.SUBCOMMANDS.size());
    }

    @Test
    void eachNameIsItsClassesCommandName() {
        for (String name : CxlkitCommand.SUBCOMMANDS) {
            assertThat(CxlkitCommand.subcommand(name).getAnnotation(Command.class).name()).isEqualTo(name);
        }
        assertThat(CxlkitCommand.subcommand("bogus")).isNull();
        assertThat(CxlkitCommand.NEED_ALL).isSubsetOf(CxlkitCommand.SUBCOMMANDS);
        assertThat(List.copyOf(CxlkitCommand.SUBCOMMANDS)).doesNotHaveDuplicates();
    }
}
