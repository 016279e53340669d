package io.cxlkit.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --state-dir DIR}, mixed into every command that talks to a daemon (wire.md §2). Without
 * it the state directory is {@code $CXLKIT_STATE_DIR}, else {@code $XDG_STATE_HOME/cxlkit}, else
 * {@code $HOME/.local/state/cxlkit}, all taken from the environment (Java's {@code user.home} only
 * when {@code HOME} is unset). Empty variables count as unset. The result is absolute (a
 * relative directory is taken from the current one), the same rule {@code serve} applies, so a
 * client finds the daemon that the same environment started.
 */
public final class StateDirOption {

    public static final String ENV_STATE_DIR = "CXLKIT_STATE_DIR";
    public static final String ENV_XDG_STATE_HOME = "XDG_STATE_HOME";
    public static final String ENV_HOME = "HOME";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private String stateDir;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "the daemon's state directory (default: $CXLKIT_STATE_DIR, else "
                    + "$XDG_STATE_HOME/cxlkit, else $HOME/.local/state/cxlkit)")
    void setStateDir(String dir) {
        String problem = problem(dir);
        if (problem != null) {
            throw new ParameterException(mixee.commandLine(), problem);
        }
        this.stateDir = dir;
    }

    /** What is wrong with {@code --state-dir dir} (a usage error), or null. */
    private static String problem(String dir) {
        if (dir.isBlank()) {
            return "--state-dir needs a directory";
        }
        try {
            Path.of(dir);
        } catch (InvalidPathException e) {
            return "--state-dir: bad path '" + dir + "'";
        }
        return null;
    }

    /** The state directory for this run: the option, else the environment, else the home default. */
    public Path resolve() {
        return resolve(stateDir, System.getenv(), System.getProperty("user.home"));
    }

    /** Whether {@code --state-dir} was given. */
    public boolean given() {
        return stateDir != null;
    }

    /**
     * {@code " --state-dir DIR"} when the option was given, else empty: appended to a command this
     * one suggests, so the suggestion reaches the same daemon.
     */
    public String asOption() {
        return stateDir == null ? "" : " --state-dir " + resolve();
    }

    /**
     * The resolution rule itself, with the environment given; {@code userHome} (Java's
     * {@code user.home}) stands in for {@code $HOME} only when that is unset or empty.
     */
    public static Path resolve(String option, Map<String, String> env, String userHome) {
        Path dir;
        if (option != null) {
            dir = Path.of(option);
        } else if (nonEmpty(env.get(ENV_STATE_DIR))) {
            dir = Path.of(env.get(ENV_STATE_DIR));
        } else if (nonEmpty(env.get(ENV_XDG_STATE_HOME))) {
            dir = Path.of(env.get(ENV_XDG_STATE_HOME), "cxlkit");
        } else {
            String home = nonEmpty(env.get(ENV_HOME)) ? env.get(ENV_HOME) : userHome;
            dir = Path.of(home, ".local", "state", "cxlkit");
        }
        return dir.toAbsolutePath().normalize();
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
