package io.cxlkit.cli;

import io.cxlkit.cli.FastPathTable.Entry;
import io.cxlkit.cli.FastPathTable.Kind;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The commands with a start-up target ({@link FastPathTable#COMMANDS}: {@code list},
 * {@code update-firmware}) without picocli: building picocli's model of even one command
 * (reflection over the annotations, the dynamic proxies of annotation instances, verification of
 * its Java 5 class files) costs ~40 ms, half of a {@code list} run (docs/startup.md). A command
 * line made only of plain tokens is parsed here by the table the build derived from picocli's
 * model ({@link FastPathTable}), into the same command object with the same fields set, and run
 * with the same output and exit status. Anything else is {@link #DECLINED} and picocli runs the
 * whole command line: help and version, clustered short options ({@code -Fw}), attached values
 * ({@code -Ffw.img}, {@code -m=mem0}), {@code --}, a flag with a value, a single-valued option
 * given twice, a value that starts with {@code -}, an option the table does not take, a value
 * that does not convert, and a usage error the command finds while it runs ({@link Declined};
 * commands check their options before they print or send anything).
 *
 * <p>{@code FastPathTest} parses a corpus both ways and requires the same fields, and runs
 * {@code list} both ways and requires the same bytes.
 */
final class FastPath {

    /** What {@link #run} returns when it leaves the command line to picocli. */
    static final int DECLINED = -1;

    /**
     * A usage error met without picocli ({@link CliCommand#usage}): nothing has been printed, and
     * picocli runs the command line again to say it in its words.
     */
    static final class Declined extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Declined(String message) {
            super(message, null, false, false);
        }
    }

    private FastPath() {
    }

    /**
     * Runs {@code args} without picocli, writing to {@code out} and {@code err}; its exit status,
     * or {@link #DECLINED} when picocli must run it (then nothing was written or sent).
     */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CliCommand command = parse(args);
        if (command == null) {
            return DECLINED;
        }
        command.runWithout(new CliCommand.Console(out, err, args[0]));
        try {
            return command.call();
        } catch (Declined e) {
            return DECLINED;
        } catch (Exception e) {
            return FailureHandler.report(e, out, err, args[0]);
        }
    }

    /** {@code args} as the command object picocli would have made, or null when they are not for this parser. */
    static CliCommand parse(String[] args) {
        if (args.length == 0 || !FastPathTable.COMMANDS.contains(args[0])) {
            return null;
        }
        List<Entry> table = FastPathTable.read(args[0]);
        if (table.isEmpty()) {
            return null;
        }
        try {
            return parse(args, table);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a value that does not convert, a setter that refuses: picocli says why
        }
    }

    private static CliCommand parse(String[] args, List<Entry> table) throws ReflectiveOperationException {
        Map<String, Entry> byName = new HashMap<>();
        Entry positionals = null;
        for (Entry e : table) {
            for (String name : e.names()) {
                byName.put(name, e);
            }
            if (e.kind() == Kind.POSITIONALS) {
                positionals = e;
            }
        }
        CliCommand command = (CliCommand) CxlkitCommand.subcommand(args[0]).getDeclaredConstructor().newInstance();
        Map<String, Object> owners = owners(command, table);
        // by identity: a record's own hashCode is linked through method handles at its first call,
        // milliseconds of start-up (docs/startup.md); each entry is one object here anyway
        Set<Entry> given = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Entry, List<String>> lists = new IdentityHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String token = args[i];
            if (!token.startsWith("-")) {
                if (positionals == null) {
                    return null;
                }
                lists.computeIfAbsent(positionals, e -> new ArrayList<>()).add(token);
                continue;
            }
            String name = token;
            String value = null;
            int eq = token.indexOf('=');
            if (token.startsWith("--") && eq > 2) {
                name = token.substring(0, eq);
                value = token.substring(eq + 1);
            }
            Entry e = byName.get(name);
            if (e == null || e.kind() == Kind.DECLINE) {
                return null;
            }
            if (!given.add(e) && e.kind() != Kind.VALUES) {
                return null; // given twice: picocli's rules decide
            }
            if (e.kind() == Kind.FLAG) {
                if (value != null) {
                    return null;
                }
                set(owners.get(e.mixin()), e, Boolean.TRUE);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = args[++i];
            }
            if (value.isEmpty() || value.startsWith("-")) {
                return null;
            }
            if (e.kind() == Kind.VALUES) {
                lists.computeIfAbsent(e, k -> new ArrayList<>()).add(value);
            } else {
                set(owners.get(e.mixin()), e, convert(value, e.type()));
            }
        }
        for (Map.Entry<Entry, List<String>> list : lists.entrySet()) {
            set(owners.get(list.getKey().mixin()), list.getKey(), list.getValue());
        }
        return command;
    }

    /**
     * The objects options are set on: "" the command, else each mixin field named in the table,
     * filled with a new instance as picocli fills it.
     */
    private static Map<String, Object> owners(CliCommand command, List<Entry> table) throws ReflectiveOperationException {
        Map<String, Object> owners = new HashMap<>();
        owners.put("", command);
        for (Entry e : table) {
            if (!e.mixin().isEmpty() && !owners.containsKey(e.mixin())) {
                Field f = field(command.getClass(), e.mixin());
                Object mixin = f.getType().getDeclaredConstructor().newInstance();
                f.set(command, mixin);
                owners.put(e.mixin(), mixin);
            }
        }
        return owners;
    }

    private static Object convert(String value, String type) {
        return switch (type) {
            case "String" -> value;
            case "Path" -> Path.of(value);
            case "Integer", "int" -> Integer.valueOf(value);
            default -> throw new IllegalArgumentException("no conversion to " + type);
        };
    }

    private static void set(Object owner, Entry e, Object value) throws ReflectiveOperationException {
        if (e.member().endsWith("()")) {
            String name = e.member().substring(0, e.member().length() - 2);
            for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(name) && m.getParameterCount() == 1) {
                        m.setAccessible(true);
                        try {
                            m.invoke(owner, value);
                        } catch (InvocationTargetException ex) {
                            throw new IllegalArgumentException("refused", ex); // e.g. a bad --state-dir
                        }
                        return;
                    }
                }
            }
            throw new NoSuchMethodException(name);
        }
        field(owner.getClass(), e.member()).set(owner, value);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // a superclass may declare it
            }
        }
        throw new NoSuchFieldException(name);
    }
}
