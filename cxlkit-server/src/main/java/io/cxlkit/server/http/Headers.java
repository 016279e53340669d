package io.cxlkit.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** HTTP header fields: names compared without case, values kept in arrival order. Not thread-safe. */
public final class Headers {

    /** Lower-case name to its field as first written, with every value. */
    private final Map<String, Field> fields = new LinkedHashMap<>();

    private static final class Field {
        final String name;
        final List<String> values = new ArrayList<>(1);

        Field(String name) {
            this.name = name;
        }
    }

    /** The first value of {@code name}, or null. */
    public String getFirst(String name) {
        Field f = fields.get(key(name));
        return f == null ? null : f.values.get(0);
    }

    /** Every value of {@code name}, in order (empty when absent). */
    public List<String> all(String name) {
        Field f = fields.get(key(name));
        return f == null ? List.of() : List.copyOf(f.values);
    }

    public boolean contains(String name) {
        return fields.containsKey(key(name));
    }

    public void add(String name, String value) {
        fields.computeIfAbsent(key(name), k -> new Field(name)).values.add(value);
    }

    /** Replaces every value of {@code name} with {@code value}. */
    public void set(String name, String value) {
        Field f = new Field(name);
        f.values.add(value);
        fields.put(key(name), f);
    }

    /** Writes the fields as header lines, {@code Name: value\r\n} each. */
    void appendTo(StringBuilder out) {
        for (Field f : fields.values()) {
            for (String v : f.values) {
                out.append(f.name).append(": ").append(v).append("\r\n");
            }
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
