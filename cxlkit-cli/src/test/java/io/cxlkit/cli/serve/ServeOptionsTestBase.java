package io.cxlkit.cli.serve;

import io.cxlkit.cli.Main;
import io.cxlkit.server.PlatformConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What the tests of {@code serve}'s options share: a temporary directory, the configuration
 * {@code serve ARGS} would start, a run of {@code serve ARGS} for its exit status and error output,
 * and a config file.
 */
abstract class ServeOptionsTestBase {

    @TempDir
    Path dir;

    /** The platform configuration {@code cxlkit serve ARGS} would start (nothing is started). */
    PlatformConfig config(String... args) {
        return ServeConfigs.of(dir, args);
    }

    record Run(int exit, String err) {
    }

    /** Runs {@code serve --state-dir DIR/state ARGS}, its standard output discarded. */
    Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        cmd.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("serve", "--state-dir", dir.resolve("state").toString()));
        all.addAll(List.of(args));
        return new Run(cmd.execute(all.toArray(String[]::new)), err.toString());
    }

    /** Writes {@code text} to {@code DIR/c.yaml}. */
    Path yaml(String text) throws Exception {
        return Files.writeString(dir.resolve("c.yaml"), text);
    }
}
