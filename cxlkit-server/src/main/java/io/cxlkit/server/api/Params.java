package io.cxlkit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.protocol.UnsignedText;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Query parameters and the numbers routes take (memdev-commands.md §15): an offset or a size is
 * decimal or {@code 0x}-prefixed hexadecimal, in a query parameter or, in JSON, a number or such a
 * string. Anything else is a 400 {@code bad-request} naming the parameter.
 */
public final class Params {
    private Params() {
    }

    /** The parameters of a raw query string, decoded, each name with its values in order. */
    public static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String param : rawQuery.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = decode(eq < 0 ? param : param.substring(0, eq));
            String value = eq < 0 ? "" : decode(param.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape: taken as written, and refused where it matters
        }
    }

    /** The last value of query parameter {@code name} as an unsigned number, or {@code absent}. */
    public static long unsigned(Map<String, List<String>> query, String name, long absent) throws ApiException {
        List<String> values = query.get(name);
        return values == null ? absent : unsigned(values.get(values.size() - 1), name);
    }

    /** {@code text} as decimal or 0x hexadecimal, 0 to 2^63-1 ({@link UnsignedText}, as the CLI reads it). */
    public static long unsigned(String text, String what) throws ApiException {
        try {
            return UnsignedText.parse(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + what + "' must be a decimal or 0x-prefixed hexadecimal number up to "
                    + "2^63-1, not '" + text + "'");
        }
    }


    /** Member {@code key} of a JSON object as an unsigned number (a JSON number or a string), or {@code absent}. */
    public static long unsigned(JsonNode object, String key, long absent) throws ApiException {
        JsonNode n = object.get(key);
        if (n == null) {
            return absent;
        }
        if (n.isTextual()) {
            return unsigned(n.asText(), key);
        }
        if (n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0) {
            return n.asLong();
        }
        throw ApiException.badRequest("'" + key + "' must be a number 0 to 2^63-1, or a string of one in decimal or "
                + "0x-prefixed hexadecimal, not " + n);
    }
}
