package io.cxlkit.device.persist;

import static io.cxlkit.device.persist.PersistHarness.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.config.DeviceConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * One run of a crash scenario: its directory, configuration and {@link CrashingHook}, the device
 * opened on them, and the last answer of the action. The crash tests extend it with the commands
 * their scenarios send.
 */
class CrashRun {

    /** One step of a scenario (its setup or its action), given the run. */
    @FunctionalInterface
    interface Step<R extends CrashRun> {
        void run(R run) throws Exception;
    }

    final Path dir;
    final DeviceConfig config;
    final CrashingHook hook;
    CxlDevice device;
    /** The last command's return code, or -1 for none (a reset, a restart, a crash before the answer). */
    int answered = -1;

    CrashRun(Path dir, DeviceConfig config, CrashingHook hook) {
        this.dir = dir;
        this.config = config;
        this.hook = hook;
    }

    /** Opens the device on this run's directory with this run's hook. */
    void open() throws Exception {
        device = PersistHarness.open(config, dir, hook);
    }

    /** Keeps a command's return code; it must be 0000h unless the process has crashed (then any may come). */
    void answered(String what, int rc) {
        answered = rc;
        if (!hook.crashed()) {
            assertThat(hex(rc)).as(what).isEqualTo("0000h");
        }
    }

    /** The file points reached while armed, in order. */
    List<String> points() {
        return hook.points();
    }

    /** The point the crash happened at, or null. */
    String crashedAt() {
        return hook.crashedAt();
    }
}
