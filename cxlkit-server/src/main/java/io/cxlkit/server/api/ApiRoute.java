package io.cxlkit.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control API's routes, each a method and a path template: the one table {@link ControlApi}
 * dispatches on, and the one the test of the OpenAPI document ({@code openapi.json}, served at
 * {@code GET /v1/openapi.json}) compares with that document in both directions.
 */
public enum ApiRoute {
    INDEX("GET", "/v1"),
    OPENAPI("GET", "/v1/openapi.json"),
    EVENTS("GET", "/v1/events"),
    LIST_MEMDEVS("GET", "/v1/memdevs"),
    CCI_DIRECTORY("GET", "/v1/cci"),
    GET_MEMDEV("GET", "/v1/memdevs/{name}"),
    UPLOAD("PUT", "/v1/memdevs/{name}/firmware"),
    CANCEL_UPLOAD("DELETE", "/v1/memdevs/{name}/firmware/upload"),
    ACTIVATE("POST", "/v1/memdevs/{name}/firmware/activate"),
    RESET("POST", "/v1/memdevs/{name}/reset"),
    INJECT_FAULT("POST", "/v1/memdevs/{name}/faults"),
    CLEAR_FAULTS("DELETE", "/v1/memdevs/{name}/faults"),
    READ_SLOT("GET", "/v1/memdevs/{name}/firmware/slots/{slot}"),
    READ_LABELS("GET", "/v1/memdevs/{name}/labels"),
    WRITE_LABELS("PUT", "/v1/memdevs/{name}/labels"),
    ZERO_LABELS("POST", "/v1/memdevs/{name}/labels/zero"),
    SET_ALERT_CONFIG("PUT", "/v1/memdevs/{name}/alert-config"),
    SET_PARTITION("POST", "/v1/memdevs/{name}/partition"),
    SANITIZE("POST", "/v1/memdevs/{name}/sanitize"),
    SECURITY("GET", "/v1/memdevs/{name}/security"),
    INJECT_POISON("POST", "/v1/memdevs/{name}/poison"),
    CLEAR_POISON("DELETE", "/v1/memdevs/{name}/poison"),
    READ_MEDIA("GET", "/v1/memdevs/{name}/media");

    private final String method;
    private final String template;
    private final Pattern pattern;

    ApiRoute(String method, String template) {
        this.method = method;
        this.template = template;
        this.pattern = compile(template);
    }

    /**
     * What a path parameter may be: a memdev name is one path segment; a slot number has one or two
     * digits. (A class of its own: an enum's constants are made before its other static fields.)
     */
    private static final class Parameters {
        static final Pattern IN_TEMPLATE = Pattern.compile("\\{(name|slot)}");
        static final String NAME = "[A-Za-z0-9_.-]+";
        static final String SLOT = "[0-9]{1,2}";
    }

    private static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder("^");
        Matcher m = Parameters.IN_TEMPLATE.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            regex.append('(').append(m.group(1).equals("name") ? Parameters.NAME : Parameters.SLOT).append(')');
            last = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(template.substring(last))).append('$').toString());
    }

    public String method() {
        return method;
    }

    /** The path as the OpenAPI document writes it, e.g. {@code /v1/memdevs/{name}/reset}. */
    public String template() {
        return template;
    }

    /** A request path matched to a route, with the memdev name and slot number it names (if any). */
    public record Match(ApiRoute route, String name, int slot) {
    }

    /** Every route whose path template {@code path} fits, whatever its method, in table order. */
    public static List<Match> onPath(String path) {
        List<Match> out = new ArrayList<>();
        for (ApiRoute r : values()) {
            Matcher m = r.pattern.matcher(path);
            if (m.matches()) {
                String name = r.template.contains("{name}") ? m.group(1) : null;
                int slot = r.template.contains("{slot}") ? Integer.parseInt(m.group(2)) : 0;
                out.add(new Match(r, name, slot));
            }
        }
        return out;
    }
}
