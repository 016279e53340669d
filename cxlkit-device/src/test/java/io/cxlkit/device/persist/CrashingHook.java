package io.cxlkit.device.persist;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CrashHook} for crash simulation. Disarmed it ignores every point (so a test can build a
 * prior state through the same device); armed it records the points reached and throws
 * {@link SimulatedCrash} at the {@code crashAt}-th one (0: never). Once it has crashed, the "process"
 * is dead: every later point throws too, whether or not the device swallowed the first crash, so no
 * write happens after the crash instant.
 */
final class CrashingHook implements CrashHook {

    private final int crashAt;
    private final List<String> points = new ArrayList<>();
    private boolean armed;
    private String crashedAt;

    CrashingHook(int crashAt) {
        this.crashAt = crashAt;
    }

    /** Records every point and never crashes. */
    static CrashingHook counting() {
        return new CrashingHook(0);
    }

    synchronized void arm() {
        armed = true;
    }

    @Override
    public synchronized void reached(String point) {
        if (crashedAt != null) {
            throw new SimulatedCrash(point + " (process already dead after " + crashedAt + ")");
        }
        if (!armed) {
            return;
        }
        points.add(point);
        if (points.size() == crashAt) {
            crashedAt = point;
            throw new SimulatedCrash(point);
        }
    }

    /** The points reached while armed, in order (the crash point included). */
    synchronized List<String> points() {
        return List.copyOf(points);
    }

    /** The point the crash happened at, or null. */
    synchronized String crashedAt() {
        return crashedAt;
    }

    synchronized boolean crashed() {
        return crashedAt != null;
    }
}
