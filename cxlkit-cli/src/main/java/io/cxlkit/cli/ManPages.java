package io.cxlkit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command's manual page ({@link ManPage}). The build runs {@link #main} after compiling
 * (cxlkit-cli/pom.xml, phase process-classes), which writes {@code cxlkit.1},
 * {@code cxlkit-serve.1}, ..., {@code cxlkit-fw-pack.1}, ... into {@code target/man/man1} (for
 * {@code MANPATH}) and into the classes, so that the jar carries them for {@code cxlkit help}.
 */
public final class ManPages {

    /** Where the pages are among the classes (and so in the jar). */
    static final String RESOURCE_DIR = "/io/cxlkit/cli/man/";

    private ManPages() {
    }

    /** Writes every page into each directory named by {@code args} (created if need be). */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ManPages DIR...");
        }
        String version = VersionProvider.version();
        List<CommandSpec> commands = commands(Main.commandLine());
        for (String dir : args) {
            Path d = Path.of(dir);
            Files.createDirectories(d);
            for (CommandSpec spec : commands) {
                Files.writeString(d.resolve(fileName(spec)), ManPage.render(spec, version), StandardCharsets.UTF_8);
            }
        }
    }

    /** {@code root} and all its subcommands, depth first, each before its own subcommands. */
    static List<CommandSpec> commands(CommandLine root) {
        List<CommandSpec> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(CommandLine cmd, List<CommandSpec> out) {
        out.add(cmd.getCommandSpec());
        for (CommandLine sub : ManPage.subcommands(cmd.getCommandSpec())) {
            collect(sub, out);
        }
    }

    /** The page's file name, e.g. {@code cxlkit-fw-pack.1}. */
    static String fileName(CommandSpec spec) {
        return ManPage.name(spec) + ".1";
    }

    /**
     * The page of {@code spec} as the build wrote it into the jar; rendered now when the classes
     * were built without that step (an IDE's build): the same text either way.
     */
    static String page(CommandSpec spec) throws IOException {
        try (InputStream in = ManPages.class.getResourceAsStream(RESOURCE_DIR + fileName(spec))) {
            if (in != null) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return ManPage.render(spec, VersionProvider.version());
    }
}
