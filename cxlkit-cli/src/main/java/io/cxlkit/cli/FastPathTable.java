package io.cxlkit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The options of the commands {@link FastPath} runs, derived from picocli's model of their
 * annotations, so that the annotations stay the one definition: the build runs {@link #main} after
 * compiling (cxlkit-cli/pom.xml, phase process-classes) and writes {@value #RESOURCE} among the
 * classes; the fast path reads it at run time instead of building picocli's model.
 *
 * <p>One line per option, tab-separated: the command, the kind, the option's names (comma-separated;
 * {@code -} for the positional parameters), the mixin field that holds it ({@code -}: the command
 * itself), the field or setter method it sets, and the type of its values. Kinds: {@code flag} (a
 * boolean without a value), {@code value} (one value), {@code values} (repeatable, a list),
 * {@code positionals} (a list of the plain words), {@code decline} (help, version, or a type the
 * fast path does not convert: a command line that gives it goes to picocli).
 */
public final class FastPathTable {

    /** The commands with a fast path: those whose start-up time has a target (docs/startup.md). */
    static final List<String> COMMANDS = List.of("list", "update-firmware");

    /** The table's name among the classes, next to this class. */
    static final String RESOURCE = "fast-path.tsv";

    /** The value types the fast path converts itself (as picocli does: {@code Path.of}, {@code Integer.valueOf}). */
    static final Set<String> TYPES = Set.of("boolean", "String", "Path", "Integer", "int");

    enum Kind { FLAG, VALUE, VALUES, POSITIONALS, DECLINE }

    /** One option (or the positional parameters) of one command. */
    record Entry(String command, Kind kind, List<String> names, String mixin, String member, String type) {

        String line() {
            return String.join("\t", command, kind.name().toLowerCase(java.util.Locale.ROOT),
                    names.isEmpty() ? "-" : String.join(",", names), mixin.isEmpty() ? "-" : mixin, member, type);
        }

        static Entry parse(String line) {
            String[] f = line.split("\t");
            if (f.length != 6) {
                throw new IllegalArgumentException("bad " + RESOURCE + " line: " + line);
            }
            return new Entry(f[0], Kind.valueOf(f[1].toUpperCase(java.util.Locale.ROOT)),
                    f[2].equals("-") ? List.of() : Arrays.asList(f[2].split(",")), f[3].equals("-") ? "" : f[3],
                    f[4], f[5]);
        }
    }

    private FastPathTable() {
    }

    /** Writes the table into {@code args[0]} (a directory, created if need be). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: FastPathTable DIR");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RESOURCE), text(derive()), StandardCharsets.UTF_8);
    }

    /** The table as picocli sees the commands now. */
    static List<Entry> derive() {
        List<Entry> all = new ArrayList<>();
        for (String command : COMMANDS) {
            CommandSpec spec = Main.commandLine(command).getSubcommands().get(command).getCommandSpec();
            for (OptionSpec o : spec.options()) {
                all.add(entry(command, spec, o, Arrays.asList(o.names())));
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                all.add(entry(command, spec, p, List.of()));
            }
        }
        return all;
    }

    private static Entry entry(String command, CommandSpec spec, ArgSpec arg, List<String> names) {
        Object target = arg.userObject();
        if (!(target instanceof Field) && !(target instanceof Method)) {
            return new Entry(command, Kind.DECLINE, names, "", "-", "-");
        }
        Member member = (Member) target;
        String memberName = member instanceof Method ? member.getName() + "()" : member.getName();
        String mixin = mixinField(spec.userObject().getClass(), member.getDeclaringClass());
        String type = arg.isMultiValue() ? simpleName(arg.auxiliaryTypes()[0]) : simpleName(arg.type());
        boolean converted = TYPES.contains(type) && arg.converters().length == 0
                && (!(member instanceof Method m) || m.getParameterCount() == 1);
        Kind kind;
        if (arg.isOption() && (((OptionSpec) arg).usageHelp() || ((OptionSpec) arg).versionHelp()) || !converted
                || mixin == null) {
            kind = Kind.DECLINE;
        } else if (!arg.isOption()) {
            kind = arg.isMultiValue() ? Kind.POSITIONALS : Kind.DECLINE;
        } else if (arg.arity().max() == 0) {
            kind = type.equals("boolean") && !arg.isMultiValue() ? Kind.FLAG : Kind.DECLINE;
        } else if (arg.arity().min() != 1 || arg.arity().max() != 1) {
            kind = Kind.DECLINE;
        } else {
            kind = arg.isMultiValue() ? Kind.VALUES : Kind.VALUE;
        }
        return new Entry(command, kind, names, mixin == null ? "" : mixin, memberName, type);
    }

    /**
     * The name of the {@code @Mixin} field of {@code command} (or a superclass) whose type declares
     * {@code declaring}; "" when the command's own class hierarchy declares it; null if neither.
     */
    private static String mixinField(Class<?> command, Class<?> declaring) {
        for (Class<?> c = command; c != null; c = c.getSuperclass()) {
            if (c == declaring) {
                return "";
            }
        }
        for (Class<?> c = command; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (isMixin(f) && f.getType() == declaring) {
                    return f.getName();
                }
            }
        }
        return null;
    }

    private static boolean isMixin(AnnotatedElement e) {
        return e.isAnnotationPresent(Mixin.class);
    }

    private static String simpleName(Class<?> type) {
        return type.getSimpleName();
    }

    static String text(List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            b.append(e.line()).append('\n');
        }
        return b.toString();
    }

    /** The table the build wrote, for {@code command}; empty when there is none (then nothing is fast). */
    static List<Entry> read(String command) {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = FastPathTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return entries;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(command + "\t")) {
                    entries.add(Entry.parse(line));
                }
            }
        } catch (IOException | RuntimeException e) {
            entries.clear(); // an unreadable table only means picocli parses
        }
        return entries;
    }
}
