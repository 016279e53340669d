package io.cxlkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.host.driver.SecurityStatus;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit wait-sanitize MEMDEV... [-t MS]}: ndctl v81's {@code cxl wait-sanitize}
 * (memdev-commands.md §15.5): waits, memdev by memdev, while the host's security state is
 * {@code sanitize}, through {@code GET .../security?wait_ms=N} (at most half the client's read
 * timeout a request, asked again until done or the timeout). A memdev still sanitizing at the timeout fails. Then
 * {@code cxlkit: wait-sanitize: wait sanitize completed on N mem device[s]}, or {@code wait sanitize
 * failed on 0 mem device} when none succeeded, as ndctl says it.
 */
@Command(name = "wait-sanitize", mixinStandardHelpOptions = true,
        description = "Wait for a running sanitize to finish on memdevs, as ndctl's 'cxl wait-sanitize'.")
public final class WaitSanitizeCommand extends DaemonCommand {

    /**
     * The most one request asks the daemon to wait: well inside the client's read timeout
     * ({@link DaemonClient#READ_TIMEOUT_MS}), and the route's own bound (600000 ms) anyway; a longer
     * wait asks again.
     */
    static final long MAX_WAIT_MS = DaemonClient.READ_TIMEOUT_MS / 2;

    /**
     * A timeout this long or longer (about 146 years) is no limit: the deadline in nanoseconds
     * would overflow.
     */
    static final long UNLIMITED_MS = Long.MAX_VALUE / 2 / 1_000_000L;

    @Parameters(paramLabel = "MEMDEV", arity = "1..*", description = "memN, N or all; serial numbers with -S")
    List<String> memdevs;

    @Mixin
    MemdevFilterOptions filter;

    @Option(names = {"-t", "--timeout"}, paramLabel = "MS",
            description = "give up on a memdev after MS milliseconds (default -1: wait until it finishes, as ndctl;"
                    + " any negative MS is no limit)")
    Long timeoutMs;

    @Mixin
    StrictOption strict;

    @Override
    protected int execute() throws Exception {
        if (timeoutMs != null && (timeoutMs < 0 || timeoutMs >= UNLIMITED_MS)) {
            timeoutMs = null; // ndctl's -1 (its default, "infinite"), and a deadline beyond overflow
        }
        MemdevSelector selector = selector(memdevs, filter);
        Selection selection = resolve(selector);
        Outcome<Boolean> outcome = forEach(selection.names(), this::await);
        int n = outcome.succeeded().size();
        report("wait sanitize " + (n > 0 ? "completed" : "failed") + " on " + n + " mem device" + (n > 1 ? "s" : ""));
        return outcome.exitCode(strict, selection);
    }

    /** Waits for one memdev; a timeout is its failure. */
    private Boolean await(String name) throws IOException, ApiError, InterruptedException {
        long deadline = timeoutMs == null ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            long left = timeoutMs == null ? MAX_WAIT_MS
                    : Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            JsonNode state = daemon().get(memdevPath(name) + "/security?wait_ms=" + Math.min(left, MAX_WAIT_MS));
            if (!SecurityStatus.SANITIZE.equals(state.path("security_state").asText())) {
                return Boolean.TRUE;
            }
            if (timeoutMs != null && System.nanoTime() - deadline >= 0) {
                throw new IOException("sanitize still running after " + timeoutMs + " ms");
            }
        }
    }
}
