package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The manual pages: one per command, made by the build (target/man/man1 and the jar's copy) and
 * the same as {@link ManPage} renders now, each listing exactly the options, arguments and
 * subcommands of the command's {@code --help}, in its order; valid troff.
 */
class ManPagesTest {

    /** Where the build writes the pages for MANPATH (surefire runs in the module's directory). */
    private static final Path MAN1 = Path.of("target", "man", "man1");

    static Stream<CommandSpec> commands() {
        return ManPages.commands(Main.commandLine()).stream();
    }

    /** {@link #commands()}, each named after its page in the test report. */
    static Stream<Named<CommandSpec>> pages() {
        return commands().map(spec -> Named.of(ManPage.name(spec), spec));
    }

    @Test
    void everyCommandHasAPageNamedAfterIt() {
        List<String> names = commands().map(ManPage::name).toList();

        assertThat(names).contains("cxlkit", "cxlkit-serve", "cxlkit-stop", "cxlkit-list", "cxlkit-update-firmware",
                "cxlkit-activate-firmware", "cxlkit-reset", "cxlkit-fw", "cxlkit-fw-pack", "cxlkit-fw-inspect",
                "cxlkit-fw-keygen", "cxlkit-fw-read-slot", "cxlkit-inject", "cxlkit-cci", "cxlkit-cci-get-fw-info",
                "cxlkit-cci-transfer-fw", "cxlkit-cci-raw", "cxlkit-demo", "cxlkit-generate-completion",
                "cxlkit-help", "cxlkit-version", "cxlkit-read-labels", "cxlkit-write-labels", "cxlkit-zero-labels",
                "cxlkit-set-alert-config", "cxlkit-set-partition", "cxlkit-sanitize-memdev",
                "cxlkit-wait-sanitize", "cxlkit-poison");
        // the tree: every top-level command and every subcommand of fw and cci
        int expected = 1 + CxlkitCommand.SUBCOMMANDS.size()
                + Main.commandLine().getSubcommands().get("fw").getSubcommands().size()
                + Main.commandLine().getSubcommands().get("cci").getSubcommands().size();
        assertThat(names).hasSize(expected).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @MethodSource("pages")
    void theBuildWroteTheCurrentPageForManpathAndIntoTheJar(CommandSpec spec) throws IOException {
        String page = ManPage.render(spec, VersionProvider.version());

        assertThat(MAN1.resolve(ManPages.fileName(spec))).content(StandardCharsets.UTF_8).isEqualTo(page);
        try (InputStream in = ManPages.class.getResourceAsStream(ManPages.RESOURCE_DIR + ManPages.fileName(spec))) {
            assertThat(in).as("the page among the classes").isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(page);
        }
        assertThat(ManPages.page(spec)).isEqualTo(page);
    }

    @ParameterizedTest
    @MethodSource("pages")
    void eachPageListsTheOptionsOfHelpInItsOrder(CommandSpec spec) {
        String page = ManPage.render(spec, "1.0");
        String help = help(spec);

        assertThat(section(page, "OPTIONS").stream().map(ManPagesTest::optionNamesOfItem).toList())
                .isEqualTo(helpOptionNames(help)).isNotEmpty();
        assertThat(section(page, "ARGUMENTS")).isEqualTo(spec.positionalParameters().stream()
                .filter(p -> !p.hidden()).map(p -> "\\fI" + ManPage.escape(label(help, p.paramLabel())) + "\\fR")
                .toList());
        assertThat(section(page, "COMMANDS")).isEqualTo(ManPage.subcommands(spec).stream()
                .map(c -> "\\fB" + ManPage.escape(c.getCommandSpec().name()) + "\\fR").toList());
        String synopsis = help.substring("Usage: ".length(), help.indexOf('\n', help.indexOf("Usage: ")) + 1);
        assertThat(page).contains(".SH SYNOPSIS\n\\fB" + ManPage.escape(spec.qualifiedName(" ")) + "\\fR"
                + ManPage.escape(synopsis.strip().substring(spec.qualifiedName(" ").length())));
    }

    @Test
    void hiddenOptionsStayHidden() {
        CommandSpec demo = Main.commandLine().getSubcommands().get("demo").getCommandSpec();

        assertThat(demo.findOption("--tmp").hidden()).isTrue();
        assertThat(ManPage.render(demo, "1.0")).doesNotContain("tmp");
    }

    /** A made-up command, so that the layout is pinned whatever the real commands' options become. */
    @Command(name = "probe", description = {"Probe a thing.", "", "Second paragraph.", "  probe --deep ."},
            subcommands = ProbeChild.class)
    static final class Probe {
        @Option(names = {"--deep", "-d"}, paramLabel = "LEVEL", description = "how deep, e.g. 3")
        int deep;

        @Option(names = "--dry-run", description = "say it, don't do it")
        boolean dryRun;

        @Option(names = "--secret", hidden = true)
        boolean secret;

        @Parameters(paramLabel = "THING", arity = "0..*", description = ".hidden files too; \\ and é")
        List<String> things;
    }

    @Command(name = "child", description = "The child.")
    static final class ProbeChild {
    }

    @Test
    void theLayoutIsPlainManMacros() {
        CommandLine top = new CommandLine(new Top());
        top.addSubcommand("probe", new CommandLine(new Probe()));
        CommandSpec probe = top.getSubcommands().get("probe").getCommandSpec();

        assertThat(ManPage.render(probe, "1.2-X")).isEqualTo("""
                .\\" Made by cxlkit's ManPages from the definitions behind 'cxlkit probe --help'; do not edit.
                .TH "CXLKIT\\-PROBE" "1" "" "cxlkit 1.2\\-X" "cxlkit Manual"
                .nh
                .ad l
                .SH NAME
                cxlkit\\-probe \\- Probe a thing.
                .SH SYNOPSIS
                \\fBcxlkit probe\\fR [\\-\\-dry\\-run] [\\-d=LEVEL] [THING...] [COMMAND]
                .SH DESCRIPTION
                Probe a thing.
                .PP
                Second paragraph.
                .nf
                  probe \\-\\-deep .
                .fi
                .SH ARGUMENTS
                .TP
                \\fI[THING...]\\fR
                \\&.hidden files too; \\e and \\[u00E9]
                .SH OPTIONS
                .TP
                \\fB\\-d\\fR, \\fB\\-\\-deep\\fR=\\fILEVEL\\fR
                how deep, e.g. 3
                .TP
                \\fB\\-\\-dry\\-run\\fR
                say it, don't do it
                .SH COMMANDS
                .TP
                \\fBchild\\fR
                The child.
                See \\fBcxlkit\\-probe\\-child\\fR(1).
                .SH SEE ALSO
                \\fBcxlkit\\fR(1),
                \\fBcxlkit\\-probe\\-child\\fR(1)
                """);
    }

    @Command(name = "cxlkit")
    static final class Top {
    }

    @Test
    void escapingKeepsTextLiteral() {
        assertThat(ManPage.escape(".start")).isEqualTo("\\&.start");
        assertThat(ManPage.escape("'quote")).isEqualTo("\\&'quote");
        assertThat(ManPage.escape("a.b 'c'")).isEqualTo("a.b 'c'");
        assertThat(ManPage.escape("--x \\n")).isEqualTo("\\-\\-x \\en");
        assertThat(ManPage.escape("x—y")).isEqualTo("x\\[u2014]y");
    }

    /** groff, as man runs it, reads every page without a warning. */
    @Test
    void groffReadsEveryPageWithoutAWarning(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("groff"), "groff is not installed");
        List<String> problems = new ArrayList<>();
        for (CommandSpec spec : commands().toList()) {
            Path file = Files.writeString(dir.resolve(ManPages.fileName(spec)), ManPage.render(spec, "1.0"));
            Process p = new ProcessBuilder("groff", "-man", "-ww", "-z", "-Tutf8", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            if (p.exitValue() != 0 || !out.isEmpty()) {
                problems.add(file.getFileName() + ": exit " + p.exitValue() + ": " + out);
            }
        }
        assertThat(problems).isEmpty();
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String help(CommandSpec spec) {
        StringWriter out = new StringWriter();
        spec.commandLine().usage(new PrintWriter(out, true), CommandLine.Help.Ansi.OFF);
        return out.toString();
    }

    /** The first lines of the items (.TP) of a section of a page. */
    private static List<String> section(String page, String name) {
        List<String> items = new ArrayList<>();
        int start = page.indexOf(".SH " + name + "\n");
        if (start < 0) {
            return items;
        }
        int end = page.indexOf("\n.SH ", start + 1);
        String[] lines = page.substring(start, end < 0 ? page.length() : end).split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].equals(".TP")) {
                items.add(lines[i + 1]);
            }
        }
        return items;
    }

    private static final Pattern PAGE_NAME = Pattern.compile("\\\\fB((?:\\\\-|[^\\\\])+)\\\\fR");

    /** The option names of an OPTIONS item, as typed: {@code -F --firmware-file}. */
    private static String optionNamesOfItem(String item) {
        List<String> names = new ArrayList<>();
        Matcher m = PAGE_NAME.matcher(item);
        while (m.find()) {
            names.add(m.group(1).replace("\\-", "-"));
        }
        return String.join(" ", names);
    }

    private static final Pattern HELP_NAME = Pattern.compile("(?<![\\w-])(-{1,2}[\\w?][\\w-]*)");

    /**
     * The option names of {@code --help}'s option list, one entry per option: its lines that start
     * with an option in the names column ({@code "  -F, --firmware-file=FILE  ..."} or
     * {@code "      --cci=ADDR  ..."}); a description's continuation lines start further right.
     */
    private static List<String> helpOptionNames(String help) {
        List<String> options = new ArrayList<>();
        for (String line : help.split("\n")) {
            if (line.matches("  -\\S.*") || line.matches(" {6}--\\S.*")) {
                String column = line.strip().split("\\s{2,}|(?<=\\S)\\s(?=[a-zA-Z(])", 2)[0];
                List<String> names = new ArrayList<>();
                Matcher m = HELP_NAME.matcher(column.replaceAll("=\\S*", ""));
                while (m.find()) {
                    names.add(m.group(1));
                }
                options.add(String.join(" ", names));
            }
        }
        return options;
    }

    /** {@code --help}'s label of a positional parameter: as it lists it, with brackets and dots. */
    private static String label(String help, String paramLabel) {
        Matcher m = Pattern.compile("^ {6}(\\S*" + Pattern.quote(paramLabel) + "\\S*)", Pattern.MULTILINE)
                .matcher(help);
        assertThat(m.find()).as("--help lists " + paramLabel).isTrue();
        return m.group(1);
    }
}
