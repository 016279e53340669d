package io.cxlkit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit zero-labels MEMDEV... [-s SIZE] [-O OFFSET]}: ndctl's {@code cxl zero-labels}
 * (memdev-commands.md §15.2): zeros over the range of each memdev's Label Storage Area ({@code -s 0}
 * or none: from OFFSET to its end), written by the host driver in Set LSA chunks. Then
 * {@code cxlkit: zero-labels: zeroed N mem[s]}.
 */
@Command(name = "zero-labels", mixinStandardHelpOptions = true,
        description = "Zero the label storage area of memdevs, as ndctl's 'cxl zero-labels'.")
public final class ZeroLabelsCommand extends LabelCommand {

    @Parameters(paramLabel = "MEMDEV", arity = "1..*", description = "memN, N or all; serial numbers with -S")
    List<String> memdevs;

    @Override
    protected int execute() throws Exception {
        checkRange();
        MemdevSelector selector = selector(memdevs, filter);
        ObjectNode body = DaemonClient.object().put("offset", range.offset()).put("size", range.size());
        Selection selection = resolve(selector);
        Outcome<String> outcome = forEach(selection.names(), name -> {
            String answer = daemon().post(memdevPath(name) + "/labels/zero", body);
            if (verbose) {
                report(name + ": zeroed " + DaemonClient.parse(answer).path("size").asLong() + " bytes at offset "
                        + range.offset());
            }
            return answer;
        });
        report(countLine("zeroed", outcome.succeeded().size()));
        return outcome.exitCode(strict, selection);
    }
}
