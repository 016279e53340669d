package io.cxlkit.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MEMDEV arguments of a command, as ndctl's {@code util_cxl_memdev_filter} reads them: each
 * is {@code all}, {@code memN} or {@code N} (matching the memdev with id N, so {@code 7},
 * {@code mem7} and {@code mem007} are the same device), or else a memdev name; one argument may
 * hold several, separated by spaces or commas. A memdev is selected when any of them matches it.
 */
public final class MemdevSelector {

    private static final Pattern ID = Pattern.compile("(?:mem)?([0-9]{1,9})");
    private static final Pattern NAME_ID = Pattern.compile("mem([0-9]{1,9})");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

    private final List<String> tokens;

    private MemdevSelector(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException if there is none or one is empty (a usage error)
     */
    public static MemdevSelector parse(List<String> args) {
        List<String> tokens = new ArrayList<>();
        for (String arg : args) {
            String trimmed = arg.strip();
            if (trimmed.isEmpty() || trimmed.replace(",", "").isBlank()) {
                throw new IllegalArgumentException("empty MEMDEV (memN, N or all)");
            }
            for (String t : SEPARATORS.split(trimmed)) {
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("missing MEMDEV (memN, N or all)");
        }
        return new MemdevSelector(tokens);
    }

    /** The individual selectors, in the order given. */
    public List<String> tokens() {
        return tokens;
    }

    public boolean selectsAll() {
        return tokens.contains("all");
    }

    /** True if the selector names exactly one memdev (no {@code all}, one token). */
    public boolean single() {
        return tokens.size() == 1 && !selectsAll();
    }

    /** True if {@code token} selects the memdev called {@code name}. */
    public static boolean matches(String token, String name) {
        if (token.equals("all") || token.equals(name)) {
            return true;
        }
        Matcher t = ID.matcher(token);
        Matcher n = NAME_ID.matcher(name);
        return t.matches() && n.matches() && Integer.parseInt(t.group(1)) == Integer.parseInt(n.group(1));
    }

    public boolean matches(String name) {
        return tokens.stream().anyMatch(t -> matches(t, name));
    }

    /** The items whose name any selector matches, in the items' order, each once. */
    public <T> List<T> select(List<T> items, Function<T, String> name) {
        return items.stream().filter(i -> matches(name.apply(i))).toList();
    }

    /** The selectors that match none of {@code names}, each once, in the order given. */
    public List<String> unmatched(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tokens) {
            if (names.stream().noneMatch(n -> matches(t, n))) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return String.join(" ", tokens);
    }
}
