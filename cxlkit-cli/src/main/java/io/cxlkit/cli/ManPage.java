package io.cxlkit.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The manual page of one command, in troff with the man(7) macros, made from the same picocli
 * definitions as its {@code --help}: the synopsis as {@code --help} prints it (unwrapped), the
 * description and footer, the positional parameters (ARGUMENTS), the options in {@code --help}'s order with
 * picocli's labels (OPTIONS), the subcommands (COMMANDS) and the related pages (SEE ALSO). It
 * says nothing {@code --help} does not, so the two cannot disagree. {@link ManPages} writes one
 * for every command at build time; {@code cxlkit help COMMAND} shows it.
 */
final class ManPage {

    private ManPage() {
    }

    /** The page's name: the command's words joined by {@code -}, e.g. {@code cxlkit-fw-pack}. */
    static String name(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    /** The page of {@code spec}, for cxlkit version {@code version}. */
    static String render(CommandSpec spec, String version) {
        Help help = new Help(spec, Help.defaultColorScheme(Ansi.OFF));
        String name = name(spec);
        StringBuilder t = new StringBuilder();
        t.append(".\\\" Made by cxlkit's ManPages from the definitions behind 'cxlkit ")
                .append(spec.qualifiedName(" ").substring("cxlkit".length()).trim())
                .append(" --help'; do not edit.\n");
        t.append(".TH \"").append(escape(name.toUpperCase(java.util.Locale.ROOT))).append("\" \"1\" \"\" \"cxlkit ")
                .append(escape(version)).append("\" \"cxlkit Manual\"\n");
        // no hyphenation and ragged right: option names must not be split or stretched
        t.append(".nh\n.ad l\n");

        String[] description = spec.usageMessage().description();
        t.append(".SH NAME\n").append(escape(name)).append(" \\- ")
                .append(escape(description.length == 0 ? "" : firstLine(description[0]))).append('\n');

        t.append(".SH SYNOPSIS\n");
        String synopsis = help.synopsis(0).strip().replaceAll("\\s+", " ");
        String command = spec.qualifiedName(" ");
        t.append("\\fB").append(escape(command)).append("\\fR");
        if (synopsis.length() > command.length()) {
            t.append(escape(synopsis.substring(command.length())));
        }
        t.append('\n');

        String[] footer = spec.usageMessage().footer();
        if (description.length + footer.length > 0) {
            t.append(".SH DESCRIPTION\n");
            paragraphs(t, description, ".PP");
            if (footer.length > 0) {
                t.append(".PP\n");
                paragraphs(t, footer, ".PP");
            }
        }

        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!positionals.isEmpty()) {
            t.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : positionals) {
                t.append(".TP\n\\fI").append(escape(label(help, p))).append("\\fR\n");
                paragraphs(t, p.description(), ".IP");
            }
        }

        List<OptionSpec> options = options(spec);
        if (!options.isEmpty()) {
            t.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                t.append(".TP\n").append(Arrays.stream(optionNames(o)).map(n -> "\\fB" + escape(n) + "\\fR")
                        .collect(Collectors.joining(", ")));
                String label = label(help, o);
                if (!label.isEmpty()) {
                    t.append(escape(label.substring(0, 1))).append("\\fI").append(escape(label.substring(1)))
                            .append("\\fR");
                }
                t.append('\n');
                paragraphs(t, o.description(), ".IP");
            }
        }

        List<CommandLine> subcommands = subcommands(spec);
        if (!subcommands.isEmpty()) {
            t.append(".SH COMMANDS\n");
            for (CommandLine sub : subcommands) {
                CommandSpec s = sub.getCommandSpec();
                t.append(".TP\n\\fB").append(escape(s.name())).append("\\fR\n");
                paragraphs(t, s.usageMessage().description(), ".IP");
                t.append("See \\fB").append(escape(name(s))).append("\\fR(1).\n");
            }
        }

        List<String> related = new ArrayList<>();
        if (spec.parent() != null) {
            related.add(name(spec.parent()));
        }
        subcommands.forEach(sub -> related.add(name(sub.getCommandSpec())));
        if (!related.isEmpty()) {
            t.append(".SH SEE ALSO\n");
            t.append(related.stream().map(r -> "\\fB" + escape(r) + "\\fR(1)").collect(Collectors.joining(",\n")))
                    .append('\n');
        }
        return t.toString();
    }

    /** The visible options in the order {@code --help} lists them. */
    static List<OptionSpec> options(CommandSpec spec) {
        List<OptionSpec> visible = new ArrayList<>(spec.options().stream().filter(o -> !o.hidden()).toList());
        visible.sort(new Help(spec, Help.defaultColorScheme(Ansi.OFF)).createDefaultOptionSort());
        return visible;
    }

    /** An option's names as {@code --help} shows them: the shortest first. */
    static String[] optionNames(OptionSpec o) {
        String[] names = o.names().clone();
        Arrays.sort(names, Help.shortestFirst());
        return names;
    }

    /** Each subcommand once (aliases are further keys of the same command), in declaration order. */
    static List<CommandLine> subcommands(CommandSpec spec) {
        Map<CommandLine, Boolean> seen = new IdentityHashMap<>();
        List<CommandLine> out = new ArrayList<>();
        for (CommandLine sub : spec.subcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden() && seen.put(sub, Boolean.TRUE) == null) {
                out.add(sub);
            }
        }
        return out;
    }

    /** picocli's label of an argument: {@code =FILE} for an option, {@code [MEMDEV...]} for a positional. */
    private static String label(Help help, ArgSpec arg) {
        return help.parameterLabelRenderer().renderParameterLabel(arg, Ansi.OFF, List.of()).toString();
    }

    /**
     * Description lines as troff text: an empty line starts a new paragraph ({@code paragraph}:
     * {@code .PP} in a section, {@code .IP} inside an item, to keep its indent), a line that starts
     * with blanks (an example command) is kept as it is.
     */
    private static void paragraphs(StringBuilder t, String[] description, String paragraph) {
        List<String> lines = new ArrayList<>();
        for (String d : description) {
            lines.addAll(Arrays.asList(d.replace("%n", "\n").replace("%%", "%").split("\n", -1)));
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        boolean started = false;
        for (String line : lines) {
            if (line.isBlank()) {
                if (started) {
                    t.append(paragraph).append('\n');
                }
            } else if (Character.isWhitespace(line.charAt(0))) {
                t.append(".nf\n").append(escape(line.stripTrailing())).append("\n.fi\n");
                started = true;
            } else {
                t.append(escape(line.strip())).append('\n');
                started = true;
            }
        }
    }

    private static String firstLine(String text) {
        return text.replace("%n", "\n").split("\n", 2)[0].strip();
    }

    /**
     * Text as troff reads it literally: backslashes and minus signs escaped (so options print as
     * typed and can be copied), a leading dot or quote protected, anything outside ASCII as a
     * Unicode escape.
     */
    static String escape(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\') {
                b.append("\\e");
            } else if (c == '-') {
                b.append("\\-");
            } else if (c == '\'' || c == '.') {
                b.append(b.isEmpty() ? "\\&" : "").appendCodePoint(c);
            } else if (c > 126) {
                b.append(String.format("\\[u%04X]", c));
            } else {
                b.appendCodePoint(c);
            }
        }
        return b.toString();
    }
}
