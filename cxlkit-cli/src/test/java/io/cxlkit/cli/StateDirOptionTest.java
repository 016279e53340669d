package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * wire.md §2: --state-dir, else CXLKIT_STATE_DIR, else $XDG_STATE_HOME/cxlkit, else $HOME/.local/state/cxlkit,
 * all from the environment (Java's user.home only when HOME is unset or empty).
 */
class StateDirOptionTest {

    private static final String HOME = "/home/u";

    @Test
    void theOptionWinsOverEverything() {
        Map<String, String> env = Map.of("CXLKIT_STATE_DIR", "/env", "XDG_STATE_HOME", "/xdg");
        assertThat(StateDirOption.resolve("/opt/state", env, HOME)).isEqualTo(Path.of("/opt/state"));
    }

    @Test
    void thenCxlkitStateDir() {
        Map<String, String> env = Map.of("CXLKIT_STATE_DIR", "/env", "XDG_STATE_HOME", "/xdg");
        assertThat(StateDirOption.resolve(null, env, HOME)).isEqualTo(Path.of("/env"));
    }

    @Test
    void thenXdgStateHome() {
        assertThat(StateDirOption.resolve(null, Map.of("XDG_STATE_HOME", "/xdg"), HOME))
                .isEqualTo(Path.of("/xdg/cxlkit"));
    }

    @Test
    void thenTheHomeDirectoryOfTheEnvironment() {
        assertThat(StateDirOption.resolve(null, Map.of("HOME", "/some/dir"), HOME))
                .isEqualTo(Path.of("/some/dir/.local/state/cxlkit"));
    }

    @Test
    void javasUserHomeOnlyWhenHomeIsUnsetOrEmpty() {
        assertThat(StateDirOption.resolve(null, Map.of(), HOME)).isEqualTo(Path.of("/home/u/.local/state/cxlkit"));
        assertThat(StateDirOption.resolve(null, Map.of("HOME", ""), HOME))
                .isEqualTo(Path.of("/home/u/.local/state/cxlkit"));
    }

    @Test
    void xdgStateHomeWinsOverHome() {
        assertThat(StateDirOption.resolve(null, Map.of("HOME", "/some/dir", "XDG_STATE_HOME", "/xdg"), HOME))
                .isEqualTo(Path.of("/xdg/cxlkit"));
    }

    @Test
    void emptyVariablesCountAsUnset() {
        Map<String, String> env = Map.of("CXLKIT_STATE_DIR", "", "XDG_STATE_HOME", "", "HOME", "/h");
        assertThat(StateDirOption.resolve(null, env, HOME)).isEqualTo(Path.of("/h/.local/state/cxlkit"));
    }

    @Test
    void aRelativeXdgStateHomeIsTakenFromTheCurrentDirectoryAsServeDoes() {
        assertThat(StateDirOption.resolve(null, Map.of("XDG_STATE_HOME", "state"), HOME))
                .isEqualTo(Path.of("").toAbsolutePath().resolve("state/cxlkit"));
    }

    @Test
    void relativeDirectoriesBecomeAbsoluteAndNormal() {
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(StateDirOption.resolve("a/../state", Map.of(), HOME)).isEqualTo(cwd.resolve("state"));
        assertThat(StateDirOption.resolve(null, Map.of("CXLKIT_STATE_DIR", "rel"), HOME)).isEqualTo(cwd.resolve("rel"));
    }

    @Test
    void anEmptyStateDirIsAUsageError() {
        Cli.Run r = Cli.run("list", "--state-dir", "");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("cxlkit: list: --state-dir needs a directory");
    }

    @Test
    void everyDaemonCommandTakesStateDir() {
        CommandLine top = Main.commandLine();
        for (List<String> path : List.of(List.of("list"), List.of("stop"), List.of("activate-firmware"), List.of("reset"),
                List.of("inject"), List.of("fw", "read-slot"))) {
            CommandLine c = top;
            for (String name : path) {
                c = c.getSubcommands().get(name);
            }
            assertThat(c.getCommandSpec().findOption("--state-dir")).as(String.join(" ", path)).isNotNull();
        }
    }
}
