package io.cxlkit.cli;

import io.cxlkit.protocol.payload.FwInfo;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxlkit fw read-slot MEMDEV --slot N -o FILE}: copies the package stored in a slot out
 * of the emulated device (inspection). FILE follows {@link OutputFile}'s rule ({@code -} is
 * standard output; an existing file only with {@code --force}); an empty slot fails with
 * {@code slot N is empty} and leaves FILE alone.
 */
@Command(name = "read-slot", mixinStandardHelpOptions = true,
        description = "Copy the package stored in a firmware slot to a file.")
public final class FwReadSlotCommand extends DaemonCommand {

    @Parameters(paramLabel = "MEMDEV", description = "one memdev: memN or N; its serial number with -S")
    String memdev;

    @Mixin
    MemdevFilterOptions filter;

    @Option(names = "--slot", paramLabel = "N", required = true, description = "the slot (1..4)")
    int slot;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
            description = "where to write the package (- for standard output)")
    Path output;

    @Option(names = "--force", description = "replace FILE if it exists")
    boolean force;

    @Override
    protected int execute() throws Exception {
        if (slot < 1 || slot > FwInfo.SLOT_COUNT) {
            throw usage("--slot must be 1.." + FwInfo.SLOT_COUNT + ", not " + slot);
        }
        MemdevSelector selector = selector(List.of(memdev), filter);
        if (!selector.single()) {
            throw usage("read-slot takes one memdev, not '" + memdev + "'");
        }
        if (output.toString().isEmpty()) {
            throw usage("-o needs a file name");
        }
        OutputFile target = OutputFile.of(output, force);
        List<String> found = resolve(selector).names();
        if (found.isEmpty()) {
            return 1; // "no memdev matches" is said
        }
        String name = found.get(0);
        try {
            target.write(AtomicFile.PUBLIC, System.out,
                    out -> daemon().download(memdevPath(name) + "/firmware/slots/" + slot, out));
        } catch (ApiError e) {
            throw new Failure(e.messageFor(name));
        }
        return 0;
    }
}
