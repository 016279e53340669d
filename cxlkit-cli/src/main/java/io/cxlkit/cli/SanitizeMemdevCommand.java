package io.cxlkit.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit sanitize-memdev MEMDEV... [-e]}: the posted ndctl patch's {@code cxl sanitize-memdev}
 * (memdev-commands.md §15.5): Sanitize, or Secure Erase with {@code -e}, through the host driver,
 * which sends Get Security State first. Prints nothing on stdout; a memdev the daemon or the device
 * refuses is its failure line; then {@code cxlkit: sanitize-memdev: sanitize started on N mem
 * device[s]} ({@code secure erase completed ...} with {@code -e}; N counts the memdevs that
 * succeeded, {@code s} only when N > 1, as update-firmware says it). A Sanitize goes on in the
 * background: {@code wait-sanitize} waits for it.
 */
@Command(name = "sanitize-memdev", mixinStandardHelpOptions = true,
        description = "Sanitize memdevs (or secure-erase them with -e), as the posted ndctl 'cxl sanitize-memdev'.")
public final class SanitizeMemdevCommand extends DaemonCommand {

    @Parameters(paramLabel = "MEMDEV", arity = "1..*", description = "memN, N or all; serial numbers with -S")
    List<String> memdevs;

    @Mixin
    MemdevFilterOptions filter;

    @Option(names = {"-e", "--secure-erase"}, description = "secure erase (synchronous) instead of sanitize")
    boolean secureErase;

    @Mixin
    StrictOption strict;

    @Override
    protected int execute() throws Exception {
        MemdevSelector selector = selector(memdevs, filter);
        Selection selection = resolve(selector);
        Outcome<String> outcome = forEach(selection.names(), name -> daemon().post(memdevPath(name) + "/sanitize",
                DaemonClient.object().put("secure_erase", secureErase)));
        int n = outcome.succeeded().size();
        report((secureErase ? "secure erase completed" : "sanitize started") + " on " + n + " mem device"
                + (n > 1 ? "s" : ""));
        return outcome.exitCode(strict, selection);
    }
}
