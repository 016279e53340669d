package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host driver arms the shutdown state at attach (memdev-commands.md §13.1, §7.4): a daemon
 * killed with SIGKILL leaves the persistent device's state dirty, and the next start counts one
 * dirty shutdown in {@code list -H}; a clean stop adds nothing.
 */
class DirtyShutdownIT {

    @TempDir
    Path dir;

    @Test
    void aKillAddsOneDirtyShutdownAndACleanStopNone() throws Exception {
        Path state = dir.resolve("state");
        try (DaemonProcess first = DaemonProcess.start(state, "--devices", "1", "--timing", "instant")) {
            assertThat(dirtyShutdowns(state)).isEqualTo("0");
            first.kill();
        }
        try (DaemonProcess second = DaemonProcess.start(state, "--devices", "1", "--timing", "instant")) {
            assertThat(dirtyShutdowns(state)).isEqualTo("1");
            assertThat(second.terminate()).isZero();
        }
        try (DaemonProcess third = DaemonProcess.start(state, "--devices", "1", "--timing", "instant")) {
            assertThat(dirtyShutdowns(state)).isEqualTo("1");
            third.kill();
        }
        try (DaemonProcess fourth = DaemonProcess.start(state, "--devices", "1", "--timing", "instant")) {
            assertThat(dirtyShutdowns(state)).isEqualTo("2");
            assertThat(fourth.terminate()).isZero();
            assertThat(fourth.log()).doesNotContain("Set Shutdown State").doesNotContain("\tat ");
        }
    }

    /** {@code dirty_shutdowns} as {@code list -H} prints it. */
    private static String dirtyShutdowns(Path state) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LauncherProcess.root().resolve("bin/cxlkit").toString(), "list",
                "-H", "--state-dir", state.toString()));
        LauncherProcess.Result r = LauncherProcess.run(state.getParent(), LauncherProcess.noChange(),
                cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.stderr()).isZero();
        int at = r.stdout().indexOf("\"dirty_shutdowns\":");
        assertThat(at).as(r.stdout()).isNotNegative();
        return r.stdout().substring(at + "\"dirty_shutdowns\":".length(), r.stdout().indexOf(',', at));
    }
}
