package io.cxlkit.device.persist;

import java.nio.file.Path;

/**
 * A crash scenario: a setup that builds the prior state with the hook disarmed, and the action
 * whose file points are crashed one by one.
 */
record CrashScenario<R extends CrashRun>(String name, CrashRun.Step<R> setup, CrashRun.Step<R> action) {

    /** A setup that opens the device, then runs {@code then}. */
    static <R extends CrashRun> CrashRun.Step<R> opened(CrashRun.Step<R> then) {
        return r -> {
            r.open();
            then.run(r);
        };
    }

    /**
     * Plays this scenario on {@code run}: the setup, a copy of the prior state's files in
     * {@code snapshot} (null: none), then the action with the hook armed.
     */
    R play(R run, Path snapshot) throws Exception {
        return CrashPoints.play(run, setup, snapshot, action);
    }

    /** The name as a directory name. */
    String slug() {
        return name.replaceAll("[^A-Za-z0-9]+", "-");
    }

    @Override
    public String toString() {
        return name;
    }
}
