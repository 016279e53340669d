package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@code bin/cxlkit} (or a copy of it) as a real process, for the *IT tests. Failsafe runs
 * those after {@code package} with {@code CXLKIT_NO_BUILD=1} and the system properties
 * {@code cxlkit.root}, {@code cxlkit.jar} and {@code cxlkit.version}.
 */
final class LauncherProcess {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private LauncherProcess() {
    }

    record Result(int exit, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().toList();
        }
    }

    record Started(Process process, Path out, Path err, String command) {
    }

    /** The repository root (canonical). */
    static Path root() throws IOException {
        return Paths.get(required("cxlkit.root")).toRealPath();
    }

    /** The packaged jar, cxlkit-cli/target/cxlkit.jar. */
    static Path jar() throws IOException {
        return Paths.get(required("cxlkit.jar")).toRealPath();
    }

    /** The project version, as {@code --version} must print it. */
    static String version() {
        return required("cxlkit.version");
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            fail("system property " + property + " is not set (run the *IT tests through maven-failsafe)");
        }
        return value;
    }

    static Consumer<Map<String, String>> noChange() {
        return env -> { };
    }

    /**
     * Runs a command in {@code cwd} with stdin from /dev/null and stdout/stderr captured; the
     * environment is this JVM's with {@code CXLKIT_NO_BUILD=1} and no {@code CXLKIT_JAVA_OPTS},
     * then whatever {@code env} changes.
     */
    static Result run(Path cwd, Consumer<Map<String, String>> env, String... command)
            throws IOException, InterruptedException {
        return await(start(cwd, env, command));
    }

    static Started start(Path cwd, Consumer<Map<String, String>> env, String... command) throws IOException {
        Path out = Files.createTempFile("cxlkit-it-out", ".txt");
        Path err = Files.createTempFile("cxlkit-it-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("CXLKIT_NO_BUILD", "1");
        pb.environment().remove("CXLKIT_JAVA_OPTS");
        env.accept(pb.environment());
        return new Started(pb.start(), out, err, String.join(" ", command));
    }

    static Result await(Started s) throws IOException, InterruptedException {
        try {
            if (!s.process().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                s.process().destroyForcibly();
                fail(s.command() + " did not finish within " + TIMEOUT + "; stderr: " + Files.readString(s.err()));
            }
            return new Result(s.process().exitValue(),
                    Files.readString(s.out(), StandardCharsets.UTF_8),
                    Files.readString(s.err(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(s.out());
            Files.deleteIfExists(s.err());
        }
    }
}
