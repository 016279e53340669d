package io.cxlkit.cli;

import io.cxlkit.host.json.MemdevView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which memdevs a command's MEMDEV arguments (or {@code list -m}/{@code -s}) select, as ndctl's
 * {@code util_cxl_memdev_filter} reads them. One argument may hold several words, separated by
 * spaces or commas; a memdev is selected when any word matches it.
 *
 * <ul>
 *   <li>By name (the default): a word is {@code all}, {@code memN} or {@code N} (the memdev with
 *       id N, so {@code 7}, {@code mem7} and {@code mem007} are the same device), the memdev's name
 *       (a config file may give other names) or its host (PCI address, e.g. {@code 0000:0d:00.0}).</li>
 *   <li>By serial ({@link #parseSerials}, ndctl's {@code -S} / {@code list -s}): a word is a
 *       serial number as C's {@code strtoull(s, &end, 0)} reads a whole word: decimal,
 *       {@code 0x} hex or {@code 0} octal.</li>
 * </ul>
 *
 * <p>{@link #onBus} adds ndctl's {@code -b/--bus} filter ({@link CxlBus}): a memdev is selected
 * only if its bus matches too.
 */
public final class MemdevSelector {

    private static final Pattern ID = Pattern.compile("(?:mem)?([0-9]{1,9})");
    private static final Pattern NAME_ID = Pattern.compile("mem([0-9]{1,9})");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");
    private static final Pattern HEX = Pattern.compile("0[xX]([0-9a-fA-F]+)");
    private static final Pattern OCTAL = Pattern.compile("0([0-7]*)");
    private static final Pattern DECIMAL = Pattern.compile("[1-9][0-9]*");

    private final List<String> tokens;
    /** The serial of each token when selecting by serial; empty when selecting by name. */
    private final Optional<List<Long>> serials;
    /** The {@code -b} filter, if any. */
    private final Optional<String> bus;

    private MemdevSelector(List<String> tokens, Optional<List<Long>> serials, Optional<String> bus) {
        this.tokens = List.copyOf(tokens);
        this.serials = serials.map(List::copyOf);
        this.bus = bus;
    }

    /**
     * Parses MEMDEV arguments that name memdevs.
     *
     * @throws IllegalArgumentException if there is none or one is empty (a usage error)
     */
    public static MemdevSelector parse(List<String> args) {
        return new MemdevSelector(words(args, "MEMDEV (memN, N or all)"), Optional.empty(), Optional.empty());
    }

    /**
     * Parses arguments that are serial numbers ({@code -S}, {@code list -s}).
     *
     * @throws IllegalArgumentException if there is none, one is empty or one is not a serial number
     */
    public static MemdevSelector parseSerials(List<String> args) {
        List<String> tokens = words(args, "serial number");
        List<Long> serials = new ArrayList<>();
        for (String t : tokens) {
            serials.add(serial(t).orElseThrow(() -> new IllegalArgumentException(
                    "'" + t + "' is not a valid memdev serial number (decimal, 0x hex or 0 octal)")));
        }
        return new MemdevSelector(tokens, Optional.of(serials), Optional.empty());
    }

    /**
     * The same selection limited to the memdevs on the bus {@code filter} names ({@code -b}).
     *
     * @throws IllegalArgumentException if the filter is empty
     */
    public MemdevSelector onBus(String filter) {
        CxlBus.selectedBy(filter); // checks it names something
        return new MemdevSelector(tokens, serials, Optional.of(filter));
    }

    private static List<String> words(List<String> args, String what) {
        List<String> tokens = new ArrayList<>();
        for (String arg : args) {
            String trimmed = arg.strip();
            if (trimmed.isEmpty() || trimmed.replace(",", "").isBlank()) {
                throw new IllegalArgumentException("empty " + what);
            }
            for (String t : SEPARATORS.split(trimmed)) {
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("missing " + what);
        }
        return tokens;
    }

    /** A whole word as {@code strtoull(word, &end, 0)} reads it with {@code *end == 0}; empty if it is not one. */
    static OptionalLong serial(String word) {
        Matcher hex = HEX.matcher(word);
        Matcher octal = OCTAL.matcher(word);
        try {
            if (hex.matches()) {
                return OptionalLong.of(Long.parseUnsignedLong(hex.group(1), 16));
            }
            if (octal.matches()) {
                return OptionalLong.of(octal.group(1).isEmpty() ? 0 : Long.parseUnsignedLong(octal.group(1), 8));
            }
            if (DECIMAL.matcher(word).matches()) {
                return OptionalLong.of(Long.parseUnsignedLong(word));
            }
        } catch (NumberFormatException tooLarge) {
            // above 2^64 - 1: not a serial any memdev can have
        }
        return OptionalLong.empty();
    }

    /** The individual words, in the order given. */
    public List<String> tokens() {
        return tokens;
    }

    /** True if the selector names exactly one memdev (one word, not {@code all}). */
    public boolean single() {
        return tokens.size() == 1 && (serials.isPresent() || !tokens.get(0).equals("all"));
    }

    /** True if the name word {@code token} selects the memdev called {@code name} (host aside). */
    public static boolean matches(String token, String name) {
        if (token.equals("all") || token.equals(name)) {
            return true;
        }
        Matcher t = ID.matcher(token);
        Matcher n = NAME_ID.matcher(name);
        return t.matches() && n.matches() && Integer.parseInt(t.group(1)) == Integer.parseInt(n.group(1));
    }

    private boolean matches(int token, MemdevView v) {
        if (bus.isPresent() && !CxlBus.selectedBy(bus.get())) {
            return false; // every memdev is on the one bus
        }
        if (serials.isPresent()) {
            return serials.get().get(token) == v.serial();
        }
        String t = tokens.get(token);
        return matches(t, v.name()) || t.equals(v.host());
    }

    public boolean matches(MemdevView v) {
        for (int i = 0; i < tokens.size(); i++) {
            if (matches(i, v)) {
                return true;
            }
        }
        return false;
    }

    /** The memdevs any word matches, in the given order, each once. */
    public List<MemdevView> select(List<MemdevView> memdevs) {
        return memdevs.stream().filter(this::matches).toList();
    }

    /** The words that match none of {@code memdevs}, each once, in the order given. */
    public List<String> unmatched(List<MemdevView> memdevs) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            int token = i;
            if (memdevs.stream().noneMatch(v -> matches(token, v))) {
                out.add(tokens.get(i));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return String.join(" ", tokens);
    }
}
