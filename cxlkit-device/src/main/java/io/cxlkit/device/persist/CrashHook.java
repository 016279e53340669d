package io.cxlkit.device.persist;

/**
 * Called at every write, fsync and rename point of the persistence code, before the step runs.
 * Production uses {@link #NONE}; crash-safety tests install a hook that throws at a chosen point,
 * which leaves the files exactly as a process killed there would.
 */
@FunctionalInterface
public interface CrashHook {

    CrashHook NONE = point -> { };

    void reached(String point);
}
