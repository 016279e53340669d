package io.cxlkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.host.json.MemdevJson;
import io.cxlkit.host.json.MemdevView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;

/**
 * Base of the commands that talk to a daemon over the control API: {@code --state-dir}, the
 * client, MEMDEV resolution (as ndctl: a word that matches nothing is a line and the rest go on),
 * and running one action per memdev with one failure line per failed memdev
 * ({@code cxlkit: <command>: mem0: <message>}); exit 0 if at least one memdev succeeded (unless
 * {@code --strict}, see {@link StrictOption}).
 */
public abstract class DaemonCommand extends CliCommand {

    @Mixin
    protected StateDirOption stateDir;

    private DaemonClient client;

    /** The daemon's client, found on first use (validate options before calling this). */
    protected DaemonClient daemon() {
        if (client == null) {
            client = DaemonClient.connect(stateDir.resolve());
        }
        return client;
    }

    /** Parses MEMDEV arguments under {@code -S}/{@code -b}; a bad one is a usage error. */
    protected MemdevSelector selector(List<String> args, MemdevFilterOptions options) {
        try {
            return options.selector(args == null ? List.of() : args);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Every memdev the daemon serves, in its order. */
    protected List<MemdevView> memdevs() throws IOException, ApiError {
        return memdevs(Set.of());
    }

    /**
     * Every memdev the daemon serves, in its order, with the optional objects of {@code include} that
     * the daemon builds only when asked ({@code health}, {@code alert_config}, {@code partition_info},
     * {@code media_errors}).
     */
    protected List<MemdevView> memdevs(Set<MemdevJson.Include> include) throws IOException, ApiError {
        return views(daemon().get("/v1/memdevs" + includeQuery(include)));
    }

    /** One memdev as the daemon describes it now. */
    protected MemdevView memdev(String name) throws IOException, ApiError {
        return memdev(name, Set.of());
    }

    /** One memdev as the daemon describes it now, with the optional objects of {@code include}. */
    protected MemdevView memdev(String name, Set<MemdevJson.Include> include) throws IOException, ApiError {
        return view(daemon().get(memdevPath(name) + includeQuery(include)));
    }

    /** The objects the daemon builds only when asked for. */
    private static final Set<MemdevJson.Include> ON_REQUEST = EnumSet.of(MemdevJson.Include.HEALTH,
            MemdevJson.Include.ALERT_CONFIG, MemdevJson.Include.PARTITION_INFO, MemdevJson.Include.MEDIA_ERRORS);

    /** {@code ?include=...} for the objects of {@code include} the daemon builds only when asked; "" for none. */
    static String includeQuery(Set<MemdevJson.Include> include) {
        String words = include.stream().filter(ON_REQUEST::contains).sorted().map(MemdevJson.Include::key)
                .collect(Collectors.joining(","));
        return words.isEmpty() ? "" : "?include=" + words;
    }

    protected static String memdevPath(String name) {
        return "/v1/memdevs/" + name;
    }

    /** The memdev object in a daemon answer. */
    protected static MemdevView view(JsonNode json) throws IOException {
        try {
            return MemdevParsing.memdev(json);
        } catch (IllegalArgumentException e) {
            throw new IOException("the daemon sent an unexpected memdev object: " + e.getMessage());
        }
    }

    protected static List<MemdevView> views(JsonNode json) throws IOException {
        try {
            return MemdevParsing.list(json);
        } catch (IllegalArgumentException e) {
            throw new IOException("the daemon sent an unexpected memdev list: " + e.getMessage());
        }
    }

    /**
     * What MEMDEV arguments found: the memdevs they select, in the daemon's order, each once, and
     * their words that select none (each reported already).
     */
    protected record Selection(List<String> names, List<String> unmatched) {
        /**
         * How many items the command is about, for the exit status: each memdev, and each word that
         * selected nothing, which counts as a failed one (so {@code --strict} sees it).
         */
        public int attempted() {
            return names.size() + unmatched.size();
        }
    }

    /**
     * The memdevs {@code selector} matches. As ndctl, a word that matches nothing is one line,
     * {@code cxlkit: <command>: no memdev matches mem9}, and the command goes on with the rest.
     */
    protected Selection resolve(MemdevSelector selector) throws IOException, ApiError {
        List<MemdevView> all = memdevs();
        List<String> unmatched = selector.unmatched(all);
        unmatched.forEach(word -> report("no memdev matches " + word));
        return new Selection(selector.select(all).stream().map(MemdevView::name).toList(), unmatched);
    }

    /** One memdev's action; its result or an exception that fails this memdev only. */
    @FunctionalInterface
    protected interface MemdevAction<T> {
        T apply(String memdev) throws IOException, ApiError, InterruptedException;
    }

    /**
     * What {@link #forEach} did: the results of the memdevs that succeeded and the names of those
     * that failed (each already reported), both in the order run.
     */
    protected record Outcome<T>(Map<String, T> succeeded, List<String> failed) {
        /**
         * The exit status of a command about {@code selection} under {@code strict} (ndctl's rule
         * unless {@code --strict} was given).
         */
        public int exitCode(StrictOption strict, Selection selection) {
            return strict.exitStatus(succeeded.size(), selection.attempted());
        }
    }

    /** Runs {@code action} on each memdev in turn; a failure is one line and does not stop the others. */
    protected <T> Outcome<T> forEach(List<String> names, MemdevAction<T> action) throws InterruptedException {
        Map<String, T> ok = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        for (String name : names) {
            try {
                ok.put(name, action.apply(name));
            } catch (ApiError e) {
                failed.add(name);
                report(name + ": " + explain(name, e));
            } catch (IOException e) {
                failed.add(name);
                report(name + ": " + FailureHandler.describe(e));
            }
        }
        return new Outcome<>(ok, failed);
    }

    /**
     * The failure line's text for a refusal of {@code memdev}'s action: the daemon's message. A
     * command whose device errors can be ambiguous adds a {@link DeviceErrorHints} clause.
     */
    protected String explain(String memdev, ApiError e) throws InterruptedException {
        return e.messageFor(memdev);
    }

    /**
     * Prints memdev objects as ndctl's {@code update-firmware} does ({@code util_display_json_array}):
     * with the firmware object, an array, in human mode when stdout is a terminal (where a single
     * memdev prints bare). No object at all: off a terminal {@code [} and {@code ]} on two lines
     * after ndctl's warning ({@link #warnNoMatchingDevices}); on a terminal nothing.
     */
    protected void printAffected(List<MemdevView> views) {
        printAffected(views, EnumSet.of(MemdevJson.Include.FIRMWARE));
    }

    /** {@link #printAffected(List)} with the objects of {@code include} instead of the firmware object. */
    protected void printAffected(List<MemdevView> views, Set<MemdevJson.Include> include) {
        boolean human = Terminal.current().stdoutTty();
        if (views.isEmpty() && human) {
            return;
        }
        if (views.isEmpty()) {
            warnNoMatchingDevices();
        }
        print(MemdevJson.list(views, human, include));
    }

    /**
     * ndctl's warning for an empty list of devices, word for word and without cxlkit's prefix (its
     * {@code warning()} writes {@code " " + " Warning: " + message} and the message ends in a
     * newline of its own): {@code "  Warning: no matching devices found"}, then a blank line.
     */
    protected void warnNoMatchingDevices() {
        err().print("  Warning: no matching devices found\n\n");
        err().flush();
    }

    /**
     * Runs a memdev-changing action whose answer is the memdev object, then prints the affected
     * memdevs in order: the answer for each that succeeded, a fresh look (if the daemon can give
     * one) for each that failed. The exit status follows {@code strict}.
     */
    protected int changeEach(Selection selection, StrictOption strict, MemdevAction<String> action)
            throws InterruptedException {
        Outcome<String> outcome = forEach(selection.names(), action);
        printChanged(selection.names(), outcome, EnumSet.of(MemdevJson.Include.FIRMWARE));
        return outcome.exitCode(strict, selection);
    }

    /**
     * Prints the memdevs {@code names} that an action of {@code outcome} was about, with the objects of
     * {@code include}: the answer for each that succeeded, a fresh look (if the daemon can give one) for
     * each that failed.
     */
    protected void printChanged(List<String> names, Outcome<String> outcome, Set<MemdevJson.Include> include) {
        List<MemdevView> views = new ArrayList<>();
        for (String name : names) {
            try {
                String answer = outcome.succeeded().get(name);
                views.add(answer != null ? view(DaemonClient.parse(answer)) : memdev(name, include));
            } catch (IOException | ApiError e) {
                if (outcome.succeeded().containsKey(name)) {
                    report(name + ": " + (e instanceof ApiError a ? a.messageFor(name) : FailureHandler.describe(e)));
                }
            }
        }
        printAffected(views, include);
    }
}
