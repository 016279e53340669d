package io.cxlkit.cli;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit read-labels MEMDEV... [-s SIZE] [-O OFFSET] [-o FILE]}: ndctl's
 * {@code cxl read-labels} (memdev-commands.md §15.2). The raw bytes of each memdev's Label Storage
 * Area, concatenated in the daemon's order, to standard output or FILE; {@code -s 0} or none reads
 * from OFFSET to the end of the area. Then {@code cxlkit: read-labels: read N mem[s]}. FILE is
 * replaced if it exists, as ndctl's {@code -o} does (it has no {@code --force}), but crash-safely
 * and only once every memdev was read: it never holds a part of the output.
 */
@Command(name = "read-labels", mixinStandardHelpOptions = true,
        description = "Read the label storage area of memdevs, as ndctl's 'cxl read-labels'.")
public final class ReadLabelsCommand extends LabelCommand {

    @Parameters(paramLabel = "MEMDEV", arity = "1..*", description = "memN, N or all; serial numbers with -S")
    List<String> memdevs;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "write the label area contents to FILE (replaced if it exists) instead of standard output")
    Path output;

    @Override
    protected int execute() throws Exception {
        checkRange();
        if (output != null && output.toString().isEmpty()) {
            throw usage("-o needs a file name");
        }
        MemdevSelector selector = selector(memdevs, filter);
        OutputFile target = OutputFile.of(output == null ? Path.of(OutputFile.STDOUT) : output, true);
        Selection selection = resolve(selector);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Outcome<Integer> outcome = forEach(selection.names(), name -> {
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            daemon().download(memdevPath(name) + "/labels" + range.query(), one);
            one.writeTo(all);
            if (verbose) {
                report(name + ": read " + one.size() + " bytes at offset " + range.offset());
            }
            return one.size();
        });
        try {
            target.write(AtomicFile.PUBLIC, System.out, all::writeTo);
        } finally {
            report(countLine("read", outcome.succeeded().size()));
        }
        return outcome.exitCode(strict, selection);
    }
}
