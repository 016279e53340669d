package io.cxlkit.cli.serve;

import io.cxlkit.cli.Main;
import io.cxlkit.server.PlatformConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** The platform configuration {@code cxlkit serve ARGS} would start, built without starting anything. */
final class ServeConfigs {
    private ServeConfigs() {
    }

    /** {@code serve --state-dir DIR/state ARGS}, parsed and validated as serve does before it starts. */
    static PlatformConfig of(Path dir, String... args) {
        return of(dir, new java.io.StringWriter(), args);
    }

    /** The same, serve's warnings (those of its device plan too) going to {@code err}. */
    static PlatformConfig of(Path dir, java.io.Writer err, String... args) {
        List<String> all = new ArrayList<>(List.of("serve", "--state-dir", dir.resolve("state").toString()));
        all.addAll(List.of(args));
        CommandLine root = Main.commandLine();
        root.setErr(new java.io.PrintWriter(err, true));
        root.parseArgs(all.toArray(String[]::new));
        ServeCommand serve = root.getSubcommands().get("serve").getCommand();
        return serve.platformConfig();
    }
}
