package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.cli.LauncherProcess.Result;
import io.cxlkit.server.state.DaemonInfo;
import io.cxlkit.server.state.StateDirectory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --detach} returns once its daemon is ready and says where it is; {@code stop} ends it and returns
 * once it is gone; a client that finds a daemon still starting waits for it; and with nothing set the state
 * directory is {@code $HOME/.local/state/cxlkit} of the environment. All through real processes.
 */
class DetachStopIT {

    private static final Pattern PID = Pattern.compile("^pid (\\d+)$", Pattern.MULTILINE);

    private static String launcher() throws Exception {
        return LauncherProcess.root().resolve("bin/cxlkit").toString();
    }

    private static Result cxlkit(Path cwd, Consumer<Map<String, String>> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher()));
        cmd.addAll(List.of(args));
        return LauncherProcess.run(cwd, env, cmd.toArray(String[]::new));
    }

    private static long pidOf(Result detach) {
        Matcher m = PID.matcher(detach.stdout());
        assertThat(m.find()).as(detach.stdout()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The session of a process, from /proc (field 6 of its stat line). */
    private static long sessionOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }

    private static boolean setsidInstalled() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "setsid"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void detachReturnsOnceReadyAndStopOnceGone(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Consumer<Map<String, String>> env = LauncherProcess.noChange();
        try {
            long start = System.nanoTime();
            Result up = cxlkit(dir, env, "serve", "--detach", "--state-dir", state.toString(), "--devices", "2",
                    "--timing", "instant", "--cci-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0");
            assertThat(up.exit()).as(up.stderr()).isZero();
            assertThat(up.stderr()).isEmpty();
            long pid = pidOf(up);
            // ready when it returns: daemon.json names the daemon, which listens where it says
            DaemonInfo info = DaemonInfo.find(state).orElseThrow();
            assertThat(info.pid()).isEqualTo(pid);
            assertThat(up.stdout()).isEqualTo("pid " + pid + "\nstate directory " + state + "\ncontrol API "
                    + info.http() + "\nCCI " + String.join(", ", info.cciListeners()) + "\nlog "
                    + state.resolve("serve.log") + "\n");
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
            assertThat(alive(pid)).isTrue();
            if (setsidInstalled()) {
                assertThat(sessionOf(pid)).as("a session of its own: no terminal's Ctrl-C or hang-up reaches it")
                        .isEqualTo(pid);
            }
            assertThat(PosixPermissions.of(state.resolve("serve.log"))).isEqualTo("rw-------");

            Result list = cxlkit(dir, env, "list", "-F", "--state-dir", state.toString());
            assertThat(list.exit()).as(list.stderr()).isZero();
            assertThat(list.stdout()).contains("\"memdev\":\"mem0\"", "\"memdev\":\"mem1\"", "\"firmware\":{");

            Result stop = cxlkit(dir, env, "stop", "--state-dir", state.toString());
            assertThat(stop.exit()).as(stop.stderr()).isZero();
            assertThat(stop.stdout()).isEmpty();
            assertThat(stop.stderrLines()).containsExactly("cxlkit: stop: daemon (pid " + pid + ") stopped");
            // gone when it returns: process, lock and daemon.json
            assertThat(alive(pid)).isFalse();
            assertThat(StateDirectory.isLocked(state)).isFalse();
            assertThat(state.resolve("daemon.json")).doesNotExist();
            assertThat(Files.readString(state.resolve("serve.log"))).contains(" info stopped").doesNotContain("\tat ");

            Result again = cxlkit(dir, env, "stop", "--state-dir", state.toString());
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.stderrLines()).containsExactly("cxlkit: stop: no daemon running for " + state);

            // the devices and the log stay: a second start appends to the log and brings both devices back
            Result upAgain = cxlkit(dir, env, "serve", "--detach", "--state-dir", state.toString(), "--timing",
                    "instant", "--cci-listen", "127.0.0.1:0");
            assertThat(upAgain.exit()).as(upAgain.stderr()).isZero();
            assertThat(Files.readString(state.resolve("serve.log"))).contains("serving 2 device(s)")
                    .containsOnlyOnce(" info stopped");
            assertThat(cxlkit(dir, env, "stop", "--state-dir", state.toString()).exit()).isZero();
        } finally {
            DaemonProcess.killAnyDaemonOf(state);
        }
    }

    @Test
    void aSecondDetachOnTheSameDirectoryIsRefusedWithTheDaemonsLine(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess first = DaemonProcess.start(state, "--timing", "instant")) {
            Result r = cxlkit(dir, LauncherProcess.noChange(), "serve", "--detach", "--state-dir", state.toString(),
                    "--cci-listen", "127.0.0.1:0");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderrLines()).containsExactly("cxlkit: serve: " + state + " is in use by pid "
                    + first.info().pid());
            assertThat(first.process().isAlive()).isTrue();
        }
    }

    @Test
    void aBadOptionIsRefusedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Result r = cxlkit(dir, LauncherProcess.noChange(), "serve", "--detach", "--state-dir", state.toString(),
                "--slots", "9");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderrLines()).singleElement().asString().startsWith("cxlkit: serve: ");
        assertThat(state).doesNotExist();
    }

    @Test
    void theDefaultStateDirectoryIsUnderHomeFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path state = home.resolve(".local/state/cxlkit");
        Consumer<Map<String, String>> env = e -> {
            e.remove("CXLKIT_STATE_DIR");
            e.remove("XDG_STATE_HOME");
            e.put("HOME", home.toString());
        };
        try {
            Result none = cxlkit(dir, env, "list");
            assertThat(none.exit()).isEqualTo(1);
            assertThat(none.stderrLines()).containsExactly("cxlkit: list: no daemon running for " + state);

            Result up = cxlkit(dir, env, "serve", "--detach", "--timing", "instant", "--cci-listen", "127.0.0.1:0");
            assertThat(up.exit()).as(up.stderr()).isZero();
            assertThat(up.stdout()).contains("state directory " + state + "\n");
            assertThat(state.resolve("daemon.json")).exists();
            Result list = cxlkit(dir, env, "list");
            assertThat(list.exit()).as(list.stderr()).isZero();
            assertThat(list.stdout()).contains("\"memdev\":\"mem0\"");
            assertThat(cxlkit(dir, env, "stop").exit()).isZero();
            assertThat(state.resolve("daemon.json")).doesNotExist();
        } finally {
            DaemonProcess.killAnyDaemonOf(state);
        }
    }

    /**
     * {@code serve} run as a plain process, and {@code list -F} started while it holds its state directory but
     * has not written daemon.json (1024 devices take a second or more to create): the list waits and prints them
     * all. Not more devices: under load the start must stay well inside the client's 30 s bound.
     */
    @Test
    void aClientWaitsForADaemonThatIsStillStarting(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        LauncherProcess.Started serve = LauncherProcess.start(dir, LauncherProcess.noChange(), launcher(), "serve",
                "--state-dir", state.toString(), "--devices", "1024", "--timing", "instant", "--cci-listen",
                "127.0.0.1:0", "--log-level", "warn");
        Process p = serve.process();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(StateDirectory.isLocked(state) && StateDirectory.lockHolder(state).orElse(0L) == p.pid())) {
                assertThat(p.isAlive()).as("serve is running").isTrue();
                assertThat(System.nanoTime()).as("serve took its lock").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(state.resolve("daemon.json")).as("still starting when the client starts").doesNotExist();
            Result list = cxlkit(dir, LauncherProcess.noChange(), "list", "-F", "--state-dir", state.toString());
            assertThat(list.exit()).as(list.stderr()).isZero();
            assertThat(list.stderr()).isEmpty();
            assertThat(Pattern.compile("\"memdev\":\"mem\\d+\"").matcher(list.stdout()).results().count())
                    .isEqualTo(1024);
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            LauncherProcess.await(serve);
        }
    }

    /** {@code stop} on a daemon still starting waits for it to be ready, then stops it. */
    @Test
    void stopWaitsForAStartingDaemonAndStopsIt(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        LauncherProcess.Started serve = LauncherProcess.start(dir, LauncherProcess.noChange(), launcher(), "serve",
                "--state-dir", state.toString(), "--devices", "1024", "--timing", "instant", "--cci-listen",
                "127.0.0.1:0");
        Process p = serve.process();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(StateDirectory.isLocked(state) && StateDirectory.lockHolder(state).orElse(0L) == p.pid())) {
                assertThat(System.nanoTime()).as("serve took its lock").isLessThan(deadline);
                Thread.sleep(5);
            }
            Result stop = cxlkit(dir, LauncherProcess.noChange(), "stop", "--state-dir", state.toString());
            assertThat(stop.exit()).as(stop.stderr()).isZero();
            assertThat(stop.stderrLines()).containsExactly("cxlkit: stop: daemon (pid " + p.pid() + ") stopped");
            assertThat(p.waitFor(1, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(state.resolve("daemon.json")).doesNotExist();
        } finally {
            p.destroyForcibly();
            LauncherProcess.await(serve);
        }
    }

    /** Permissions as {@code ls} shows them. */
    private static final class PosixPermissions {
        static String of(Path p) throws Exception {
            return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        }
    }
}
