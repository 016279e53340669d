package io.cxlkit.device.persist;

import static io.cxlkit.device.persist.PersistHarness.tmpFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.protocol.ReturnCode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestReporter;

/**
 * The crash-point method the crash tests share: a scenario runs once with the hook only counting
 * its file points, then once per point k, in a fresh directory, with the "process" killed at the
 * k-th; a device restarted on what is left is then checked.
 */
final class CrashPoints {

    /** The check of a crash at the k-th point, {@code point}. */
    @FunctionalInterface
    interface PointCheck {
        void crashAt(int k, String point) throws Exception;
    }

    private CrashPoints() {
    }

    /**
     * Builds the prior state with {@code setup} (the hook disarmed), keeps a copy of its files in
     * {@code snapshot} (null: none), then runs {@code action} {@linkplain #crashing crashing}.
     */
    static <R extends CrashRun> R play(R run, CrashRun.Step<? super R> setup, Path snapshot,
            CrashRun.Step<? super R> action) throws Exception {
        setup.run(run);
        if (snapshot != null) {
            copyFiles(run.dir, snapshot);
        }
        return crashing(run, action);
    }

    /**
     * Arms the hook and runs {@code action}; a {@link SimulatedCrash}, or an I/O error once the
     * crash has happened, ends it as a killed process ends.
     */
    static <R extends CrashRun> R crashing(R run, CrashRun.Step<? super R> action) throws Exception {
        run.hook.arm();
        run.answered = -1;
        try {
            action.run(run);
        } catch (SimulatedCrash e) {
            // the process died here
        } catch (UncheckedIOException e) {
            assertThat(run.hook.crashed()).as("an I/O error only from the crash: " + e).isTrue();
        }
        return run;
    }

    /** What a device restarted on {@code dir} shows; the restart must leave no temporary file. */
    static <T> T seenAfterRestart(DeviceConfig config, Path dir, Function<CxlDevice, T> seen) throws Exception {
        CxlDevice device = PersistHarness.open(config, dir);
        assertThat(tmpFiles(dir)).as("temporary files after a restart").isEmpty();
        T shown = seen.apply(device);
        device.close();
        return shown;
    }

    /**
     * Runs {@code check} for each of {@code points} in turn (k from 1); returns one line per point
     * whose check failed, naming the point, so that one run reports them all.
     */
    static List<String> failuresAtEachPoint(List<String> points, PointCheck check) {
        List<String> failures = new ArrayList<>();
        int n = points.size();
        for (int k = 1; k <= n; k++) {
            String at = points.get(k - 1);
            try {
                check.crashAt(k, at);
            } catch (AssertionError | Exception e) {
                failures.add("crash " + k + "/" + n + " at '" + at + "': "
                        + Objects.toString(e.getMessage(), e.toString()).strip());
            }
        }
        return failures;
    }

    /**
     * After a crash, a restart shows the new state where the action had answered 0000h before
     * the crash, else the old or the new one, whole.
     */
    static <T> void assertOldOrNew(int answered, T got, T before, T after, BiPredicate<T, T> same) {
        if (answered == ReturnCode.SUCCESS.value()) {
            assertThat(same.test(got, after)).as("answered 0000h before the crash, so the new state; got "
                    + got + ", new " + after).isTrue();
        } else {
            assertThat(same.test(got, before) || same.test(got, after)).as("got " + got + ", neither the old "
                    + before + " nor the new " + after).isTrue();
        }
    }

    /**
     * Lists every scenario's crash points, numbered, in the test output (surefire's *-output.txt),
     * and publishes each scenario's points to {@code reporter}.
     */
    static void listPerScenario(Map<String, List<String>> pointsByScenario, TestReporter reporter) {
        StringBuilder out = new StringBuilder("crash points per scenario:\n");
        pointsByScenario.forEach((name, points) -> {
            out.append(String.format("  %s (%d):%n", name, points.size()));
            for (int i = 0; i < points.size(); i++) {
                out.append(String.format("    %2d. %s%n", i + 1, points.get(i)));
            }
        });
        System.out.print(out);
        pointsByScenario.forEach((name, points) -> reporter.publishEntry(name, String.join(" | ", points)));
    }

    /** Copies the files of {@code from} (no subdirectories) into {@code to}. */
    static void copyFiles(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
