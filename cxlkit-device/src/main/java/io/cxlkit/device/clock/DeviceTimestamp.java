package io.cxlkit.device.clock;

/**
 * The device timestamp (r3.1 §8.2.9.4): what Set Timestamp set plus the time since, on the device's
 * clock; 0 while never set (a cold reset or restart clears it). Get Timestamp reads it, and so do
 * event records and overflow timestamps. Not thread-safe: the device calls it under its lock.
 */
public final class DeviceTimestamp {

    private final DeviceClock clock;
    private boolean set;
    private long atSet;
    private long nanoTimeAtSet;

    public DeviceTimestamp(DeviceClock clock) {
        this.clock = clock;
    }

    /** Nanoseconds since 1970-01-01 UTC as the host set them, advanced by the clock; 0 when never set. */
    public long now() {
        return set ? atSet + (clock.nanoTime() - nanoTimeAtSet) : 0;
    }

    public void set(long nanos) {
        atSet = nanos;
        nanoTimeAtSet = clock.nanoTime();
        set = true;
    }

    /** Never set again: a cold reset or a restart. */
    public void clear() {
        set = false;
    }
}
